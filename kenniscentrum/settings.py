"""The one settings file. Every value that differs between machines comes from the environment.

Read it top to bottom to know how the platform is configured; there is no other settings module.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A string setting; `NAME_FILE` (a path) wins over `NAME`, so secrets can come from files."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = envbool("DEBUG", False)
# A fixed key is only acceptable for the demo and the tests; the server refuses to start with it while
# DEBUG is off (kenniscentrum/startup.py).
INSECURE_SECRET_KEY = "insecure-demo-key-change-me-" + "x" * 32
SECRET_KEY = env("SECRET_KEY", INSECURE_SECRET_KEY)
# Receipt codes are looked up by a keyed hash; a separate key lets SECRET_KEY rotate without
# invalidating every receipt that reporters hold.
RECEIPT_CODE_KEY = env("RECEIPT_CODE_KEY", SECRET_KEY)
# Encryption at rest (lib/encryption.py): Fernet keys, the first encrypts, all decrypt. The demo key is public, so a
# server without DEBUG refuses to start with it (startup.py).
INSECURE_DATA_KEY = "ZGVtby1rZXktbm90LWZvci1yZWFsLWRhdGEtLS0tLS0="
DATA_KEYS = [key.strip() for key in env("DATA_KEYS", INSECURE_DATA_KEY).split(",") if key.strip()]
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "kenniscentrum.lib",
    "kenniscentrum.audit",
    "kenniscentrum.organisations",
    "kenniscentrum.accounts",
    "kenniscentrum.reports",
    "kenniscentrum.indicators",
    "kenniscentrum.knowledge",
    "kenniscentrum.cases",
    "kenniscentrum.referrals",
    "kenniscentrum.meetings",
    "kenniscentrum.linking",
    "kenniscentrum.upkeep",
    "kenniscentrum.notifications",
    "kenniscentrum.insights",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "kenniscentrum.api",
]

MIDDLEWARE = [
    # Outermost, so every error under /api/ leaves as problem details (kenniscentrum/api/middleware.py).
    "kenniscentrum.api.middleware.ApiProblemMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kenniscentrum.lib.middleware.AllowedMethodsMiddleware",
    # Serves the app's own CSS and JavaScript (the quick exit needs its script) also with DEBUG off.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kenniscentrum.lib.middleware.SessionLifetimeMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kenniscentrum.lib.middleware.StaffLanguageMiddleware",
    "kenniscentrum.lib.uploads.RequestSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kenniscentrum.lib.middleware.CsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every view needs a verified (two-factor) login unless it is marked public.
    "kenniscentrum.accounts.middleware.StaffOnlyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kenniscentrum.lib.middleware.NoStoreMiddleware",
    "kenniscentrum.lib.middleware.OwnNotFoundPageMiddleware",
]

# Only the benchmarks set this, to add a minimal ceiling view beside the real pages.
ROOT_URLCONF = env("ROOT_URLCONF", "kenniscentrum.urls")
WSGI_APPLICATION = "kenniscentrum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kenniscentrum" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kenniscentrum.lib.context_processors.platform",
                "kenniscentrum.accounts.context_processors.unsent",
            ],
        },
    },
]

FORM_RENDERER = "kenniscentrum.lib.renderers.WidgetRenderer"

# SQLite by default (demo, laptop); PostgreSQL in production and CI through DATABASE_URL.
# Connections are kept for a minute: opening a PostgreSQL connection per request costs more than the
# page itself (docs/benchmarks.md). Health checks replace a connection the server has closed.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
        # The choices of a select are read with a cursor on the server otherwise: outside a transaction PostgreSQL
        # keeps a copy of the result for it, a round trip and a copy for every select on a page.
        disable_server_side_cursors=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite under a server with several processes: write-ahead logging lets readers go on while one
    # writes, IMMEDIATE transactions take the write lock at the start (so two writers queue instead of
    # one failing with "database is locked" halfway), and a writer waits up to 20 s for its turn.
    # Production runs on PostgreSQL; this keeps the demo and a small installation from losing reports.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's password backend with the platform's rule: an account acts only while its organisation is active.
AUTHENTICATION_BACKENDS = ["kenniscentrum.accounts.backends.AccountBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "notifications:work"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins per username within the window: past the limit, wrong passwords make the password step
# answer nothing more, and wrong codes after a right password lock the username (accounts/services.py).
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = envint("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# A one-time enrolment code for a first (or reset) authenticator is valid this long.
ENROLMENT_CODE_HOURS = envint("ENROLMENT_CODE_HOURS", 24)
# Receipt look-ups: failures per browser session, and for all visitors together (no IP is kept,
# so the global budget is what stops a distributed guesser).
RECEIPT_FAILURES_PER_SESSION = envint("RECEIPT_FAILURES_PER_SESSION", 5)
RECEIPT_FAILURES_GLOBAL = envint("RECEIPT_FAILURES_GLOBAL", 200)
RECEIPT_FAILURE_WINDOW_SECONDS = envint("RECEIPT_FAILURE_WINDOW_SECONDS", 60 * 60)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Kenniscentrum Mensenhandel")

# Sessions end after inactivity and when the browser closes.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
# The idle timer restarts with use, at most once a minute (lib/sessions.session_touch), not with a write per request.
SESSION_SAVE_EVERY_REQUEST = False
# However active, a session ends this long after its login (or its receipt code): a working day.
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
# Gone when the browser closes: nothing of this site stays on the device of someone whose phone is checked.
CSRF_COOKIE_AGE = None
# A refused form is answered in the site's own frame, with the quick exit (lib/errors.csrf_failure).
CSRF_FAILURE_VIEW = "kenniscentrum.lib.errors.csrf_failure"
HTTPS = envbool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
# A visitor's path must never reach another site, not even the quick-exit target.
SECURE_REFERRER_POLICY = "no-referrer"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

LANGUAGE_CODE = "nl"
# Each language is named in itself, so a visitor finds their own whatever language the page is in.
# Public pages are also in the languages of many labour migrants in the region; staff work in Dutch or English.
LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("bg", "Български"),
    ("uk", "Українська"),
]
STAFF_LANGUAGES = ["nl", "en"]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kenniscentrum.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
# WhiteNoise serves static files from the apps' own folders, so no collectstatic step is needed; set
# STATIC_ROOT only to collect them for a web server in front.
STATIC_ROOT = env("STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "kenniscentrum" / "static"]
# Files are rows in the database, encrypted (lib/storage.py). MEDIA_ROOT is read only to move files stored on disk
# by an earlier version into the database (lib/migrations/0003_files_into_the_database.py).
STORAGES = {
    "default": {"BACKEND": "kenniscentrum.lib.storage.EncryptedDatabaseStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Attachments are never served from MEDIA_URL; staff download them through an audited view.
MEDIA_URL = "/no-public-media/"
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = envint("ATTACHMENT_MAX_COUNT", 5)
# What one report may hold in all, with the files a reporter adds later through the receipt code: four times what
# the form takes at once, in files and in stored bytes (reports/services.py, `report_reporter_add_files`).
REPORT_ATTACHMENT_MAX_COUNT = envint("REPORT_ATTACHMENT_MAX_COUNT", 4 * ATTACHMENT_MAX_COUNT)
REPORT_ATTACHMENT_MAX_BYTES = envint("REPORT_ATTACHMENT_MAX_BYTES", 4 * ATTACHMENT_MAX_COUNT * ATTACHMENT_MAX_BYTES)
# Form fields other than files may take this much; larger is refused before a form sees it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Drops what passes ATTACHMENT_MAX_BYTES of one file while it streams in (lib/uploads.py).
FILE_UPLOAD_HANDLERS = ["kenniscentrum.lib.uploads.CappedUploadHandler"]
# A whole request body past this is refused unread (a reporter with a few too-large files still gets
# the form back with their text; only far larger bodies get the "too much at once" page).
REQUEST_MAX_BYTES = envint("REQUEST_MAX_BYTES", 2 * ATTACHMENT_MAX_COUNT * ATTACHMENT_MAX_BYTES)

EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "meldpunt@localhost")
# The platform's address as staff reach it, for the link in a notification.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# The region this installation serves; another region points REGION_FILE at its own file.
REGION_FILE = Path(env("REGION_FILE", str(BASE_DIR / "kenniscentrum" / "organisations" / "regions" / "twente.json")))
# Where the quick-exit button sends a visitor: a neutral, everyday site.
QUICK_EXIT_URL = env("QUICK_EXIT_URL", "https://www.weeronline.nl/")
# Demo mode allows printing the current two-factor codes of demo accounts; never on in production.
DEMO_MODE = envbool("DEMO_MODE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    # Person matching's library reports each step at INFO; only its warnings belong in the output.
    "loggers": {"splink": {"level": "WARNING"}},
}

# The partner API (kenniscentrum/api, docs/api.md): JSON only, bearer tokens only (no session, no cookie), errors as
# problem details, OpenAPI 3 from drf-spectacular with its documentation page's assets served from here.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["kenniscentrum.api.authentication.BearerToken"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "kenniscentrum.api.authentication.HasScope",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["kenniscentrum.api.parsers.JSONParser"],
    # Each client at most API_RATE calls (kenniscentrum/api/throttling.py), counted in the database (lib/throttle).
    "DEFAULT_THROTTLE_CLASSES": ["kenniscentrum.api.throttling.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kenniscentrum.api.problems.problem_handler",
    "UNAUTHENTICATED_USER": None,
    # OPTIONS is not an operation of this API: it answers 405 like any other method an endpoint does not take.
    "DEFAULT_METADATA_CLASS": None,
}
# Calls per API client, as DRF writes a rate ("60/min", "1000/hour"); past it the client gets 429 with Retry-After.
API_RATE = env("API_RATE", "60/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Kenniscentrum partner API",
    "DESCRIPTION": "For partner organisations' systems: submit reports and signals and follow them, answer referrals "
    "and tasks, read the region's published figures. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "YesNoUnknownEnum": "kenniscentrum.lib.vocabulary.YesNoUnknown",
        "ReportStatusEnum": "kenniscentrum.lib.vocabulary.ReportStatus",
        "ReferralStatusEnum": "kenniscentrum.lib.vocabulary.ReferralStatus",
        "TaskStatusEnum": "kenniscentrum.lib.vocabulary.TaskStatus",
    },
}
