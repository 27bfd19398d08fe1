"""Staff record which catalogue signals a report describes, and change them during triage."""

from io import StringIO

import pytest
from django.core.management import call_command

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.reports.models import ReportSignal
from tests.conftest import logged_in, submit_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    call_command("load_indicators", stdout=StringIO())


def codes(report) -> list[str]:
    return sorted(report.signals.values_list("indicator__code", flat=True))


def test_staff_add_and_remove_signals_and_each_change_is_audited(intake_client, intake, catalogue, region) -> None:
    report = submit_report().report
    page = intake_client.get(f"/medewerkers/meldingen/{report.pk}/signalen/")
    assert page.status_code == 200
    assert "G6" in page.content.decode() and "ILO11" in page.content.decode()
    intake_client.post(f"/medewerkers/meldingen/{report.pk}/signalen/", {"signals": ["G6", "A4", "ILO7"]})
    assert codes(report) == ["A4", "G6", "ILO7"]
    intake_client.post(f"/medewerkers/meldingen/{report.pk}/signalen/", {"signals": ["G6", "A10"]})
    assert codes(report) == ["A10", "G6"]
    changes = [e.details["changed"] for e in AuditEvent.objects.filter(action=Action.REPORT_UPDATED).order_by("id")]
    assert changes == [
        {"signals_added": ["A4", "G6", "ILO7"], "signals_removed": []},
        {"signals_added": ["A10"], "signals_removed": ["A4", "ILO7"]},
    ]
    detail = intake_client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert "A10:" in detail and "G6:" in detail


def test_an_unknown_code_is_refused_and_the_ticks_are_kept(intake_client, catalogue, region) -> None:
    report = submit_report().report
    response = intake_client.post(f"/medewerkers/meldingen/{report.pk}/signalen/", {"signals": ["G6", "X99"]})
    assert response.status_code == 400
    assert 'value="G6" id="signal-G6" checked' in response.content.decode()
    assert ReportSignal.objects.count() == 0


def test_signals_of_another_report_stay_put(intake_client, catalogue, region) -> None:
    mine, other = submit_report().report, submit_report().report
    intake_client.post(f"/medewerkers/meldingen/{other.pk}/signalen/", {"signals": ["T1"]})
    intake_client.post(f"/medewerkers/meldingen/{mine.pk}/signalen/", {"signals": []})
    assert codes(other) == ["T1"]
    assert intake_client.get(f"/medewerkers/meldingen/{other.pk + 999}/signalen/").status_code == 404


def test_a_partner_cannot_see_or_change_signals(partner, catalogue, region) -> None:
    report = submit_report().report
    client = logged_in(partner)
    assert client.get(f"/medewerkers/meldingen/{report.pk}/signalen/").status_code == 403
    assert client.post(f"/medewerkers/meldingen/{report.pk}/signalen/", {"signals": ["G1"]}).status_code == 403
    assert ReportSignal.objects.count() == 0
