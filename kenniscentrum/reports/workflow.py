"""The report (melding) workflow as one table: which transition leads from which states to which state.

A report's current state is the plain field `Report.status`; every transition writes one
`ReportTransition` row through `lib.workflow.transition_apply`. `docs/workflows.md` draws the same table.
"""

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.vocabulary import ReportStatus
from kenniscentrum.lib.workflow import STAFF, Transition, Workflow

if TYPE_CHECKING:
    from .models import Report

OPEN_STATES = frozenset({ReportStatus.NEW, ReportStatus.IN_TRIAGE, ReportStatus.AWAITING_REPORTER})
CLOSED_STATES = frozenset(set(ReportStatus) - OPEN_STATES)

# Besides staff on the report page: the reporter, through the receipt; case management (open a case, link to a
# case), which has its own forms.
REPORTER, CASE = "reporter", "case"


def reporter_heard_back(report: "Report", actor: Any = None) -> str | Promise | None:
    """Closing a report needs a record of whether and how the reporter heard back (sources.md §1.2)."""
    if report.feedback_method:
        return None
    return _("Record whether and how the reporter heard back before closing the report.")


def _on_enter(report: "Report", transition: Transition, text: str, actor: Any) -> list[str]:
    report.closed_at = timezone.now() if transition.target in CLOSED_STATES else None
    if transition.target != ReportStatus.FORWARDED:
        # Where it went is in the history (and the audit log); the field says where it stands forwarded now.
        report.forwarded_to = None
    return ["closed_at", "forwarded_to"]


REPORT_FLOW = Workflow.of(
    [
        Transition("start_triage", _("Start triage"), frozenset({ReportStatus.NEW}), ReportStatus.IN_TRIAGE),
        Transition(
            "ask_reporter",
            _("Ask the reporter a question"),
            frozenset({ReportStatus.NEW, ReportStatus.IN_TRIAGE}),
            ReportStatus.AWAITING_REPORTER,
        ),
        Transition(
            "reporter_replied",
            _("Reporter replied"),
            # New information after closing is looked at again.
            frozenset(
                {
                    ReportStatus.AWAITING_REPORTER,
                    ReportStatus.ADVISED,
                    ReportStatus.FORWARDED,
                    ReportStatus.CLOSED_NO_ACTION,
                }
            ),
            ReportStatus.IN_TRIAGE,
            by=frozenset({REPORTER}),
        ),
        Transition(
            "close_advised",
            _("Close with advice"),
            frozenset({ReportStatus.IN_TRIAGE, ReportStatus.AWAITING_REPORTER}),
            ReportStatus.ADVISED,
            (reporter_heard_back,),
            text_required=True,
        ),
        Transition(
            "forward",
            _("Forward to another organisation"),
            OPEN_STATES,
            ReportStatus.FORWARDED,
            (reporter_heard_back,),
            text_required=True,
        ),
        Transition(
            "close_no_action",
            _("Close without action"),
            frozenset({ReportStatus.IN_TRIAGE, ReportStatus.AWAITING_REPORTER}),
            ReportStatus.CLOSED_NO_ACTION,
            (reporter_heard_back,),
            text_required=True,
        ),
        Transition(
            "reopen",
            _("Reopen"),
            CLOSED_STATES - {ReportStatus.CASE_OPENED, ReportStatus.LINKED_TO_CASE},
            ReportStatus.IN_TRIAGE,
            text_required=True,
        ),
        Transition("open_case", _("Open a case"), OPEN_STATES, ReportStatus.CASE_OPENED, by=frozenset({CASE})),
        Transition("link_case", _("Link to a case"), OPEN_STATES, ReportStatus.LINKED_TO_CASE, by=frozenset({CASE})),
    ],
    history="reports.ReportTransition",
    subject="report",
    not_possible=_("This step is not possible while the report is '%(status)s'."),
    on_enter=_on_enter,
)


def transitions_from(status: str) -> list[Transition]:
    """The steps staff take on the report page from `status`, in table order."""
    return REPORT_FLOW.available(status, STAFF)


def public_status_text(status: str) -> str | Promise:
    """The status as a reporter reads it: plain words, nothing about internal decisions."""
    if status == ReportStatus.NEW:
        return _("We have received your report. Someone will read it soon.")
    if status == ReportStatus.IN_TRIAGE:
        return _("We are looking at your report.")
    if status == ReportStatus.AWAITING_REPORTER:
        return _("We have asked you a question. Please read the message below and answer it if you can.")
    if status == ReportStatus.ADVISED:
        return _("We have finished with your report and given advice. Read the messages below.")
    if status == ReportStatus.FORWARDED:
        return _("We have passed your report on to an organisation that can act on it.")
    if status in (ReportStatus.CASE_OPENED, ReportStatus.LINKED_TO_CASE):
        return _("We are working on this together with our partners.")
    return _("We have finished with your report.")
