"""Staff log in with a password and a TOTP code; repeated failures lock the username."""

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action, AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_it_logs_in_with_password_and_code(client, intake) -> None:
    response = client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    assert response["Location"] == "/medewerkers/inloggen/code/"
    # After the password alone, staff pages stay closed.
    assert client.get("/medewerkers/meldingen/").status_code == 302
    device = TOTPDevice.objects.get(user=intake)
    response = client.post("/medewerkers/inloggen/code/", {"token": current_code(device)})
    assert response["Location"] == "/medewerkers/meldingen/"
    assert client.get("/medewerkers/meldingen/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=intake).count() == 1


def test_it_returns_to_the_page_asked_for_but_never_to_another_site(client, intake) -> None:
    device = TOTPDevice.objects.get(user=intake)
    client.post("/medewerkers/inloggen/?next=https://evil.example/", {"username": "ilse", "password": PASSWORD})
    response = client.post("/medewerkers/inloggen/code/", {"token": current_code(device)})
    assert response["Location"] == "/medewerkers/meldingen/"


def test_a_wrong_password_gives_one_generic_message_and_is_audited(client, intake) -> None:
    response = client.post("/medewerkers/inloggen/", {"username": "ilse", "password": "wrong"})
    assert response.status_code == 200
    assert "De gebruikersnaam of het wachtwoord klopt niet" in response.content.decode()
    assert 'value="ilse"' in response.content.decode()  # what was typed is kept (not the password)
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.details == {"username": "ilse", "factor": "password"}


def test_a_wrong_code_is_refused(client, intake) -> None:
    client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    response = client.post("/medewerkers/inloggen/code/", {"token": "000000"})
    assert response.status_code == 200
    assert client.get("/medewerkers/meldingen/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.OTP_FAILED).count() == 1


def test_it_locks_a_username_after_repeated_failures(client, intake) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/medewerkers/inloggen/", {"username": "ilse", "password": "wrong"})
    # Now even the right password does not get through.
    response = client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    assert response.status_code == 200
    assert "inloggen/code" not in response.get("Location", "")
    assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED).count() == 1


def test_a_new_user_enrols_with_a_qr_code_drawn_by_the_app(client, intake) -> None:
    TOTPDevice.objects.filter(user=intake).delete()
    response = client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    assert response["Location"] == "/medewerkers/inloggen/koppelen/"
    page = client.get("/medewerkers/inloggen/koppelen/")
    assert page.status_code == 200
    qr = client.get("/medewerkers/inloggen/koppelen/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<?xml") and b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=intake, confirmed=False)
    assert page.context["secret"]  # the key can be typed by someone who cannot scan
    response = client.post("/medewerkers/inloggen/koppelen/", {"token": current_code(device)})
    assert response["Location"] == "/medewerkers/meldingen/"
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action=Action.OTP_ENROLLED, actor=intake).exists()


def test_the_qr_code_is_not_shown_without_a_pending_login(client, intake) -> None:
    assert client.get("/medewerkers/inloggen/koppelen/qr.svg").status_code == 404


def test_logout_ends_the_session(intake) -> None:
    from tests.conftest import logged_in

    client = logged_in(intake)
    assert client.get("/medewerkers/meldingen/").status_code == 200
    assert client.get("/medewerkers/uitloggen/").status_code == 405  # logging out needs a POST
    client.post("/medewerkers/uitloggen/")
    assert client.get("/medewerkers/meldingen/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=intake).exists()


def test_sessions_end_after_inactivity() -> None:
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # the idle timer restarts on every request
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_are_hashed_with_argon2(intake) -> None:
    assert User.objects.get(pk=intake.pk).password.startswith("argon2")
