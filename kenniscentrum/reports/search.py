"""The triage queue's one search box: whatever a worker pastes in it.

A report's reference (M-2026-00042, m2026-42, 2026-42) finds that report; a case's (C-2026-00004) the reports of
that case; anything else is searched as words in the reports' text and place, and as a phone number, IBAN, plate
or e-mail address where linking saw it (lib/finders.py), however it is written.
"""

from kenniscentrum.lib.finders import reports_found_by
from kenniscentrum.lib.references import reference_normalise

from .models import ReportQuerySet


def reports_find(reports: ReportQuerySet, text: str) -> ReportQuerySet:
    """The reports among `reports` that `text` finds."""
    text = text.strip()
    reference = reference_normalise(text, "M")
    if reference is not None:
        return reports.filter(reference=reference)
    case_reference = reference_normalise(text, "C")
    if case_reference is not None:
        return reports.filter(case__reference=case_reference)
    return reports.search(text, also=reports_found_by(text))
