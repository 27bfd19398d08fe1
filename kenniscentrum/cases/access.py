"""Who may do what on a case: the user's part in the case, and a table of actions per part.

Parts: `manager` (the centre's intake workers and case directors: every case), `coordinator` (the
case's coordinator: that case), `partner` (a partner user whose organisation has an active grant).
A user with no part gets 404 for the case and everything in it.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseBase

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.lib.http import not_found
from kenniscentrum.reports.access import sees_reporter as reporter_rule

from .models import AccessGrant, Case, Task, TrajectoryPart

MANAGER, COORDINATOR, PARTNER = "manager", "coordinator", "partner"

# Action -> the parts that may take it. The case page shows only what the user's part allows.
ACTIONS: dict[str, frozenset[str]] = {
    "transition": frozenset({MANAGER}),
    "update": frozenset({MANAGER}),
    "grant": frozenset({MANAGER}),
    # Handing over to another region, or answering a handover: the centre's intake and case directors.
    "handover": frozenset({MANAGER}),
    "assessment": frozenset({MANAGER, COORDINATOR}),
    "signals": frozenset({MANAGER, COORDINATOR}),
    "risk": frozenset({MANAGER, COORDINATOR}),
    "safety": frozenset({MANAGER, COORDINATOR}),
    "person": frozenset({MANAGER, COORDINATOR}),
    "goal": frozenset({MANAGER, COORDINATOR}),
    "task": frozenset({MANAGER, COORDINATOR}),
    "document": frozenset({MANAGER, COORDINATOR}),
    "referral": frozenset({MANAGER, COORDINATOR}),
    "note": frozenset({MANAGER, COORDINATOR, PARTNER}),
}


# What each part sees of a case, per part of the case page. The page and its timeline both ask `sees`, so a
# timeline entry is shown to exactly those who see the part of the page it comes from. The rest is the centre's own
# weighing: a partner sees the case's status, persons, its own tasks and referrals, shared notes and documents, and
# the meeting decisions on the case (as on the meeting page).
CENTRE_SIDE = frozenset({MANAGER, COORDINATOR})
SECTIONS: dict[str, frozenset[str]] = {
    "reports": CENTRE_SIDE,
    "summary": CENTRE_SIDE,
    # The reason given for a step, and so the reason for closing and the evaluation.
    "step_reasons": CENTRE_SIDE,
    "assessment": CENTRE_SIDE,
    "risks": CENTRE_SIDE,
    "victim_status": CENTRE_SIDE,
    # Handovers between regions: to or from whom, why, on what basis and what was shared.
    "handovers": CENTRE_SIDE,
    "goals": CENTRE_SIDE,
    # Which organisations have access, and until when: the centre's intake and case directors, who grant it.
    "grants": frozenset({MANAGER}),
    "status": frozenset({MANAGER, COORDINATOR, PARTNER}),
    "decisions": frozenset({MANAGER, COORDINATOR, PARTNER}),
}


def sees(part: str | None, section: str) -> bool:
    return part is not None and part in SECTIONS[section]


def trajectory_parts(user: User, case: Case, part: str | None) -> frozenset[str]:
    """What of the possible victims' trajectory the user sees: all of it for the centre's side; for a partner, what
    the purpose of their organisation's active grants covers (a shelter its placements); else nothing."""
    if sees(part, "victim_status"):
        return frozenset(TrajectoryPart.values)
    if part != PARTNER or not user.organisation_id:
        return frozenset()
    grants = AccessGrant.objects.active().filter(case=case, organisation_id=user.organisation_id)
    return frozenset(code for covers in grants.values_list("covers", flat=True) for code in covers)


def trajectory_cases(user: User, code: str) -> QuerySet[Case]:
    """The cases of which `user` sees the `code` part of the trajectory: `trajectory_parts` for a list of cases. The
    centre's side sees it on every case it sees; a partner where its organisation's active grant covers it."""
    cases = Case.objects.visible_to(user)
    if user.handles_reports_and_cases:
        return cases
    covering: list[int] = []
    if user.has_role(Role.PARTNER) and user.organisation_id:
        grants = AccessGrant.objects.active().filter(organisation_id=user.organisation_id)
        covering = [case_id for case_id, covers in grants.values_list("case_id", "covers") if code in covers]
    return cases.filter(Q(coordinator_user=user) | Q(pk__in=covering))


def case_part(user: User, case: Case) -> str | None:
    if not user.is_authenticated:
        return None
    if user.handles_reports_and_cases:
        return MANAGER
    if case.coordinator_user_id == user.pk:
        return COORDINATOR
    if user.has_role(Role.PARTNER) and user.organisation_id and has_active_grant(case, user.organisation_id):
        return PARTNER
    return None


def has_active_grant(case: Case, organisation_id: int) -> bool:
    return AccessGrant.objects.active().filter(case=case, organisation_id=organisation_id).exists()


def may(part: str | None, action: str) -> bool:
    return part is not None and part in ACTIONS[action]


def sees_reporter(user: User, case: Case) -> bool:
    """The reporter's identity is for intake and the case's director alone (the rule of reports.access)."""
    return reporter_rule(user, case.director_id)


def may_update_task(user: User, task: Task, part: str | None) -> bool:
    """Owners mark their own tasks done; managers and coordinators any task of the case. An owner without a part
    in the case reached the task alone (TaskQuerySet.visible_to, the caller's lookup) and answers it all the same."""
    if part in (MANAGER, COORDINATOR):
        return True
    return task.owner_user_id == user.pk or (
        task.owner_user_id is None
        and task.owner_organisation_id == user.organisation_id
        and user.has_role(Role.PARTNER)
    )


def case_worker_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Case pages are for the centre, case coordinators and partner users; for anyone else they do not exist.

    Every denial on a case page is a 404: it tells nothing about whether a case exists (ARCHITECTURE.md).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        assert isinstance(user, User)
        if not (user.handles_reports_and_cases or user.has_role(Role.CASE_COORDINATOR, Role.PARTNER)):
            not_found(request)
        return view(request, *args, **kwargs)

    return wrapper


def case_for_user(request: HttpRequest, pk: int) -> tuple[Case, str]:
    """The case and the user's part in it; 404 (audited) when the user has none."""
    user = request.user
    assert isinstance(user, User)
    case = (
        Case.objects.visible_to(user)
        .select_related("director", "coordinator_user", "coordinator_organisation", "municipality")
        .filter(pk=pk)
        .first()
    )
    part = case_part(user, case) if case is not None else None
    if case is None or part is None:
        not_found(request)
    return case, part
