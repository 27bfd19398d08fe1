"""The placeholder keys of deploy/env.example do not start the server (probe 3, finding 4): with a known receipt key
anyone could compute receipt codes. Placeholders and short or plain keys are refused at start-up."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from kenniscentrum.startup import startup_problems

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def example_environment() -> dict[str, str]:
    lines = (ROOT / "deploy" / "env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def test_the_example_environments_keys_do_not_start_the_server() -> None:
    example = example_environment()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "RECEIPT_CODE_KEY", "DEBUG"))}
    env.update(DEBUG="0", SECRET_KEY=example["SECRET_KEY"], RECEIPT_CODE_KEY=example["RECEIPT_CODE_KEY"],
               DATA_KEYS=Fernet.generate_key().decode())  # fmt: skip
    run = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-c", "import kenniscentrum.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode != 0
    assert "SECRET_KEY is a placeholder" in run.stderr
    assert "RECEIPT_CODE_KEY is a placeholder" in run.stderr


@pytest.mark.parametrize(
    ("secret_key", "receipt_key", "refused"),
    [
        ("CHANGE-ME-to-50-random-characters", secrets.token_urlsafe(50), "SECRET_KEY is a placeholder"),
        (secrets.token_urlsafe(50), "CHANGE-ME-to-another-50-random-characters", "RECEIPT_CODE_KEY is a placeholder"),
        # Long enough, but still the example's text.
        (secrets.token_urlsafe(50), "change-me-" + secrets.token_urlsafe(50), "RECEIPT_CODE_KEY is a placeholder"),
        (secrets.token_urlsafe(20), secrets.token_urlsafe(50), "SECRET_KEY is too short or too plain"),
        (secrets.token_urlsafe(50), "x" * 60, "RECEIPT_CODE_KEY is too short or too plain"),
        (secrets.token_urlsafe(50), "a-real-key-" + "k" * 40, "RECEIPT_CODE_KEY is too short or too plain"),
    ],
    ids=["secret-placeholder", "receipt-placeholder", "padded-placeholder", "short", "one-character", "plain"],
)
def test_placeholders_and_short_or_plain_keys_are_refused(settings, secret_key, receipt_key, refused) -> None:
    settings.DATA_KEYS = [Fernet.generate_key().decode()]
    settings.SECRET_KEY, settings.RECEIPT_CODE_KEY = secret_key, receipt_key
    assert any(problem.startswith(refused) for problem in startup_problems()), startup_problems()


@pytest.mark.parametrize("make", [lambda: secrets.token_urlsafe(50), lambda: secrets.token_hex(32)])
def test_random_keys_start_the_server(settings, make) -> None:
    settings.DATA_KEYS = [Fernet.generate_key().decode()]
    settings.SECRET_KEY, settings.RECEIPT_CODE_KEY = make(), make()
    assert startup_problems() == []


@pytest.mark.parametrize("name", ["BACKUP_KEY", "AUDIT_SIGNING_KEY"])
def test_the_nightly_jobs_keys_are_checked_at_start_not_at_night(settings, monkeypatch, name) -> None:
    """The re-test: BACKUP_KEY=CHANGE-ME and AUDIT_SIGNING_KEY=CHANGE-ME (as in env.example) started the server; they
    failed only when the backup or the anchor ran, leaving the installation without either."""
    settings.DATA_KEYS = [Fernet.generate_key().decode()]
    settings.SECRET_KEY, settings.RECEIPT_CODE_KEY = secrets.token_urlsafe(50), secrets.token_urlsafe(50)
    monkeypatch.setenv(name, example_environment()[name])
    assert any(name in problem for problem in startup_problems()), startup_problems()


def test_real_nightly_keys_start_the_server(settings, monkeypatch) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    settings.DATA_KEYS = [Fernet.generate_key().decode()]
    settings.SECRET_KEY, settings.RECEIPT_CODE_KEY = secrets.token_urlsafe(50), secrets.token_urlsafe(50)
    raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    monkeypatch.setenv("BACKUP_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("AUDIT_SIGNING_KEY", base64.b64encode(raw).decode())
    assert startup_problems() == []


@pytest.mark.parametrize("name", ["BACKUP_KEY", "AUDIT_SIGNING_KEY"])
def test_a_well_formed_but_guessable_nightly_key_is_refused(settings, monkeypatch, name) -> None:
    """The second re-test: an all-zero key is a valid Fernet or Ed25519 key, and anyone could guess it."""
    settings.DATA_KEYS = [Fernet.generate_key().decode()]
    settings.SECRET_KEY, settings.RECEIPT_CODE_KEY = secrets.token_urlsafe(50), secrets.token_urlsafe(50)
    encode = base64.urlsafe_b64encode if name == "BACKUP_KEY" else base64.b64encode
    monkeypatch.setenv(name, encode(bytes(32)).decode())
    assert any(problem.startswith(f"{name} is a key anyone could guess") for problem in startup_problems())
