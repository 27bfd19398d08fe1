"""What the triage queue's search box finds through linking: the reports where a typed number was seen
(lib/finders.py)."""

from django.db.models import Q

from kenniscentrum.lib.identifiers import IdentifierKind, normalise

from .models import Sighting

# What the queue's search box recognises as an identifier: what is typed or pasted about a report, not a BSN or a
# document number (those are looked up on the linking page, with their own audit).
SEARCHED_KINDS = (IdentifierKind.PHONE, IdentifierKind.IBAN, IdentifierKind.PLATE, IdentifierKind.EMAIL)


def reports_with_identifier(text: str) -> Q | None:
    """The reports where the phone number, IBAN, plate or e-mail address `text` was seen (given by the reporter,
    recorded by staff or accepted from the text), however it is written; None when `text` is none of these."""
    condition = None
    for kind in SEARCHED_KINDS:
        found = normalise(kind, text)
        if not found.valid:
            continue
        seen = Sighting.objects.filter(identifier__kind=kind, identifier__value=found.value)
        by_kind = Q(pk__in=seen.filter(report__isnull=False).values("report")) | Q(
            pk__in=seen.filter(report_person__isnull=False).values("report_person__report")
        )
        condition = by_kind if condition is None else condition | by_kind
    return condition
