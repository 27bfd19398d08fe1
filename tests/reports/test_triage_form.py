"""Triage in one form: forms of exploitation, place, priority and assignee in one step, each change in the audit
log as before."""

import re

import pytest

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.organisations.models import Municipality
from kenniscentrum.reports.models import Report
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db


def triage(client, report: Report, **data: object):
    return client.post(f"/medewerkers/meldingen/{report.pk}/actie/triage/", {f"triage-{k}": v for k, v in data.items()})


def test_classify_priority_and_assignee_in_one_post_with_an_audit_event_each(intake_client, intake, region) -> None:
    report = submit_report().report
    hengelo = Municipality.objects.get(cbs_code="GM0164")
    response = triage(
        intake_client, report, suspected_forms=["sexual", "criminal"], municipality=hengelo.pk,
        residence_municipality="", place="Loods aan de Haven", priority="high", assignee=intake.pk,
    )  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert sorted(report.form_values) == ["criminal", "sexual"]
    assert (report.municipality, report.place, report.priority, report.assignee) == (
        hengelo, "Loods aan de Haven", "high", intake,
    )  # fmt: skip
    # A report not yet in triage is in triage once it is triaged.
    assert report.status == "in_triage"
    changes = [
        e.details["changed"]
        for e in AuditEvent.objects.filter(action=Action.REPORT_UPDATED, object_id=str(report.pk)).order_by("pk")
    ]
    assert {"forms": ["criminal", "sexual"]} in changes
    assert any("assignee" in c for c in changes) and any("priority" in c for c in changes)
    assert any("municipality" in c and "place" in c for c in changes)
    page = intake_client.get(response["Location"]).content.decode()
    assert "Triage van" in page and "opgeslagen" in page


def test_the_report_page_has_one_triage_form_with_the_reports_values(intake_client, intake, region) -> None:
    report = submit_report(forms=["labour"]).report
    page = intake_client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert 'id="action-triage"' in page
    for old in ("action-assign", "action-priority", "action-classify"):
        assert f'id="{old}"' not in page
    form = page.split('id="action-triage"')[1].split("</form>")[0]
    assert re.search(r'value="labour"[^>]*checked', form) and not re.search(r'value="sexual"[^>]*checked', form)


def test_a_refused_triage_changes_nothing_and_keeps_what_was_typed(intake_client, intake, region) -> None:
    report = submit_report().report
    response = triage(
        intake_client, report, suspected_forms=["sexual"], municipality="", place="Bij de kas",
        priority="whenever", assignee=intake.pk,
    )  # fmt: skip
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.priority == "normal" and report.assignee is None and report.form_values == ["labour"]
    assert report.status == "new"
    page = response.content.decode()
    assert 'value="Bij de kas"' in page and "Selecteer een geldige keuze" in page


def test_nothing_changed_writes_no_audit_event(intake_client, intake, region) -> None:
    report = submit_report().report
    Report.objects.filter(pk=report.pk).update(status="in_triage")
    triage(
        intake_client, report, suspected_forms=["labour"], municipality=report.municipality_id,
        residence_municipality="", place="", priority="normal", assignee="",
    )  # fmt: skip
    assert not AuditEvent.objects.filter(action=Action.REPORT_UPDATED, object_id=str(report.pk)).exists()
