"""Retention: what the privacy statement promises is what `apply_retention` removes, and nothing more."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.region import region as region_data
from kenniscentrum.lib.vocabulary import ReportStatus
from kenniscentrum.reports.models import Attachment, Report, ReportMessage
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db


def report_closed(days_ago: int, status: str = ReportStatus.ADVISED) -> Report:
    report = submit_report().report
    Report.objects.filter(pk=report.pk).update(status=status, closed_at=timezone.now() - timedelta(days=days_ago))
    return report


def test_the_terms_are_those_of_the_privacy_statement(region) -> None:
    assert region_data()["retention"]["report_closed_months"] == 24
    assert region_data()["retention"]["audit_years"] == 5


def test_a_report_closed_longer_ago_than_the_term_is_removed_with_its_files(
    region, django_capture_on_commit_callbacks
) -> None:
    old = report_closed(days_ago=800)
    attachment = Attachment(report=old, original_name="foto.png", content_type="image/png", size=3)
    attachment.file.save("foto.png", ContentFile(b"png"))
    ReportMessage.objects.create(report=old, direction="to_reporter", body="Advies")
    name = attachment.file.name
    recent = report_closed(days_ago=700)
    still_open = submit_report().report
    Report.objects.filter(pk=still_open.pk).update(received_at=timezone.now() - timedelta(days=2000))
    in_a_case = report_closed(days_ago=2000, status=ReportStatus.CASE_OPENED)

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)

    assert set(Report.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk, in_a_case.pk}
    assert not ReportMessage.objects.filter(report_id=old.pk).exists()
    assert not default_storage.exists(name)
    assert "1 reports" in out.getvalue()


def test_old_audit_events_go_and_the_run_itself_is_recorded(region, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # written and chained as a request does
        old, recent = (audit_record(action=Action.LOGIN, name=n) for n in ("old", "recent"))
    models.QuerySet.update(AuditEvent.objects.filter(pk=old.pk), created_at=timezone.now() - timedelta(days=1900))
    models.QuerySet.update(AuditEvent.objects.filter(pk=recent.pk), created_at=timezone.now() - timedelta(days=1700))

    call_command("apply_retention", stdout=StringIO())

    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    run = AuditEvent.objects.get(action=Action.RETENTION_APPLIED)
    assert run.details == {
        "reports_deleted": 0,
        "cases_deleted": 0,
        "audit_events_deleted": 1,
        "identifiers_deleted": 0,
    }
    # Outside the retention run the log stays append-only.
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=recent.pk).delete()


def test_a_case_closed_longer_ago_than_its_term_goes_with_its_reports_and_persons(
    region, intake, django_capture_on_commit_callbacks
) -> None:
    from kenniscentrum.cases.models import Case, Person
    from kenniscentrum.cases.services import case_open_from_report, person_add
    from kenniscentrum.lib.vocabulary import CaseStatus, InvolvementRole

    def closed_case(days_ago: int, shared_person: Person | None = None) -> Case:
        case = case_open_from_report(report=submit_report().report, title="Loods", actor=intake)
        person_add(case=case, actor=intake, person=shared_person, person_data={"first_name": f"P{days_ago}"},
                   role=InvolvementRole.VICTIM)  # fmt: skip
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.EVALUATED, closed_at=timezone.now() - timedelta(days=days_ago)
        )
        return case

    old = closed_case(days_ago=5 * 366)
    shared = old.involvements.get().person
    recent = closed_case(days_ago=4 * 365, shared_person=shared)
    old_report = old.reports.get()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=StringIO())
    assert list(Case.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Report.objects.filter(pk=old_report.pk).exists()
    # The person is still in the recent case, so stays; a person only in the old case is gone.
    assert Person.objects.filter(pk=shared.pk).exists()
    assert AuditEvent.objects.get(action=Action.RETENTION_APPLIED).details["cases_deleted"] == 1
