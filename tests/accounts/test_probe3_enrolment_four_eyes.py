"""Probe 3, finding 18 (second route): an account's password and its enrolment code never come from the same
administrator. Otherwise one functional administrator makes a working case director account alone: create it (or set
an existing director's password), issue its enrolment code, log in as it and enrol. The administrator who last set an
account's password may not issue its enrolment code, nor use one they issued; another administrator must, or the
server's `manage.py enrolment_code` (outside the web, audited) where a centre has only one."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from kenniscentrum.accounts.models import Authenticator, EnrolmentCode, Role, User
from kenniscentrum.accounts.services import enrolment_code_issue
from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.organisations.models import OrganisationType
from tests.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db
CHOSEN = "Zelf-gekozen wachtwoord 2026!"
REFUSED = "Een andere functioneel beheerder moet de koppelcode geven"


def add_user(admin: User, username: str, role: str) -> User:
    """The real admin form: a new account with a password the administrator chooses, and a role."""
    data = {
        "username": username,
        "first_name": "Regie",
        "last_name": "Twee",
        "email": f"{username}@example.test",
        "organisation": admin.organisation_id,
        "password1": CHOSEN,
        "password2": CHOSEN,
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-0-role": role,
    }
    response = logged_in(admin).post("/beheer/accounts/user/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return User.objects.get(username=username)


def set_password(admin: User, user: User, pk: str = "") -> None:
    data = {"password1": CHOSEN, "password2": CHOSEN}
    response = logged_in(admin).post(f"/beheer/accounts/user/{pk or user.pk}/password/", data)
    assert response.status_code == 302, response.content.decode()[:3000]


def issue_codes(admin: User, *users: User) -> str:
    """The admin action "Reset two-factor login"; the page it answers with (followed when it redirects)."""
    data = {"action": "issue_enrolment_code", "_selected_action": [u.pk for u in users]}
    response = logged_in(admin).post("/beheer/accounts/user/", data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def codes_on(page: str) -> list[str]:
    import re

    return re.findall(r"<code>([0-9A-Z-]{19})</code>", page)


def enrols(username: str, code: str) -> bool:
    """Logs in with the chosen password and tries the enrolment code: True when the authenticator may be linked."""
    client = Client()
    assert client.post("/medewerkers/inloggen/", {"username": username, "password": CHOSEN}).status_code == 302
    response = client.post("/medewerkers/inloggen/koppelen/", {"code": code})
    return response.status_code == 302 and response["Location"] == "/medewerkers/inloggen/koppelen/"


def test_an_administrator_cannot_issue_the_code_of_an_account_they_created_with_a_password(admin_user) -> None:
    regie2 = add_user(admin_user, "regie2", Role.CASE_DIRECTOR)
    page = issue_codes(admin_user, regie2)
    assert REFUSED in page and not codes_on(page)
    assert not EnrolmentCode.objects.filter(user=regie2).exists()
    refused = AuditEvent.objects.get(action=Action.ACCESS_DENIED, actor=admin_user, details__refused="enrolment_code")
    assert refused.object_id == str(regie2.pk)


def test_nor_of_an_existing_director_whose_password_they_set(admin_user, director) -> None:
    set_password(admin_user, director)
    page = issue_codes(admin_user, director)
    assert REFUSED in page and not codes_on(page)
    # The director's own authenticator still works: nothing was reset.
    assert Authenticator.objects.filter(user=director, confirmed=True).exists()


def test_nor_set_the_password_after_issuing_the_code(admin_user, director) -> None:
    # The other order: the code first, then the password; the code then no longer opens the account.
    (code,) = codes_on(issue_codes(admin_user, director))
    set_password(admin_user, director)
    assert not enrols("ruben", code)
    assert not AuditEvent.objects.filter(action=Action.ENROLMENT_CODE_USED, object_id=str(director.pk)).exists()


def test_a_second_administrator_issues_it_and_the_user_enrols(admin_user) -> None:
    second = make_user("greet", Role.FUNCTIONAL_ADMIN, OrganisationType.KNOWLEDGE_CENTRE)
    regie2 = add_user(admin_user, "regie2", Role.CASE_DIRECTOR)
    (code,) = codes_on(issue_codes(second, regie2))
    assert enrols("regie2", code)
    issued = AuditEvent.objects.get(action=Action.ENROLMENT_CODE_ISSUED, object_id=str(regie2.pk))
    assert issued.actor == second


def test_a_mixed_selection_issues_the_codes_allowed_and_names_the_others(admin_user, director, intake) -> None:
    set_password(admin_user, director)
    page = issue_codes(admin_user, director, intake)
    assert REFUSED in page and len(codes_on(page)) == 1
    assert EnrolmentCode.objects.filter(user=intake).exists()
    assert not EnrolmentCode.objects.filter(user=director).exists()


def test_no_one_issues_their_own_enrolment_code(admin_user) -> None:
    # A stolen administrator session without the phone must not link a new phone to the account.
    page = issue_codes(admin_user, admin_user)
    assert REFUSED in page and not codes_on(page)
    assert Authenticator.objects.filter(user=admin_user, confirmed=True).exists()


def test_a_centre_with_one_administrator_issues_codes_on_the_server(admin_user) -> None:
    regie2 = add_user(admin_user, "regie2", Role.CASE_DIRECTOR)
    out = StringIO()
    call_command("enrolment_code", "regie2", stdout=out)
    (code,) = [line.split()[-1] for line in out.getvalue().splitlines() if line.startswith("regie2")]
    assert enrols("regie2", code)
    issued = AuditEvent.objects.get(action=Action.ENROLMENT_CODE_ISSUED, object_id=str(regie2.pk))
    assert issued.actor is None and issued.details["via"] == "manage.py"


def test_the_service_holds_the_rule_too(admin_user, director) -> None:
    set_password(admin_user, director)
    with pytest.raises(PermissionError):
        enrolment_code_issue(user=director, actor=admin_user)


@pytest.mark.parametrize("written", ["+{pk}", "0{pk}"])
def test_the_password_setter_is_kept_however_the_accounts_id_is_written(admin_user, director, written) -> None:
    """The re-test: `/beheer/accounts/user/+11/password/` set the password (Django reads "+11" as 11) but was not
    taken as the account's id here, so the setter was not kept and the same administrator then issued the code."""
    set_password(admin_user, director, pk=written.format(pk=director.pk))
    director.refresh_from_db()
    assert director.password_set_by == admin_user
    assert codes_on(issue_codes(admin_user, director)) == []
    event = AuditEvent.objects.filter(action=Action.ADMIN_CHANGE, details__operation="set_password").get()
    assert event.object_id == str(director.pk)
