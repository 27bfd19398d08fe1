"""The case workflow as one table, after the Twente way of working (sources.md §1.2).

screening (information round) -> risk_assessment -> plan (plan of action) -> in_progress (a case
coordinator carries it out; the centre keeps process oversight) -> closed -> evaluated, and reopening
with a reason. Each guard is a small named function that returns what is missing, or None.
`docs/workflows.md` draws the same table.
"""

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.region import region
from kenniscentrum.lib.vocabulary import CaseStatus, HandoverStatus, TaskStatus
from kenniscentrum.lib.workflow import Transition, Workflow

if TYPE_CHECKING:
    from .models import Case, Handover, Task


def has_director(case: "Case", actor: Any = None) -> str | Promise | None:
    return None if case.director_id else _("Choose a case director before the case leaves screening.")


def has_risk_assessment(case: "Case", actor: Any = None) -> str | Promise | None:
    return None if case.risk_assessments.exists() else _("Record a risk assessment first.")


def has_coordinator(case: "Case", actor: Any = None) -> str | Promise | None:
    if case.coordinator_user_id or case.coordinator_organisation_id:
        return None
    return _("Appoint a case coordinator (a person or an organisation) first.")


def has_task(case: "Case", actor: Any = None) -> str | Promise | None:
    return None if case.tasks.exists() else _("Add at least one task to the plan of action first.")


def reporters_heard_back(case: "Case", actor: Any = None) -> str | Promise | None:
    """Every reporter hears back (sources.md §1.2): each linked report records feedback, or why not."""
    missing = list(case.reports.filter(feedback_method="").values_list("reference", flat=True))
    if not missing:
        return None
    return _("Record feedback to the reporter on %(references)s before closing.") % {"references": ", ".join(missing)}


def four_eyes() -> bool:
    """Whether the region closes a case only with a second case director's approval (region file `cases`)."""
    return bool(region().get("cases", {}).get("four_eyes_closing"))


def closes_alone(case: "Case", actor: Any = None) -> str | Promise | None:
    if not four_eyes():
        return None
    return _("In this region a second case director approves closing: ask for approval instead.")


def needs_approval(case: "Case", actor: Any = None) -> str | Promise | None:
    return None if four_eyes() else _("In this region a case director closes a case alone.")


def approval_not_asked_yet(case: "Case", actor: Any = None) -> str | Promise | None:
    return _("Approval to close has been asked already.") if closing_asked_by(case) else None


def closing_asked_by(case: "Case") -> Any:
    """Who asked for approval to close, when that request is the case's latest step; else None."""
    latest = case.transitions.order_by("-created_at", "-id").first()
    return latest.actor if latest is not None and latest.transition == "ask_close_approval" else None


def second_director_approves(case: "Case", actor: Any = None) -> str | Promise | None:
    asked_by = closing_asked_by(case)
    if asked_by is None:
        return _("Nobody has asked for approval to close this case yet.")
    if actor is None:
        return None
    if not actor.has_role("case_director") or actor.pk == asked_by.pk:
        return _("A second case director, not the one who asked, approves closing.")
    return None


def _case_on_enter(case: "Case", transition: Transition, text: str, actor: Any) -> list[str]:
    if transition.target == CaseStatus.CLOSED:
        case.closed_at = timezone.now()
    elif transition.target == CaseStatus.SCREENING:
        case.closed_at = None
    return ["closed_at"]


# Who takes the step that closes a case because of a handover: the handover's answer, not a person on the case page.
BY_HANDOVER = "handover"

OPEN = frozenset({CaseStatus.SCREENING, CaseStatus.RISK_ASSESSMENT, CaseStatus.PLAN, CaseStatus.IN_PROGRESS})

CASE_FLOW = Workflow.of(
    [
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
            (closes_alone, reporters_heard_back),
            text_required=True,
            text_label=_("Reason for closing"),
            text_field="closure_reason",
        ),
        # Four-eyes closing (a region setting): one director asks, with the reason; the case stays as it is until a
        # second director approves, which closes it. Both steps are history rows.
        Transition(
            "ask_close_approval",
            _("Ask a second case director to approve closing"),
            OPEN,
            None,
            (needs_approval, approval_not_asked_yet, reporters_heard_back),
            text_required=True,
            text_label=_("Reason for closing"),
            text_field="closure_reason",
        ),
        Transition(
            "approve_close",
            _("Approve closing the case"),
            OPEN,
            CaseStatus.CLOSED,
            (needs_approval, second_director_approves, reporters_heard_back),
        ),
        # Taken by an accepted handover of the whole case to another region (services.handover_step), or a declined
        # one from another region; never by staff on its own.
        Transition(
            "hand_over",
            _("Closed by a handover between regions"),
            OPEN,
            CaseStatus.CLOSED,
            (reporters_heard_back,),
            by=frozenset({BY_HANDOVER}),
            text_field="closure_reason",
        ),
        Transition(
            "evaluate",
            _("Record the evaluation"),
            frozenset({CaseStatus.CLOSED}),
            CaseStatus.EVALUATED,
            text_label=_("Evaluation"),
            text_required=True,
            text_missing=_("Write the evaluation."),
            text_field="evaluation",
        ),
        Transition(
            "reopen",
            _("Reopen the case"),
            frozenset({CaseStatus.CLOSED, CaseStatus.EVALUATED}),
            CaseStatus.SCREENING,
            text_label=_("Reason for reopening"),
            text_required=True,
        ),
    ],
    history="cases.CaseTransition",
    subject="case",
    not_possible=_("This step is not possible while the case is '%(status)s'."),
    on_enter=_case_on_enter,
)


