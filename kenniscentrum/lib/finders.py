"""Ways an app above `reports` helps the triage queue's one search box find reports, without `reports` importing it.

Linking knows where a phone number, an IBAN or a plate was seen; the queue asks every registered finder what the
typed text finds (`reports_found_by`), and each answers with a condition on reports, or None when the text is
nothing it knows. An app registers its finder when it loads (AppConfig.ready), as with lib/panels.py.
"""

from collections.abc import Callable

from django.db.models import Q

ReportFinder = Callable[[str], Q | None]
FINDERS: list[ReportFinder] = []


def report_finder_register(finder: ReportFinder) -> None:
    if finder not in FINDERS:
        FINDERS.append(finder)


def reports_found_by(text: str) -> Q | None:
    """The reports any finder finds for `text`, as one condition; None when none of them knows the text."""
    found = [q for finder in FINDERS if (q := finder(text)) is not None]
    if not found:
        return None
    condition = found[0]
    for q in found[1:]:
        condition |= q
    return condition
