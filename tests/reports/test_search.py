"""The queue's one search box: a report's reference, a case's reference, a number (a phone number, an IBAN, a
plate) or words, whatever the worker pastes."""

import pytest
from django.utils import timezone

from kenniscentrum.lib.vocabulary import ReportStatus
from kenniscentrum.reports.models import Report
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db

QUEUE = "/medewerkers/meldingen/"


def found(client, typed: str) -> set[int]:
    page = client.get(QUEUE, {"q": typed})
    assert page.status_code == 200
    return {r.pk for r in page.context["page"]}


@pytest.mark.parametrize("typed", ["M-{year}-00002", "m{year}-2", "{year}-002", " M-{year}-2 "])
def test_a_reference_pasted_in_the_search_box_finds_its_report_in_any_state(intake_client, region, typed) -> None:
    submit_report()
    wanted = submit_report().report
    Report.objects.filter(pk=wanted.pk).update(status=ReportStatus.ADVISED, closed_at=timezone.now())
    assert found(intake_client, typed.format(year=wanted.received_at.year)) == {wanted.pk}


def test_a_case_reference_finds_the_reports_of_that_case(intake_client, case) -> None:
    submit_report()
    report = case.reports.get()
    assert found(intake_client, case.reference) == {report.pk}
    assert found(intake_client, case.reference.lower().replace("-0000", "-")) == {report.pk}


def test_a_phone_number_finds_the_reports_it_was_given_in_however_it_is_written(intake_client, region) -> None:
    from kenniscentrum.linking.models import SightingSource
    from kenniscentrum.linking.services import identifier_record

    given = submit_report(description="De baas belt steeds.").report
    identifier_record(kind="phone", text="06-12345678", actor=None, source=SightingSource.REPORTER, report=given)
    written = submit_report(description="Hij belde vanaf 0612345678, zei de melder.").report
    other = submit_report().report
    for typed in ("06 12 34 56 78", "+31 6 12345678", "0612345678"):
        result = found(intake_client, typed)
        assert given.pk in result and other.pk not in result
    assert written.pk in found(intake_client, "0612345678")


def test_words_find_reports_by_their_text_in_the_same_box(intake_client, region) -> None:
    loods = submit_report(description="Mannen slapen in de loods naast de fabriek.").report
    submit_report(description="Een meisje wordt steeds opgehaald.")
    assert found(intake_client, "loods") == {loods.pk}


def test_there_is_one_search_box(intake_client, region) -> None:
    page = intake_client.get(QUEUE).content.decode()
    assert page.count('type="search"') == 1 and 'name="reference"' not in page


def test_a_search_with_nothing_found_says_so_and_keeps_what_was_typed(intake_client, region) -> None:
    submit_report()
    page = intake_client.get(QUEUE, {"q": "M-1999-00001"}).content.decode()
    assert "Geen meldingen" in page and 'value="M-1999-00001"' in page
