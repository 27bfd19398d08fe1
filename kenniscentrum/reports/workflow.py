"""The report (melding) workflow as one table: which transition leads from which states to which state.

A report's current state is the plain field `Report.status`; every transition writes one
`ReportTransition` row. `docs/workflows.md` draws the same table.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_TRIAGE = "in_triage", _("In triage")
    AWAITING_REPORTER = "awaiting_reporter", _("Waiting for the reporter")
    ADVISED = "advised", _("Closed with advice")
    CASE_OPENED = "case_opened", _("Case opened")
    LINKED_TO_CASE = "linked_to_case", _("Linked to a case")
    FORWARDED = "forwarded", _("Forwarded")
    CLOSED_NO_ACTION = "closed_no_action", _("Closed without action")


OPEN_STATES = frozenset({Status.NEW, Status.IN_TRIAGE, Status.AWAITING_REPORTER})
CLOSED_STATES = frozenset(set(Status) - OPEN_STATES)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset[Status]
    target: Status
    # A reason must be written down (kept in the history row).
    needs_reason: bool = False
    # Closing a report needs a record of whether and how the reporter heard back (REFERENCE.md §1.2).
    needs_feedback: bool = False
    # Done by the reporter through the receipt, not by staff.
    by_reporter: bool = False
    # Taken from case management (open a case, link to a case), which has its own forms.
    by_case: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("start_triage", _("Start triage"), frozenset({Status.NEW}), Status.IN_TRIAGE),
        Transition(
            "ask_reporter",
            _("Ask the reporter a question"),
            frozenset({Status.NEW, Status.IN_TRIAGE}),
            Status.AWAITING_REPORTER,
        ),
        Transition(
            "reporter_replied",
            _("Reporter replied"),
            # New information after closing is looked at again.
            frozenset({Status.AWAITING_REPORTER, Status.ADVISED, Status.FORWARDED, Status.CLOSED_NO_ACTION}),
            Status.IN_TRIAGE,
            by_reporter=True,
        ),
        Transition(
            "close_advised",
            _("Close with advice"),
            frozenset({Status.IN_TRIAGE, Status.AWAITING_REPORTER}),
            Status.ADVISED,
            needs_reason=True,
            needs_feedback=True,
        ),
        Transition(
            "forward",
            _("Forward to another organisation"),
            frozenset({Status.NEW, Status.IN_TRIAGE, Status.AWAITING_REPORTER}),
            Status.FORWARDED,
            needs_reason=True,
            needs_feedback=True,
        ),
        Transition(
            "close_no_action",
            _("Close without action"),
            frozenset({Status.IN_TRIAGE, Status.AWAITING_REPORTER}),
            Status.CLOSED_NO_ACTION,
            needs_reason=True,
            needs_feedback=True,
        ),
        Transition(
            "reopen",
            _("Reopen"),
            frozenset({Status.ADVISED, Status.FORWARDED, Status.CLOSED_NO_ACTION}),
            Status.IN_TRIAGE,
            needs_reason=True,
        ),
        Transition(
            "open_case",
            _("Open a case"),
            frozenset({Status.NEW, Status.IN_TRIAGE, Status.AWAITING_REPORTER}),
            Status.CASE_OPENED,
            by_case=True,
        ),
        Transition(
            "link_case",
            _("Link to a case"),
            frozenset({Status.NEW, Status.IN_TRIAGE, Status.AWAITING_REPORTER}),
            Status.LINKED_TO_CASE,
            by_case=True,
        ),
    ]
}


def transitions_from(status: str) -> list[Transition]:
    """The staff transitions available from `status`, in table order."""
    return [t for t in TRANSITIONS.values() if status in t.sources and not t.by_reporter and not t.by_case]


def public_status_text(status: str) -> str | Promise:
    """The status as a reporter reads it: plain words, nothing about internal decisions."""
    if status == Status.NEW:
        return _("We have received your report. Someone will read it soon.")
    if status == Status.IN_TRIAGE:
        return _("We are looking at your report.")
    if status == Status.AWAITING_REPORTER:
        return _("We have asked you a question. Please read the message below and answer it if you can.")
    if status == Status.ADVISED:
        return _("We have finished with your report and given advice. Read the messages below.")
    if status == Status.FORWARDED:
        return _("We have passed your report on to an organisation that can act on it.")
    if status in (Status.CASE_OPENED, Status.LINKED_TO_CASE):
        return _("We are working on this together with our partners.")
    return _("We have finished with your report.")
