"""gunicorn on each application server (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py kenniscentrum.wsgi`."""

bind = "0.0.0.0:8000"
# Two workers per core is gunicorn's advice; threads let a worker wait on the database for one request while it
# answers another.
workers = 4
threads = 2
# A worker is replaced after this many requests, so memory cannot creep up over weeks.
max_requests = 2000
max_requests_jitter = 200
timeout = 60
graceful_timeout = 30
# No access log here: nginx keeps one without addresses. gunicorn's own format starts with the client's address.
accesslog = None
errorlog = "-"
loglevel = "warning"
# Only the proxy may say the request came over HTTPS.
forwarded_allow_ips = "10.0.0.10"
# The master loads the application once and checks the keys and settings before any worker starts (startup.py).
preload_app = True


def when_ready(server: object) -> None:
    """In the master, after it loaded the application and before it forks the workers: deduce's tables (about 1.1 GB,
    seconds to load) are loaded here once and shared by every worker, also by those that replace a worker after
    max_requests. gc.freeze keeps the collector in a worker from touching, and so copying, the master's objects."""
    import gc

    from kenniscentrum.startup import warm_up

    warm_up()  # deduce's tables and WeasyPrint's fonts
    gc.freeze()
