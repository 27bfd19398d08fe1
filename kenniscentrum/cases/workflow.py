"""The case workflow as one table, after the Twente way of working (REFERENCE.md §1.2).

screening (information round) -> risk_assessment -> plan (plan of action) -> in_progress (a case
coordinator carries it out; the centre keeps process oversight) -> closed -> evaluated, and reopening
with a reason. Each guard is a small named function that returns what is missing, or None.
`docs/workflows.md` draws the same table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Case, CaseStatus

Guard = Callable[[Case, str], "str | Promise | None"]


def has_director(case: Case, text: str) -> str | Promise | None:
    return None if case.director_id else _("Choose a case director before the case leaves screening.")


def has_risk_assessment(case: Case, text: str) -> str | Promise | None:
    return None if case.risk_assessments.exists() else _("Record a risk assessment first.")


def has_coordinator(case: Case, text: str) -> str | Promise | None:
    if case.coordinator_user_id or case.coordinator_organisation_id:
        return None
    return _("Appoint a case coordinator (a person or an organisation) first.")


def has_task(case: Case, text: str) -> str | Promise | None:
    return None if case.tasks.exists() else _("Add at least one task to the plan of action first.")


def has_text(case: Case, text: str) -> str | Promise | None:
    return None if text.strip() else _("Write down the reason.")


def reporters_heard_back(case: Case, text: str) -> str | Promise | None:
    """Every reporter hears back (REFERENCE.md §1.2): each linked report records feedback, or why not."""
    missing = list(case.reports.filter(feedback_method="").values_list("reference", flat=True))
    if not missing:
        return None
    return _("Record feedback to the reporter on %(references)s before closing.") % {"references": ", ".join(missing)}


def has_evaluation_text(case: Case, text: str) -> str | Promise | None:
    return None if text.strip() else _("Write the evaluation.")


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset[CaseStatus]
    target: CaseStatus
    guards: tuple[Guard, ...] = field(default_factory=tuple)
    # The text the step asks for, and the case field it is kept in (besides the history row).
    text_label: str | Promise = ""
    text_field: str = ""


OPEN = frozenset({CaseStatus.SCREENING, CaseStatus.RISK_ASSESSMENT, CaseStatus.PLAN, CaseStatus.IN_PROGRESS})

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "to_risk_assessment",
            _("Screening done: assess the risk"),
            frozenset({CaseStatus.SCREENING}),
            CaseStatus.RISK_ASSESSMENT,
            (has_director,),
        ),
        Transition(
            "to_plan",
            _("Risk assessed: make the plan of action"),
            frozenset({CaseStatus.RISK_ASSESSMENT}),
            CaseStatus.PLAN,
            (has_director, has_risk_assessment),
        ),
        Transition(
            "start",
            _("Plan ready: start carrying it out"),
            frozenset({CaseStatus.PLAN}),
            CaseStatus.IN_PROGRESS,
            (has_director, has_coordinator, has_task),
        ),
        Transition(
            "close",
            _("Close the case"),
            OPEN,
            CaseStatus.CLOSED,
            (has_text, reporters_heard_back),
            text_label=_("Reason for closing"),
            text_field="closure_reason",
        ),
        Transition(
            "evaluate",
            _("Record the evaluation"),
            frozenset({CaseStatus.CLOSED}),
            CaseStatus.EVALUATED,
            (has_evaluation_text,),
            text_label=_("Evaluation"),
            text_field="evaluation",
        ),
        Transition(
            "reopen",
            _("Reopen the case"),
            frozenset({CaseStatus.CLOSED, CaseStatus.EVALUATED}),
            CaseStatus.SCREENING,
            (has_text,),
            text_label=_("Reason for reopening"),
        ),
    ]
}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]


def transition_problems(case: Case, name: str, text: str = "") -> list[str]:
    """What stands in the way of step `name`; empty when it may be taken."""
    transition = TRANSITIONS[name]
    if case.status not in transition.sources:
        return [
            str(_("This step is not possible while the case is '%(status)s'.") % {"status": case.get_status_display()})
        ]
    return [str(problem) for guard in transition.guards if (problem := guard(case, text))]
