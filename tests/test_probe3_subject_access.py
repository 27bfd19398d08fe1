"""Probe 3, finding 1: a data request (AVG art. 15) follows the reporter rule. The reporter's name and contact details
are in the answer only for the privacy officer and the director of the report's case; any other case director gets
the report without them, told why, on the page and in the PDF alike, and the audit log says which it was."""

import io

import pytest
from django.shortcuts import resolve_url
from pypdf import PdfReader

from kenniscentrum.accounts.models import Role
from kenniscentrum.accounts.views import start_page
from kenniscentrum.audit.models import AuditEvent
from kenniscentrum.cases.models import Person
from kenniscentrum.organisations.models import OrganisationType
from kenniscentrum.reports.models import Report
from tests.conftest import logged_in, make_user, submit_report

pytestmark = pytest.mark.django_db

IDENTITY = ("Rita Reporter", "0612345678", "rita@example.test", "Alleen na 18 uur bellen")
LEFT_OUT = "Wie de melding deed, staat hier niet in"


def with_identity(report: Report) -> Report:
    report.reporter_email = IDENTITY[2]
    report.contact_safety_note = IDENTITY[3]
    report.save(update_fields=["reporter_email", "contact_safety_note"])
    return report


@pytest.fixture
def other_director(region) -> object:
    return make_user("saskia", Role.CASE_DIRECTOR, OrganisationType.KNOWLEDGE_CENTRE)


@pytest.fixture
def privacy_officer(region) -> object:
    return make_user("priya", "privacy_officer", OrganisationType.KNOWLEDGE_CENTRE)


@pytest.fixture
def loose_report(region) -> Report:
    """A report that is part of no case."""
    report = submit_report(reporter_name=IDENTITY[0], contact_preference="phone", reporter_phone=IDENTITY[1]).report
    return with_identity(report)


def answers(user, report: Report) -> list[str]:
    """The page and the PDF of the data request for the report's reporter, as text."""
    client = logged_in(user)
    url = f"/medewerkers/inzageverzoek/melding/{report.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    pdf = client.get(f"{url}?formaat=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    return [page.content.decode(), " ".join(text.split())]


def test_a_director_of_another_case_gets_the_report_without_who_made_it(case, other_director) -> None:
    report = with_identity(case.reports.get())
    for answer in answers(other_director, report):
        assert not [part for part in IDENTITY if part in answer], answer[:3000]
        assert LEFT_OUT in answer and report.reference in answer
    events = AuditEvent.objects.filter(action="privacy.access_request", object_id=str(report.pk), actor=other_director)
    assert [e.details["identity"] for e in events] == [False, False]


def test_a_report_outside_any_case_shows_its_reporter_to_no_case_director(loose_report, director) -> None:
    for answer in answers(director, loose_report):
        assert not [part for part in IDENTITY if part in answer]
        assert LEFT_OUT in answer


def test_the_director_of_the_reports_case_gets_the_reporter(case, director) -> None:
    report = with_identity(case.reports.get())
    for answer in answers(director, report):
        assert all(part in answer for part in IDENTITY) and LEFT_OUT not in answer
    events = AuditEvent.objects.filter(action="privacy.access_request", object_id=str(report.pk), actor=director)
    assert [e.details["identity"] for e in events] == [True, True]


def test_the_privacy_officer_answers_for_any_reporter_and_finds_the_report_by_its_reference(
    case, loose_report, privacy_officer
) -> None:
    for report in (case.reports.get(), loose_report):
        for answer in answers(privacy_officer, report):
            assert IDENTITY[0] in answer and IDENTITY[1] in answer and LEFT_OUT not in answer
    client = logged_in(privacy_officer)
    victim = case.involvements.create(person=Person.objects.create(first_name="Oksana", last_name="Zeldzaam")).person
    assert "Zeldzaam" in client.get(f"/medewerkers/inzageverzoek/persoon/{victim.pk}/").content.decode()
    start = client.get("/medewerkers/inzageverzoek/")
    assert start.status_code == 200 and resolve_url(start_page(privacy_officer)) == "/medewerkers/inzageverzoek/"
    found = client.get("/medewerkers/inzageverzoek/", {"referentie": f" {loose_report.reference.lower()} "})
    assert found.status_code == 302 and found["Location"] == f"/medewerkers/inzageverzoek/melding/{loose_report.pk}/"
    unknown = client.get("/medewerkers/inzageverzoek/", {"referentie": "M-2026-99999"})
    assert unknown.status_code == 200
    assert "Er is geen melding met dit kenmerk" in unknown.content.decode()
    assert 'value="M-2026-99999"' in unknown.content.decode()


def test_the_privacy_officer_answers_requests_but_does_not_handle_reports(case, privacy_officer) -> None:
    client = logged_in(privacy_officer)
    report = case.reports.get()
    assert client.get(f"/medewerkers/meldingen/{report.pk}/").status_code == 403
    assert client.get("/medewerkers/meldingen/").status_code == 403
    assert client.get(f"/medewerkers/casussen/{case.pk}/").status_code in (403, 404)


def test_intake_workers_and_partners_still_get_no_data_request_page(case, intake, partner) -> None:
    report = case.reports.get()
    for user in (intake, partner):
        assert logged_in(user).get(f"/medewerkers/inzageverzoek/melding/{report.pk}/").status_code == 403
        assert logged_in(user).get("/medewerkers/inzageverzoek/").status_code == 403


def test_the_public_statement_on_who_reads_names_the_privacy_officer(client, region) -> None:
    assert "Ook de privacyfunctionaris van het centrum" in client.get("/").content.decode()
