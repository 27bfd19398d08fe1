"""The sector of labour exploitation is asked where it matters: the question shows once labour exploitation is ticked
among the forms, in the same form, without a second page."""

import pytest

from tests.browser.conftest import check_page
from tests.browser.test_journeys import staff_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_sector_is_asked_once_labour_exploitation_is_ticked(page, live_server, region) -> None:
    from kenniscentrum.accounts.models import Role
    from kenniscentrum.cases.models import Case
    from kenniscentrum.cases.services import case_open_from_report
    from kenniscentrum.organisations.models import OrganisationType
    from tests.conftest import make_user, submit_report

    director = make_user("ruben", Role.CASE_DIRECTOR, OrganisationType.KNOWLEDGE_CENTRE)
    case = case_open_from_report(report=submit_report(forms=["sexual"]).report, title="Woning", actor=director)
    staff_login(page, live_server, director)
    page.goto(f"/medewerkers/casussen/{case.pk}/")
    page.locator("#action-update summary").click()
    sector = page.get_by_label("Sector van de arbeidsuitbuiting")
    assert not sector.is_visible()
    page.get_by_role("checkbox", name="Arbeidsuitbuiting").check()
    assert sector.is_visible()
    sector.select_option("A_AgricultureForestryAndFishing")
    page.get_by_label("Over een grens heen", exact=True).check()
    check_page(page, live_server)
    with page.expect_navigation():
        page.locator("#action-update button[type=submit]").click()
    facts = page.locator("dl.facts").first.inner_text()
    assert "Landbouw, bosbouw en visserij" in facts and "Over een grens heen" in facts
    case = Case.objects.get(pk=case.pk)
    assert (case.forms, case.labour_sector, case.border) == (
        ["sexual", "labour"],
        "A_AgricultureForestryAndFishing",
        "cross_border",
    )
    check_page(page, live_server)
