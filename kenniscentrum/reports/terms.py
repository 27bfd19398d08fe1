"""Response terms: by when a report is triaged (by its priority) and its reporter hears back, from the region file
(`response_terms`). A term is in clock hours (someone may be in danger now) or in working days, without weekends and
Dutch public holidays (`lib/working_days.py`). Each report keeps its deadlines, so the queue shows the time left and
lists what is past its term, and the monitor can count how often a term was met."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.region import region
from kenniscentrum.lib.working_days import working_days_later


def terms() -> dict[str, Any]:
    data: dict[str, Any] = region().get("response_terms", {})
    return data


def _later(start: datetime, term: dict[str, Any] | None) -> datetime | None:
    if not term:
        return None
    if "hours" in term:
        return start + timedelta(hours=term["hours"])
    return working_days_later(start, int(term["working_days"]))


def triage_due(received_at: datetime, priority: str) -> datetime | None:
    """When a report of `priority` received at `received_at` must have been triaged; None without a term."""
    return _later(received_at, terms().get("triage", {}).get(priority))


def feedback_due(received_at: datetime) -> datetime | None:
    days = terms().get("feedback_working_days")
    return _later(received_at, {"working_days": days} if days else None)


def promised_working_days(priority: str) -> int | None:
    """The triage term of `priority` in working days, as the confirmation page quotes it (None for hours or none)."""
    term = terms().get("triage", {}).get(priority) or {}
    return term.get("working_days")


@dataclass(frozen=True)
class PendingTerm:
    what: str | Promise
    at: datetime

    @property
    def overdue(self) -> bool:
        return self.at < timezone.now()


def pending_term(report: Any) -> PendingTerm | None:
    """The next term the centre owes this report: triage while it is new, else feedback until it is recorded."""
    if report.status == "new" and report.triage_due_at:
        return PendingTerm(_("triage"), report.triage_due_at)
    if not report.feedback_method and report.feedback_due_at:
        return PendingTerm(_("feedback"), report.feedback_due_at)
    return None
