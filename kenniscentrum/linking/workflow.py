"""Deciding on a suggested match of two persons: confirm (one human), reject (never suggested again), or undo either.
One table, one history row per step (lib/workflow.py); `docs/workflows.md` draws it."""

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.workflow import Transition, Workflow

from .models import MatchStatus

if TYPE_CHECKING:
    from .models import PersonMatch


def by_case_director(match: "PersonMatch", actor: Any = None) -> str | Promise | None:
    if actor is None or actor.has_role("case_director"):
        return None
    return _("A case director decides whether two persons are one human.")


def _on_enter(match: "PersonMatch", transition: Transition, text: str, actor: Any) -> list[str]:
    decided = transition.target != MatchStatus.SUGGESTED
    match.decided_by = actor if decided else None
    match.decided_at = timezone.now() if decided else None
    return ["decided_by", "decided_at"]


MATCH_FLOW = Workflow.of(
    [
        Transition(
            "confirm",
            _("The same human"),
            frozenset({MatchStatus.SUGGESTED}),
            MatchStatus.CONFIRMED,
            (by_case_director,),
            text_required=True,
            text_label=_("Why they are one human"),
            text_field="reason",
        ),
        Transition(
            "reject",
            _("Not the same human"),
            frozenset({MatchStatus.SUGGESTED}),
            MatchStatus.REJECTED,
            (by_case_director,),
            text_label=_("Why not (optional)"),
            text_field="reason",
        ),
        Transition(
            "undo",
            _("Undo the decision"),
            frozenset({MatchStatus.CONFIRMED, MatchStatus.REJECTED}),
            MatchStatus.SUGGESTED,
            (by_case_director,),
            text_required=True,
            text_label=_("Why the decision is undone"),
            text_field="reason",
        ),
    ],
    history="linking.PersonMatchTransition",
    subject="match",
    not_possible=_("This match is '%(status)s' already."),
    on_enter=_on_enter,
)
