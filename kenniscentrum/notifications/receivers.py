"""Who hears of which event: the receivers of the other apps' signals (connected in apps.py), and the daily look at
what falls due (`notify_due`). Each writes outbox rows in the event's own transaction."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.cases.handover import handed_away
from kenniscentrum.cases.models import AccessGrant, Handover, Involvement, ReflectionPeriod, Task
from kenniscentrum.lib.region import region
from kenniscentrum.lib.vocabulary import Priority, TaskStatus, YesNoUnknown
from kenniscentrum.organisations.models import CENTRE_MEMBERS, Organisation
from kenniscentrum.referrals.models import Referral
from kenniscentrum.reports.models import Report

from .models import Kind
from .services import notify, notify_address, notify_reporter
from .work import GRANT_ENDING_DAYS, REFLECTION_ENDING_DAYS


def intake_team() -> QuerySet[User]:
    return User.objects.filter(CENTRE_MEMBERS, is_active=True, roles__role=Role.INTAKE)


def organisation_users(organisation: Organisation | None) -> QuerySet[User]:
    if organisation is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, organisation=organisation)


def duty_address() -> str:
    """The region's address for urgent reports at any hour (region file `notifications.duty_address`)."""
    return str(region().get("notifications", {}).get("duty_address") or "")


def is_urgent(report: Report) -> bool:
    return report.acute_danger == YesNoUnknown.YES or report.priority == Priority.URGENT


def on_report_received(report: Report, **kwargs: Any) -> None:
    link = reverse("reports:detail", args=[report.pk])
    event = f"report:{report.pk}"
    if is_urgent(report):
        notify(Kind.URGENT_REPORT, event, link, intake_team())
        notify_address(Kind.URGENT_REPORT, event, link, duty_address())
    else:
        notify(Kind.NEW_REPORT, event, link, intake_team())


def on_reporter_replied(report: Report, attachments: list[int] | None = None, **kwargs: Any) -> None:
    # Each reply is its own event: the latest message from the reporter names it, or the first of the files the
    # reporter added (files after a message are news too). The e-mail says only that there is something new.
    if attachments:
        event = f"attachments:{attachments[0]}"
    else:
        event = f"message:{report.messages.order_by('-id').values_list('pk', flat=True).first()}"
    users = [report.assignee] if report.assignee is not None else list(intake_team())
    notify(Kind.REPORTER_REPLIED, event, reverse("reports:detail", args=[report.pk]), users)


def on_message_to_reporter(report: Report, message: Any, **kwargs: Any) -> None:
    """A reporter who chose e-mail and said a notice there is safe hears that there is a message."""
    if report.email_notice and report.reporter_email:
        notify_reporter(Kind.REPORTER_NOTICE, f"message:{message.pk}", report)


def on_referral_stepped(referral: Referral, step: str, **kwargs: Any) -> None:
    link = reverse("referrals:detail", args=[referral.pk])
    if step == "send":
        partners = organisation_users(referral.organisation).filter(roles__role=Role.PARTNER)
        notify(Kind.REFERRAL_RECEIVED, f"referral:{referral.pk}", link, partners)
    elif step in ("accept", "decline"):
        director = referral.case.director or referral.created_by
        notify(Kind.REFERRAL_ANSWERED, f"referral:{referral.pk}:{step}", link, [director])


def task_owners(task: Task) -> list[User]:
    if task.owner_user_id:
        return [task.owner_user]  # type: ignore[list-item]
    return list(organisation_users(task.owner_organisation))


def on_handover_received(handover: Handover, **kwargs: Any) -> None:
    """A case from another region waits for a case director of this centre to accept it."""
    directors = User.objects.filter(CENTRE_MEMBERS, is_active=True, roles__role=Role.CASE_DIRECTOR)
    link = reverse("cases:detail", args=[handover.case_id])
    notify(Kind.HANDOVER_RECEIVED, f"handover:{handover.pk}", link, directors)


def on_task_assigned(task: Task, **kwargs: Any) -> None:
    notify(Kind.TASK_ASSIGNED, f"task:{task.pk}", reverse("cases:my_tasks"), task_owners(task))


# How long before a response term ends the intake team hears of it: triage terms are hours to days, feedback days.
TRIAGE_WARNING = timedelta(hours=1)
FEEDBACK_WARNING = timedelta(hours=4)


def notify_terms_ending(now: datetime | None = None) -> int:
    """Reports whose response term ends soon without the step it asks for (run with every send, each minute): to
    the assignee, or the intake team. Once per report and deadline."""
    now = now or timezone.now()
    made = 0
    triage = Report.objects.filter(status="new", triage_due_at__gt=now, triage_due_at__lte=now + TRIAGE_WARNING)
    feedback = Report.objects.filter(
        feedback_method="", feedback_due_at__gt=now, feedback_due_at__lte=now + FEEDBACK_WARNING
    )
    for what, reports, field in (("triage", triage, "triage_due_at"), ("feedback", feedback, "feedback_due_at")):
        for report in reports.select_related("assignee"):
            users = [report.assignee] if report.assignee is not None else list(intake_team())
            event = f"term:{what}:{report.pk}:{getattr(report, field).isoformat()}"
            made += notify(Kind.TERM_ENDING, event, reverse("reports:detail", args=[report.pk]), users)
    return made


def notify_due(today: date | None = None) -> int:
    """The daily look: tasks due tomorrow, tasks overdue, access that ends within 7 days (also with its
    covenant). Each once per task and due date (a new due date is a new event), or per grant and end date."""
    today = today or timezone.localdate()
    made = 0
    open_tasks = Task.objects.filter(status=TaskStatus.OPEN, case__closed_at=None).select_related(
        "owner_user", "owner_organisation"
    )
    for task in open_tasks.filter(due_date=today + timedelta(days=1)):
        made += notify(Kind.TASK_DUE, f"task:{task.pk}:{task.due_date}", reverse("cases:my_tasks"), task_owners(task))
    for task in open_tasks.filter(due_date__lt=today):
        made += notify(
            Kind.TASK_OVERDUE, f"task:{task.pk}:{task.due_date}", reverse("cases:my_tasks"), task_owners(task)
        )
    # Access ends on the grant's own end date or with its covenant, whichever comes first (AccessGrant.ends_on).
    horizon = today + timedelta(days=GRANT_ENDING_DAYS)
    ending = (
        AccessGrant.objects.active(today)
        .filter(Q(valid_until__lte=horizon) | Q(covenant__ends_on__lte=horizon))
        .select_related("case__director", "covenant")
    )
    # Not for a trajectory handed to another region: its centre watches the period now.
    periods = (
        ReflectionPeriod.objects.filter(
            involvement__case__closed_at=None,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=REFLECTION_ENDING_DAYS),
        )
        .exclude(involvement__in=Involvement.objects.filter(handed_away()))
        .select_related("involvement__case__director")
    )
    for period in periods:
        director = period.involvement.case.director
        if director is not None:
            link = reverse("cases:detail", args=[period.involvement.case_id])
            made += notify(Kind.REFLECTION_ENDING, f"reflection:{period.pk}:{period.ends_on}", link, [director])
    for grant in ending:
        if grant.case.director is not None:
            link = reverse("cases:detail", args=[grant.case_id])
            made += notify(Kind.GRANT_ENDING, f"grant:{grant.pk}:{grant.ends_on}", link, [grant.case.director])
    return made
