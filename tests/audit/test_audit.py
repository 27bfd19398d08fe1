import pytest

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.audit.services import audit_record
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted(intake) -> None:
    event = audit_record(action=Action.LOGIN, actor=intake, obj=intake)
    event.action = Action.LOGOUT
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action=Action.LOGOUT)
    assert AuditEvent.objects.get().action == Action.LOGIN


def test_the_actor_name_survives_a_renamed_account(intake) -> None:
    audit_record(action=Action.LOGIN, actor=intake)
    intake.username = "renamed"
    intake.save()
    assert AuditEvent.objects.get().actor_name == "ilse"


def test_functional_admins_read_the_log_with_filters_and_reading_is_audited(admin_user, intake) -> None:
    audit_record(action=Action.LOGIN, actor=intake, obj=intake)
    audit_record(action=Action.LOGIN_FAILED, username="mallory")
    client = logged_in(admin_user)
    response = client.get("/beheer/audit/auditevent/", {"action__exact": Action.LOGIN_FAILED})
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [r.action for r in rows] == [Action.LOGIN_FAILED]
    assert AuditEvent.objects.filter(action=Action.AUDIT_VIEWED, actor=admin_user).exists()


def test_the_log_offers_no_way_to_change_an_event(admin_user, intake) -> None:
    event = audit_record(action=Action.LOGIN, actor=intake)
    client = logged_in(admin_user)
    client.post(f"/beheer/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    client.post("/beheer/audit/auditevent/add/", {"action": Action.LOGOUT})
    assert list(AuditEvent.objects.filter(action__in=[Action.LOGIN, Action.LOGOUT]).values_list("pk", flat=True)) == [
        event.pk
    ]


def test_admin_changes_to_users_are_audited(admin_user, intake) -> None:
    client = logged_in(admin_user)
    response = client.post(
        "/beheer/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [intake.pk]},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.ADMIN_CHANGE, object_id=str(intake.pk)).exists()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not TOTPDevice.objects.filter(user=intake).exists()


def test_a_functional_admin_adds_a_user_with_a_role_and_it_is_audited(admin_user) -> None:
    from kenniscentrum.accounts.models import User
    from kenniscentrum.organisations.models import Organisation

    centre = Organisation.objects.get(type="knowledge_centre")
    client = logged_in(admin_user)
    response = client.post(
        "/beheer/accounts/user/add/",
        {
            "username": "nieuw",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "email": "nina@example.org",
            "organisation": centre.pk,
            "password1": "een-lang-wachtwoord-2026",
            "password2": "een-lang-wachtwoord-2026",
            "usable_password": "true",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-role": "intake",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="nieuw")
    assert user.organisation == centre and user.has_role("intake")
    assert AuditEvent.objects.filter(action=Action.ADMIN_CHANGE, object_id=str(user.pk)).exists()


def test_a_functional_admin_adds_an_organisation(admin_user) -> None:
    from kenniscentrum.organisations.models import Organisation

    client = logged_in(admin_user)
    response = client.post("/beheer/organisations/organisation/add/", {"name": "Fier", "type": "care", "active": "on"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Fier", type="care").exists()


def test_the_administration_pages_render(admin_user, intake) -> None:
    client = logged_in(admin_user)
    for path in (
        f"/beheer/accounts/user/{intake.pk}/change/",
        "/beheer/accounts/user/add/",
        "/beheer/organisations/organisation/add/",
        "/beheer/audit/auditevent/",
    ):
        assert client.get(path).status_code == 200, path
