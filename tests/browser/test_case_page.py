"""The case page and the report page on a phone (390 px wide), in Dutch and English: nothing scrolls sideways, the
header says what waits, a section is one tap away, and axe finds nothing."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kenniscentrum.cases import services
from kenniscentrum.linking.services import identifier_record
from kenniscentrum.organisations.models import Organisation, OrganisationType
from tests.browser.conftest import check_page, new_page
from tests.browser.test_journeys import staff_login
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = 390


def no_sideways_scrolling(page: Any) -> None:
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    # What sticks out, outside the tables that scroll in their own box, to say where to look when this fails.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth && !e.parentElement.closest('.table-wrap'))
            .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 8)"""
    )
    assert width <= inner, f"{page.url}: {width} px wide in a {inner} px window: {wide}"


@pytest.fixture
def full_case(case, director) -> Any:
    """A case with what makes a page long and wide: a long name, the trajectory, tasks, access and a plate."""
    from kenniscentrum.lib.vocabulary import InvolvementRole

    today = timezone.localdate()
    victim = services.person_add(
        case=case, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=17,
        person_data={"first_name": "Oleksandra-Wilhelmina", "last_name": "Kovalenko-Vandermeulenbroek"},
    )  # fmt: skip
    services.comensha_register(
        case=case, actor=director, involvement=victim, kind="registration_shelter", registered_on=today,
        legal_basis="public_task", comensha_reference="CM-2026-000123456789",
    )  # fmt: skip
    services.reflection_record(
        case=case, actor=director, involvement=victim, route="b8_3", offered_on=today - timedelta(days=5),
        offered_by=None, answer="accepted", starts_on=today - timedelta(days=4), ends_on=today + timedelta(days=60),
        cooperation="", cooperation_on=None, permit_applied_on=None, permit_status="",
    )  # fmt: skip
    services.shelter_place(case=case, actor=director, involvement=victim, kind="categorical", organisation=None,
                           placed_on=today - timedelta(days=3), note="")  # fmt: skip
    services.task_add(case=case, actor=director, title="Huisbezoek met tolk plannen", owner_user=director,
                      owner_organisation=None, due_date=today - timedelta(days=1))  # fmt: skip
    police = Organisation.objects.filter(type=OrganisationType.POLICE).order_by("name").first()
    services.grant_add(case=case, actor=director, organisation=police, purpose="Onderzoek naar de loods",
                       legal_basis="public_task", valid_until=today + timedelta(days=10))  # fmt: skip
    report = case.reports.get()
    identifier_record(kind="plate", text="AB-123-C", actor=None, source="reporter", report=report)
    other = submit_report().report
    identifier_record(kind="plate", text="AB123C", actor=None, source="reporter", report=other)
    return case


def test_the_case_page_on_a_phone_in_dutch_and_english(browser, live_server, full_case, director) -> None:
    page = new_page(browser, live_server, width=PHONE, height=800)
    staff_login(page, live_server, director)
    page.goto(f"/medewerkers/casussen/{full_case.pk}/")
    header = page.locator(".case-header")
    assert "Huisbezoek met tolk plannen" in header.inner_text() and "te laat" in header.inner_text()
    check_page(page, live_server)
    no_sideways_scrolling(page)
    page.get_by_role("navigation", name="Op deze casuspagina").get_by_role("link", name="Tijdlijn").click()
    assert page.url.endswith("#timeline")
    timeline = page.locator("#timeline").inner_text()
    assert "Registratie bij CoMensha" in timeline and "Opvang voor" in timeline
    assert "Eerder gezien" in page.content() and "Nergens anders gezien" not in page.locator(".linking").inner_text()

    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", name=f"Case {full_case.reference}: {full_case.title}").wait_for()
    check_page(page, live_server)
    no_sideways_scrolling(page)
    page.get_by_role("navigation", name="On this case page").get_by_role("link", name="Persons").click()
    assert page.url.endswith("#persons")
    page.context.close()


def test_the_report_page_on_a_phone_in_dutch_and_english(browser, live_server, full_case, director) -> None:
    report = full_case.reports.get()
    page = new_page(browser, live_server, width=PHONE, height=800)
    staff_login(page, live_server, director)
    page.goto(f"/medewerkers/meldingen/{report.pk}/")
    page.get_by_role("heading", name=f"Melding {report.reference}").wait_for()
    check_page(page, live_server)
    no_sideways_scrolling(page)
    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", name=f"Report {report.reference}").wait_for()
    check_page(page, live_server)
    no_sideways_scrolling(page)
    page.context.close()
