"""Staff log in with a password and a TOTP code; repeated failures lock the username."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP

from kenniscentrum.accounts.models import Authenticator, EnrolmentCode, User
from kenniscentrum.accounts.services import enrolment_code_issue
from kenniscentrum.audit.models import Action, AuditEvent
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db


def current_code(device: Authenticator) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_it_logs_in_with_password_and_code(client, intake) -> None:
    response = client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    assert response["Location"] == "/medewerkers/inloggen/code/"
    # After the password alone, staff pages stay closed.
    assert client.get("/medewerkers/meldingen/").status_code == 302
    device = Authenticator.objects.get(user=intake)
    response = client.post("/medewerkers/inloggen/code/", {"token": current_code(device)})
    assert response["Location"] == "/medewerkers/"  # the start page: my work
    assert client.get("/medewerkers/meldingen/").status_code == 200
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=intake).count() == 1


def test_it_returns_to_the_page_asked_for_but_never_to_another_site(client, intake) -> None:
    device = Authenticator.objects.get(user=intake)
    client.post("/medewerkers/inloggen/?next=https://evil.example/", {"username": "ilse", "password": PASSWORD})
    response = client.post("/medewerkers/inloggen/code/", {"token": current_code(device)})
    assert response["Location"] == "/medewerkers/"  # the start page: my work


def test_a_wrong_password_gives_one_generic_message_and_is_audited(client, intake) -> None:
    response = client.post("/medewerkers/inloggen/", {"username": "ilse", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'value="ilse"' in response.content.decode()  # what was typed is kept (not the password)
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.details == {"username": "ilse", "factor": "password"}


def test_a_name_typed_at_a_failed_login_is_kept_only_when_it_is_an_account(client, intake) -> None:
    # Someone typed their password into the username field.
    client.post("/medewerkers/inloggen/", {"username": "Zomer2026!geheim", "password": "x"})
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert "Zomer2026!geheim" not in str(event.details) and "Zomer2026" not in event.object_label


def test_a_wrong_code_is_refused(client, intake) -> None:
    client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    response = client.post("/medewerkers/inloggen/code/", {"token": "000000"})
    assert response.status_code == 200
    assert client.get("/medewerkers/meldingen/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.OTP_FAILED).count() == 1


def test_the_owner_logs_in_while_a_stranger_keeps_their_username_under_attack(client, intake) -> None:
    device = Authenticator.objects.get(user=intake)
    for _ in range(3 * settings.LOGIN_FAILURE_LIMIT):
        Client().post("/medewerkers/inloggen/", {"username": "ilse", "password": "guess"})
    # Under attack, the password step tells nothing: a wrong and a right password look the same.
    attacker = Client()
    wrong = attacker.post("/medewerkers/inloggen/", {"username": "ilse", "password": "guess"})
    right = client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    assert wrong.status_code == right.status_code == 302
    assert wrong["Location"] == right["Location"] == "/medewerkers/inloggen/code/"
    # The attacker's guess goes nowhere, whatever code it adds.
    attacker.post("/medewerkers/inloggen/code/", {"token": current_code(device)})
    assert attacker.get("/medewerkers/meldingen/").status_code == 302
    # The owner's right password with a valid code gets through.
    response = client.post("/medewerkers/inloggen/code/", {"token": current_code(device)})
    assert response["Location"] == "/medewerkers/"  # the start page: my work
    assert client.get("/medewerkers/meldingen/").status_code == 200


def test_wrong_codes_after_a_right_password_lock_the_username(client, intake) -> None:
    device = Authenticator.objects.get(user=intake)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
        client.post("/medewerkers/inloggen/code/", {"token": "000000"})
    # Only someone who knows the password can cause this lock; then even a valid code is refused.
    client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    response = client.post("/medewerkers/inloggen/code/", {"token": current_code(device)})
    assert client.get("/medewerkers/meldingen/").status_code == 302
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED).exists()


def test_a_password_alone_cannot_enrol_an_authenticator(client, intake) -> None:
    Authenticator.objects.filter(user=intake).delete()
    response = client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    assert response["Location"] == "/medewerkers/inloggen/koppelen/"
    page = client.get("/medewerkers/inloggen/koppelen/")
    assert "secret" not in page.context  # no authenticator key before the enrolment code
    assert client.get("/medewerkers/inloggen/koppelen/qr.svg").status_code == 404
    refused = client.post("/medewerkers/inloggen/koppelen/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert refused.status_code == 200 and refused.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=intake).exists()
    assert client.get("/medewerkers/meldingen/").status_code == 302


def test_a_new_user_enrols_with_the_admins_code_and_a_qr_code_drawn_by_the_app(client, intake, admin_user) -> None:
    code, _record = enrolment_code_issue(user=intake, actor=admin_user)
    response = client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    assert response["Location"] == "/medewerkers/inloggen/koppelen/"
    assert client.post("/medewerkers/inloggen/koppelen/", {"code": code.lower()})["Location"] == (
        "/medewerkers/inloggen/koppelen/"
    )
    page = client.get("/medewerkers/inloggen/koppelen/")
    assert page.status_code == 200
    qr = client.get("/medewerkers/inloggen/koppelen/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<?xml") and b"<svg" in qr.content
    device = Authenticator.objects.get(user=intake, confirmed=False)
    assert page.context["secret"]  # the key can be typed by someone who cannot scan
    response = client.post("/medewerkers/inloggen/koppelen/", {"token": current_code(device)})
    assert response["Location"] == "/medewerkers/"  # the start page: my work
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action=Action.OTP_ENROLLED, actor=intake).exists()
    assert AuditEvent.objects.filter(action=Action.ENROLMENT_CODE_ISSUED, actor=admin_user).exists()
    assert AuditEvent.objects.filter(action=Action.ENROLMENT_CODE_USED, actor=intake).exists()
    # The code was for one enrolment only.
    Authenticator.objects.filter(user=intake).delete()
    other = Client()
    other.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    again = other.post("/medewerkers/inloggen/koppelen/", {"code": code})
    assert again.status_code == 200 and again.context["form"].errors["code"]


def test_an_enrolment_code_expires(client, intake, admin_user, settings) -> None:
    code, record = enrolment_code_issue(user=intake, actor=admin_user)
    EnrolmentCode.objects.filter(pk=record.pk).update(
        issued_at=timezone.now() - timedelta(hours=settings.ENROLMENT_CODE_HOURS + 2),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    response = client.post("/medewerkers/inloggen/koppelen/", {"code": code})
    assert response.status_code == 200 and response.context["form"].errors["code"]


def test_sessions_have_an_absolute_lifetime(client, intake, settings) -> None:
    device = Authenticator.objects.get(user=intake)
    client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    client.post("/medewerkers/inloggen/code/", {"token": current_code(device)})
    assert client.get("/medewerkers/meldingen/").status_code == 200
    session = client.session
    session["session_started_at"] -= settings.SESSION_ABSOLUTE_SECONDS + 1
    session.save()
    # However recently it was used, the session has ended.
    assert client.get("/medewerkers/meldingen/").status_code == 302


def test_the_qr_code_is_not_shown_without_a_pending_login(client, intake) -> None:
    assert client.get("/medewerkers/inloggen/koppelen/qr.svg").status_code == 404


def test_logout_ends_the_session(intake) -> None:
    from tests.conftest import logged_in

    client = logged_in(intake)
    assert client.get("/medewerkers/meldingen/").status_code == 200
    # Logging out needs a POST: the address alone shows the button, and the session goes on.
    assert client.get("/medewerkers/uitloggen/").status_code == 200
    assert client.get("/medewerkers/meldingen/").status_code == 200
    client.post("/medewerkers/uitloggen/")
    assert client.get("/medewerkers/meldingen/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=intake).exists()


def test_sessions_end_after_inactivity() -> None:
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_use_restarts_the_idle_timer_at_most_once_a_minute(intake) -> None:
    from django.contrib.sessions.models import Session

    from kenniscentrum.lib.sessions import TOUCHED

    client = logged_in(intake)
    client.get("/medewerkers/meldingen/")
    key = client.cookies["sessionid"].value
    first = Session.objects.get(pk=key).expire_date
    # Within the minute: the session is read, not written.
    before = Session.objects.get(pk=key).session_data
    client.get("/medewerkers/meldingen/")
    assert Session.objects.get(pk=key).session_data == before
    # A minute later the next request restarts the timer.
    session = client.session
    session[TOUCHED] -= 61
    session.save()
    client.get("/medewerkers/meldingen/")
    assert Session.objects.get(pk=key).expire_date > first


def test_a_visitor_without_a_session_gets_none(client, region) -> None:
    from django.contrib.sessions.models import Session

    client.get("/")
    client.get("/melden/")
    assert not Session.objects.exists()


def test_passwords_are_hashed_with_argon2(intake, settings) -> None:
    from kenniscentrum import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    intake.set_password("another-long-password-456")
    intake.save()
    assert User.objects.get(pk=intake.pk).password.startswith("argon2")
