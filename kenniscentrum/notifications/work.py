"""What waits for one user: the lists of the "my work" start page (finding 18), and the horizons the daily
notifications share with it, so the page and the e-mail speak of the same things.

Each list reads its objects through their own visibility rule (`visible_to`, `trajectory_cases`) and then narrows
it to this user's work; nothing here widens what a user may see. The page shows references, dates and what a task
or grant is for; no person's name, since a start page is open on a screen all day.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.cases.access import trajectory_cases
from kenniscentrum.cases.handover import handed_away
from kenniscentrum.cases.models import AccessGrant, Case, Involvement, ReflectionPeriod, Task, TrajectoryPart
from kenniscentrum.lib.vocabulary import ReportStatus, TaskStatus
from kenniscentrum.linking.models import MatchStatus, PersonMatch
from kenniscentrum.reports.models import Report

# How far ahead an end counts as work now; the daily notifications use the same (receivers.notify_due).
GRANT_ENDING_DAYS = 7
REFLECTION_ENDING_DAYS = 14
# Rows shown per list; the count says how many there are, the link leads to all of them.
SHOWN = 10


@dataclass(frozen=True)
class Listed:
    rows: list[Any]
    total: int


def _listed(queryset: Any) -> Listed:
    return Listed(list(queryset[:SHOWN]), queryset.count())


def _mine(user: User, cases: Any) -> Any:
    """Of the cases a user sees, their own: for the centre the cases they direct or coordinate (the centre's desk
    sees every case, and every case is not its work), for a partner all it was given."""
    return cases.filter(Q(director=user) | Q(coordinator_user=user)) if user.in_centre else cases


def reports_waiting(user: User) -> Listed:
    """Open reports assigned to this user."""
    reports = Report.objects.visible_to(user).open().filter(assignee=user).order_by("received_at", "id")
    return _listed(reports.only("pk", "reference", "status", "received_at"))


def reports_unassigned(user: User) -> int:
    """New reports nobody has taken yet, for the centre's desk to pick up in the queue."""
    return Report.objects.visible_to(user).filter(status=ReportStatus.NEW, assignee=None).count()


def tasks_open(user: User) -> Listed:
    """Open tasks for this user or their organisation, soonest due first; tasks without a date last."""
    tasks = (
        Task.objects.visible_to(user)
        .owned_by(user)
        .filter(status=TaskStatus.OPEN)
        .with_case_shown(user)
        .select_related("case", "owner_user", "owner_organisation")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    return _listed(tasks)


def reflections_ending(user: User, today: date) -> Listed:
    """Reflection periods of open cases ending within REFLECTION_ENDING_DAYS, where this user sees that part of the
    trajectory; not one handed to another region, whose centre watches it now."""
    cases = _mine(user, trajectory_cases(user, TrajectoryPart.REFLECTION)).filter(closed_at=None)
    periods = (
        ReflectionPeriod.objects.filter(
            involvement__case__in=cases,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=REFLECTION_ENDING_DAYS),
        )
        .exclude(involvement__in=Involvement.objects.filter(handed_away()))
        .select_related("involvement__case")
        .order_by("ends_on", "id")
    )
    return _listed(periods)


def grants_ending(user: User, today: date) -> Listed:
    """Access ending within GRANT_ENDING_DAYS (by its own end date or its covenant's): for a case director the
    grants on the cases they direct, to extend or let end; for a partner its own organisation's, so it knows."""
    if user.handles_reports_and_cases:
        grants = AccessGrant.objects.filter(case__in=Case.objects.visible_to(user).filter(director=user))
    elif user.has_role(Role.PARTNER) and user.organisation_id:
        grants = AccessGrant.objects.filter(
            organisation_id=user.organisation_id, case__in=Case.objects.visible_to(user)
        )
    else:
        return Listed([], 0)
    horizon = today + timedelta(days=GRANT_ENDING_DAYS)
    ending = (
        grants.active(today)
        .filter(Q(valid_until__lte=horizon) | Q(covenant__ends_on__lte=horizon))
        .select_related("case", "organisation", "covenant")
        .order_by("valid_until", "id")
    )
    return _listed(ending)


def matches_to_review(user: User) -> int | None:
    """Suggested matches of two persons, for the centre's case directors who decide them (linking.workflow); None
    for anyone else, who has no such list."""
    if not (user.handles_reports_and_cases and user.has_role(Role.CASE_DIRECTOR)):
        return None
    return PersonMatch.objects.filter(status=MatchStatus.SUGGESTED).count()


def my_work(user: User, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    desk = user.handles_reports_and_cases
    return {
        "desk": desk,
        "reports": reports_waiting(user) if desk else Listed([], 0),
        "unassigned": reports_unassigned(user) if desk else 0,
        "tasks": tasks_open(user),
        "reflections": reflections_ending(user, today),
        "grants": grants_ending(user, today),
        "matches": matches_to_review(user),
        "grant_days": GRANT_ENDING_DAYS,
        "reflection_days": REFLECTION_ENDING_DAYS,
    }
