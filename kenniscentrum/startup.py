"""What must hold before the server answers a single request; checked when the WSGI application loads
(gunicorn, and `manage.py runserver`, which loads the same application).

Ways a real installation could fall open are refused here rather than documented and hoped for: running with
the public demo secret key or data key, or with a secret key that is a placeholder, short or plain, and running with
the demo accounts (whose password is in the README) in a database that is not a demo. Keys that do not decrypt the
stored data stop the demo too.
"""

import base64
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections

from kenniscentrum.accounts.demo import demo_accounts_exist
from kenniscentrum.lib.encryption import keys_fit


def key_problems() -> list[str]:
    """Encryption at rest needs keys that fit the data: checked in the demo too, where a wrong key would show
    errors on every page that reads a reporter."""
    if not settings.DEBUG and settings.INSECURE_DATA_KEY in settings.DATA_KEYS:
        return ["DATA_KEYS holds the public demo key: set it to your own key (manage.py rotate_keys --new-key)."]
    try:
        keys_fit()
    except ImproperlyConfigured as error:
        return [str(error)]
    except DatabaseError:
        pass  # no tables yet: `migrate` comes next
    return []


# A secret key: at least this long, with at least this many different characters (a random key of 50 characters has
# some 30, a hexadecimal one of 64 all 16), and none of the words the examples and demos use in their stand-ins.
KEY_MIN_LENGTH = 50
KEY_MIN_DISTINCT = 10
PLACEHOLDER_WORDS = ("change-me", "changeme", "change_me", "insecure", "replace-me", "your-secret")
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def secret_key_problem(name: str, value: str) -> str | None:
    """Why `value` cannot be the secret `name`, or None. A key others can know or guess lets them compute what it
    protects: with a known RECEIPT_CODE_KEY, receipt codes and form tokens; with a known SECRET_KEY, sessions."""
    if any(word in value.lower() for word in PLACEHOLDER_WORDS):
        return f"{name} is a placeholder (from deploy/env.example or the demo): set it to your own key ({MAKE_A_KEY})."
    if len(value) < KEY_MIN_LENGTH or len(set(value)) < KEY_MIN_DISTINCT:
        return (f"{name} is too short or too plain: use at least {KEY_MIN_LENGTH} random characters "
                f"({MAKE_A_KEY}).")  # fmt: skip
    return None


def operations_key_problems() -> list[str]:
    """BACKUP_KEY and AUDIT_SIGNING_KEY are read by the nightly commands, not by a request: a placeholder there would
    pass every page and fail only at night, leaving the installation without backups or anchors. When set, each must
    be a key of its kind now (unset is allowed: a server without them does not run those jobs)."""
    from kenniscentrum.audit.chain import signing_key
    from kenniscentrum.upkeep.backup import backup_fernet

    problems = []
    for name, check in (("BACKUP_KEY", backup_fernet), ("AUDIT_SIGNING_KEY", signing_key)):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                check()
            except ImproperlyConfigured as error:
                problems.append(str(error))
                continue
            # Well-formed but guessable (all zeros, one byte repeated): 32 random bytes have some 28 different values.
            if len(set(base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_")))) < KEY_MIN_DISTINCT:
                problems.append(f"{name} is a key anyone could guess: make a random one (docs/deploy.md).")
    return problems


def startup_problems() -> list[str]:
    problems = key_problems()
    if settings.DEBUG:
        return problems
    problems += operations_key_problems()
    if settings.SECRET_KEY == settings.INSECURE_SECRET_KEY or not settings.SECRET_KEY:
        problems.append("SECRET_KEY is not set: set it (or SECRET_KEY_FILE) to a long random value.")
    else:
        problems += filter(None, [secret_key_problem("SECRET_KEY", settings.SECRET_KEY)])
    if settings.RECEIPT_CODE_KEY == settings.INSECURE_SECRET_KEY:
        problems.append("RECEIPT_CODE_KEY falls back to the demo key: set SECRET_KEY or RECEIPT_CODE_KEY.")
    elif settings.RECEIPT_CODE_KEY != settings.SECRET_KEY:  # the same key is judged once, above
        problems += filter(None, [secret_key_problem("RECEIPT_CODE_KEY", settings.RECEIPT_CODE_KEY)])
    try:
        demo = demo_accounts_exist()
    except DatabaseError:
        demo = False  # a database without tables has no accounts; `migrate` comes next
    if demo:
        problems.append(
            "The database holds the demo accounts, whose password is public: remove them "
            "(manage.py disable_demo_accounts) or run the demo with DEBUG=1 DEMO_MODE=1."
        )
    return problems


def refuse_unsafe_start() -> None:
    problems = startup_problems()
    # Checked in the server's master process: its connection must not be shared with the workers.
    connections.close_all()
    if problems:
        raise ImproperlyConfigured("The platform will not start:\n- " + "\n- ".join(problems))


def warm_up() -> None:
    """What a serving process loads before its first request, so no one waits for it: deduce's tables for
    de-identification (seconds, about 1.1 GB) and WeasyPrint's fonts. gunicorn's master calls it before it forks
    (deploy/gunicorn.conf.py); `runserver` calls it in a thread of its serving process (insights/apps.py). Tests and
    management commands do not: they load either only when they use it."""
    from kenniscentrum.insights.deidentify import preload
    from kenniscentrum.lib.pdf import warm_up as pdf_warm_up

    preload()
    pdf_warm_up()
