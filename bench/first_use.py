"""Pages that were slow the first time or at every visit (issue 27, finding 21), measured in-process on a database
with the demo's data (`manage.py load_demo`): the audit log in the administration, the first de-identification and
the first art. 15 PDF in a fresh process, with and without the start-up warm-up (startup.warm_up). Each first use
runs in a process of its own, so nothing is loaded before it.

    DATABASE_URL=postgres://... DEBUG=1 DEMO_MODE=1 .venv/bin/python bench/first_use.py
"""

import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def _client(username: str) -> object:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from kenniscentrum.accounts.models import Authenticator, User

    user = User.objects.get(username=username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = Authenticator.objects.filter(user=user).first().persistent_id
    session.save()
    return client


def _timed(client: object, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)  # type: ignore[attr-defined]
    assert response.status_code == 200, (path, response.status_code)
    return time.perf_counter() - started


def audit_log() -> dict[str, float]:
    """The audit log's first page, its default view (repeats folded) and every event: the first request, then the
    median of five."""
    client = _client("beheer")
    result = {}
    for name, path in (("audit log", "/beheer/audit/auditevent/"),
                       ("audit log, every event", "/beheer/audit/auditevent/?herhalingen=alle")):  # fmt: skip
        first = _timed(client, path)
        result[f"{name}: first"] = first
        result[f"{name}: median of 5"] = statistics.median(_timed(client, path) for _ in range(5))
    return result


def first_uses(warm: bool) -> dict[str, float]:
    """In this fresh process: optionally the warm-up a serving process does at start, then the first
    de-identification and the first and second art. 15 PDF."""
    from kenniscentrum.cases.models import Person
    from kenniscentrum.insights.deidentify import deidentified

    result = {}
    if warm:
        from kenniscentrum.startup import warm_up

        started = time.perf_counter()
        warm_up()
        result["warm-up at start"] = time.perf_counter() - started
    started = time.perf_counter()
    deidentified("Ariana Pușcașu belde op 1 januari met 06-12345678.")
    result["first de-identification"] = time.perf_counter() - started
    client = _client("privacy")
    path = f"/medewerkers/inzageverzoek/persoon/{Person.objects.order_by('pk').first().pk}/?formaat=pdf"
    result["first art. 15 PDF"] = _timed(client, path)
    result["second art. 15 PDF"] = _timed(client, path)
    return result


def _in_fresh_process(what: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, what], capture_output=True, text=True, check=True, cwd=ROOT)  # noqa: S603 (this script, fixed arguments)
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if len(sys.argv) > 1:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kenniscentrum.settings")
        django.setup()
        measured = audit_log() if sys.argv[1] == "audit" else first_uses(warm=sys.argv[1] == "warm")
        print(json.dumps({k: round(v, 3) for k, v in measured.items()}))
    else:
        for what in ("audit", "cold", "warm"):
            print(what, json.dumps(_in_fresh_process(what)), flush=True)
