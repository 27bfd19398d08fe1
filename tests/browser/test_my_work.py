"""The start page after login, in a real Chromium: a case director in Dutch finds what waits and extends a grant from
it; a police user in English finds the task a meeting gave the police, answers it, and reaches nothing of the case."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import TOTP

from kenniscentrum.accounts.models import Authenticator, Role
from kenniscentrum.cases.models import AccessGrant, Task
from kenniscentrum.cases.services import task_add
from kenniscentrum.organisations.models import OrganisationType
from tests.browser.conftest import check_page
from tests.conftest import PASSWORD, make_user
from tests.factories import AccessGrantFactory

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()


def log_in(page: Any, live_server: Any, user: Any, prefix: str, labels: tuple[str, str, str, str, str]) -> None:
    username, password, next_, code_label, log_in_ = labels
    page.goto(f"{prefix}/medewerkers/inloggen/")
    check_page(page, live_server)
    page.get_by_label(username).fill(user.username)
    page.get_by_label(password).fill(PASSWORD)
    page.get_by_role("button", name=next_).click()
    page.get_by_label(code_label).wait_for()
    device = Authenticator.objects.get(user=user)
    page.get_by_label(code_label).fill(
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )
    page.get_by_role("button", name=log_in_).click()


DUTCH = ("Gebruikersnaam", "Wachtwoord", "Volgende", "Zescijferige code uit je authenticator-app", "Inloggen")
ENGLISH = ("Username", "Password", "Next", "Six-digit code from your authenticator app", "Log in")


def test_a_director_starts_on_my_work_and_extends_access_ending_soon(page, live_server, case, director) -> None:
    police = make_user("pieter", Role.PARTNER, OrganisationType.POLICE).organisation
    grant = AccessGrantFactory(case=case, organisation=police, purpose="Onderzoek door de politie",
                               valid_until=TODAY + timedelta(days=3), granted_by=director)  # fmt: skip
    task_add(case=case, actor=director, title="Dossier opvragen", owner_user=director, owner_organisation=None,
             due_date=TODAY - timedelta(days=1))  # fmt: skip

    log_in(page, live_server, director, "", DUTCH)
    page.get_by_role("heading", name="Mijn werk", exact=True).wait_for()
    check_page(page, live_server)
    assert page.get_by_role("heading", name="Open taak (1)").is_visible()
    assert page.get_by_role("cell", name="Dossier opvragen", exact=True).is_visible()
    assert page.get_by_text("te laat").first.is_visible()
    assert page.get_by_role("heading", name="Toegang die eindigt (1)").is_visible()

    page.get_by_role("link", name=f"Toegang van {police} wijzigen").click()
    page.get_by_role("heading", name=f"Toegang van {police} tot {case.reference}").wait_for()
    check_page(page, live_server)
    page.get_by_label("Tot en met").fill((TODAY - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Toegang opslaan").click()
    page.get_by_text("De einddatum ligt in het verleden").first.wait_for()
    check_page(page, live_server)
    assert page.get_by_label("Doel").input_value() == grant.purpose  # what was there stays
    later = TODAY + timedelta(days=60)
    page.get_by_label("Tot en met").fill(later.isoformat())
    page.get_by_role("button", name="Toegang opslaan").click()
    page.get_by_text(f"De toegang van {police} is opgeslagen.").wait_for()
    grant.refresh_from_db()
    assert grant.valid_until == later

    page.get_by_role("link", name="Mijn werk").click()
    page.get_by_role("heading", name="Toegang die eindigt (0)").wait_for()
    check_page(page, live_server)


def test_a_police_user_answers_a_task_given_without_access_to_the_case(page, live_server, case, director) -> None:
    police_user = make_user("paul", Role.PARTNER, OrganisationType.POLICE)
    task_add(case=case, actor=director, title="Check the address", owner_user=None,
             owner_organisation=police_user.organisation, due_date=TODAY + timedelta(days=2))  # fmt: skip
    assert not AccessGrant.objects.filter(organisation=police_user.organisation).exists()

    log_in(page, live_server, police_user, "/en", ENGLISH)
    page.get_by_role("heading", name="My work", exact=True).wait_for()
    check_page(page, live_server)
    assert page.get_by_role("cell", name="Check the address", exact=True).is_visible()
    assert page.get_by_text("only this task is shared").is_visible()
    assert page.get_by_role("link", name=case.reference).count() == 0
    assert page.get_by_text(case.title).count() == 0

    page.get_by_label("Status of Check the address").select_option("done")
    page.get_by_role("button", name="Save").first.click()
    page.get_by_role("heading", name="Open tasks (0)").wait_for()
    check_page(page, live_server)
    assert Task.objects.get(title="Check the address").status == "done"
    assert page.goto(f"/en/medewerkers/casussen/{case.pk}/").status == 404
