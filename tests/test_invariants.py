"""The database keeps the rules the services keep: each constraint refuses a row that breaks it."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kenniscentrum.cases.models import AccessGrant, Case, Task
from kenniscentrum.cases.services import case_open_from_report, task_add
from kenniscentrum.lib.invariants import rows_checked_first
from kenniscentrum.lib.vocabulary import CaseStatus, LegalBasis, ReportStatus
from kenniscentrum.organisations.models import Organisation
from kenniscentrum.reports.models import Report
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db


def refused(queryset, **changes) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**changes)


def test_a_report_is_closed_exactly_when_its_state_is_closed(region) -> None:
    report = submit_report().report
    rows = Report.objects.filter(pk=report.pk)
    refused(rows, closed_at=timezone.now())
    refused(rows, status=ReportStatus.CLOSED_NO_ACTION)
    rows.update(status=ReportStatus.CLOSED_NO_ACTION, closed_at=timezone.now())  # the two together are fine


def test_a_report_names_where_it_went_only_while_forwarded(region) -> None:
    report = submit_report().report
    organisation = Organisation.objects.partners().first()
    refused(Report.objects.filter(pk=report.pk), forwarded_to=organisation)


def test_a_case_is_closed_exactly_when_closed_or_evaluated(region, intake) -> None:
    case = case_open_from_report(report=submit_report().report, title="Loods", actor=intake)
    rows = Case.objects.filter(pk=case.pk)
    refused(rows, closed_at=timezone.now())
    refused(rows, status=CaseStatus.EVALUATED)


def test_a_task_has_exactly_one_owner(region, intake) -> None:
    case = case_open_from_report(report=submit_report().report, title="Loods", actor=intake)
    task = task_add(case=case, actor=intake, title="Bellen", owner_user=intake, owner_organisation=None, due_date=None)
    rows = Task.objects.filter(pk=task.pk)
    refused(rows, owner_user=None)
    refused(rows, owner_organisation=Organisation.objects.partners().first())


def test_a_grant_does_not_end_before_it_starts(region, intake) -> None:
    case = case_open_from_report(report=submit_report().report, title="Loods", actor=intake)
    grant = AccessGrant.objects.create(
        case=case, organisation=Organisation.objects.partners().first(), purpose="Zorg",
        legal_basis=LegalBasis.PUBLIC_TASK, granted_by=intake, valid_from=date.today(),
    )  # fmt: skip
    refused(AccessGrant.objects.filter(pk=grant.pk), valid_until=date.today() - timedelta(days=1))


def test_safety_points_reflection_periods_and_notifications_keep_their_rules(case, director) -> None:
    from kenniscentrum.cases.models import ReflectionPeriod, SafetyFlag
    from kenniscentrum.cases.services import person_add
    from kenniscentrum.lib.vocabulary import InvolvementRole
    from kenniscentrum.notifications.models import Notification

    flag = SafetyFlag.objects.create(case=case, kind="threat", created_by=director)
    refused(SafetyFlag.objects.filter(pk=flag.pk), kind="interpreter", language="")
    victim = person_add(case=case, actor=director, person=None, person_data={"first_name": "A"},
                        role=InvolvementRole.VICTIM, age_at_start=20)  # fmt: skip
    today = timezone.localdate()
    period = ReflectionPeriod.objects.create(
        involvement=victim, offered_on=today, answer="accepted", starts_on=today, recorded_by=director
    )
    refused(ReflectionPeriod.objects.filter(pk=period.pk), ends_on=today - timedelta(days=1))
    from kenniscentrum.cases.models import ShelterPlacement

    placed = ShelterPlacement.objects.create(involvement=victim, kind="other", placed_on=today, recorded_by=director)
    refused(ShelterPlacement.objects.filter(pk=placed.pk), left_on=today - timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ShelterPlacement.objects.create(involvement=victim, kind="other", placed_on=today, recorded_by=director)
    notification = Notification.objects.filter(recipient__isnull=False).first() or Notification.objects.create(
        kind="new_report", event="x", link="/", recipient=director
    )
    refused(Notification.objects.filter(pk=notification.pk), address="iemand@example.test")


def test_a_migration_adding_a_rule_names_the_rows_that_break_it(region) -> None:
    report = submit_report().report
    check = rows_checked_first("reports", "Report", Q(pk=-1), "an impossible rule")
    with pytest.raises(RuntimeError, match=rf"rows \[{report.pk}\] break the new rule 'an impossible rule'"):
        check.code(apps, None)