def steps_offered(case: "Case") -> list[Transition]:
    """The steps the case page offers: closing alone or with approval as the region closes cases, and approving
    only once someone asked."""
    leave_out = {"ask_close_approval", "approve_close"} if not four_eyes() else {"close"}
    if four_eyes() and closing_asked_by(case) is None:
        leave_out.add("approve_close")
    return [t for t in CASE_FLOW.available(case.status) if t.name not in leave_out]


def _task_on_enter(task: "Task", transition: Transition, text: str, actor: Any) -> list[str]:
    task.completed_at = timezone.now() if transition.target == TaskStatus.DONE else None
    return ["completed_at"]


# A task of the plan: done or cancelled, and back to open when that was a mistake or the work returns.
TASK_FLOW = Workflow.of(
    [
        Transition("done", _("Mark as done"), frozenset({TaskStatus.OPEN, TaskStatus.CANCELLED}), TaskStatus.DONE),
        Transition("cancel", _("Cancel"), frozenset({TaskStatus.OPEN, TaskStatus.DONE}), TaskStatus.CANCELLED),
        Transition("reopen", _("Open again"), frozenset({TaskStatus.DONE, TaskStatus.CANCELLED}), TaskStatus.OPEN),
    ],
    history="cases.TaskTransition",
    subject="task",
    not_possible=_("This step is not possible while the task is '%(status)s'."),
    on_enter=_task_on_enter,
)


# A handover between regions (models.Handover). The receiving side answers: for one received here, a case director
# of this centre accepts or declines it; for one sent away, the receiving centre answers in its own system and a
# case director here records that answer and who gave it. The sender may withdraw it while it waits.


def received_here(handover: "Handover", actor: Any = None) -> str | Promise | None:
    return None if not handover.is_outgoing else _("The other region's centre answers this handover.")


def sent_from_here(handover: "Handover", actor: Any = None) -> str | Promise | None:
    return None if handover.is_outgoing else _("This centre answers this handover itself.")


def by_case_director(handover: "Handover", actor: Any = None) -> str | Promise | None:
    if actor is None or actor.has_role("case_director"):
        return None
    return _("A case director takes this step: the responsibility for the case moves with it.")


def whole_case_may_close(handover: "Handover", actor: Any = None) -> str | Promise | None:
    """Handing over the whole case closes it here; what closing asks for comes first."""
    if handover.involvement_id is not None:
        return None
    return reporters_heard_back(handover.case)


def _handover_on_enter(handover: "Handover", transition: Transition, text: str, actor: Any) -> list[str]:
    handover.answered_at = timezone.now()
    return ["answered_at"]


WAITING = frozenset({HandoverStatus.OFFERED})
ANSWER_LABEL = _("Who answered at the receiving centre, when and how")

HANDOVER_FLOW = Workflow.of(
    [
        Transition(
            "accept",
            _("Accept the handover"),
            WAITING,
            HandoverStatus.ACCEPTED,
            (received_here, by_case_director),
            text_label=_("Note (optional)"),
            text_field="answer",
        ),
        Transition(
            "decline",
            _("Decline the handover"),
            WAITING,
            HandoverStatus.DECLINED,
            (received_here, by_case_director),
            text_required=True,
            text_label=_("Reason for declining"),
            text_field="answer",
        ),
        Transition(
            "record_acceptance",
            _("Record that the receiving centre accepted"),
            WAITING,
            HandoverStatus.ACCEPTED,
            (sent_from_here, by_case_director, whole_case_may_close),
            text_required=True,
            text_label=ANSWER_LABEL,
            text_missing=_("Write down who accepted at the receiving centre, when and how."),
            text_field="answer",
        ),
        Transition(
            "record_decline",
            _("Record that the receiving centre declined"),
            WAITING,
            HandoverStatus.DECLINED,
            (sent_from_here,),
            text_required=True,
            text_label=ANSWER_LABEL,
            text_field="answer",
        ),
        Transition(
            "withdraw",
            _("Withdraw the handover"),
            WAITING,
            HandoverStatus.WITHDRAWN,
            (sent_from_here,),
            text_required=True,
            text_label=_("Reason for withdrawing"),
            text_field="answer",
        ),
    ],
    history="cases.HandoverTransition",
    subject="handover",
    not_possible=_("This handover has been answered already: '%(status)s'."),
    on_enter=_handover_on_enter,
)


def handover_steps(handover: "Handover") -> list[Transition]:
    """The answers that fit the handover's direction: a received one is answered here, a sent one recorded."""
    return [t for t in HANDOVER_FLOW.available(handover.status) if (sent_from_here in t.guards) == handover.is_outgoing]
