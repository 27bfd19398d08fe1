"""The meeting decisions on a case's timeline (cases/timeline.py), for those who see them (cases/access.SECTIONS)."""

from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.cases.access import sees
from kenniscentrum.cases.models import Case
from kenniscentrum.cases.timeline import Entry, entry_name, newest, timeline_source

from .models import Decision


@timeline_source
def decision_entries(case: Case, user: User, part: str | None, latest: int | None) -> tuple[list[Entry], int]:
    if not sees(part, "decisions"):
        return [], 0
    decisions, count = newest(
        Decision.objects.filter(item__case=case).select_related("item__meeting", "created_by"), latest
    )
    return [
        Entry(
            decision.created_at,
            "decision",
            _("Decision in %(meeting)s") % {"meeting": decision.item.meeting},
            entry_name(decision.created_by),
            decision.text,
        )
        for decision in decisions
    ], count
