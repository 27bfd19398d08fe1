"""A report's history for staff: its steps, and who changed its assignment, priority and classification, when.

The changes are read from the audit log, which records every change of a report with its actor (audit is below
reports, so this is no second record of the same thing). Ids in the log become names here, in one query each.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.lib.vocabulary import Priority, exploitation_form_name
from kenniscentrum.organisations.models import Municipality

from .models import Report


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    text: str
    who: str
    body: str = ""


def _change_texts(changed: dict[str, Any], users: dict[str, str], places: dict[str, str]) -> list[str]:
    texts = []
    for field, value in changed.items():
        if field == "assignee":
            texts.append(_("Assigned to %(name)s") % {"name": users.get(value, "?")} if value else _("Unassigned"))
        elif field == "priority":
            texts.append(_("Priority: %(priority)s") % {"priority": dict(Priority.choices).get(value, value)})
        elif field == "forms":
            labels = [exploitation_form_name(v) for v in value]
            texts.append(_("Forms: %(forms)s") % {"forms": ", ".join(labels) or "–"})
        elif field == "municipality":
            texts.append(_("Municipality: %(name)s") % {"name": places.get(value, "–")})
        elif field == "place":
            texts.append(_("Place changed"))
        elif field in ("signals_added", "signals_removed") and value:
            label = _("Signals added: %(codes)s") if field == "signals_added" else _("Signals removed: %(codes)s")
            texts.append(label % {"codes": ", ".join(value)})
    return texts


def report_history(report: Report) -> list[HistoryEntry]:
    entries = [
        HistoryEntry(
            row.created_at,
            str(row.get_to_status_display()),
            row.actor.display_name if row.actor else _("reporter or system"),
            row.reason,
        )
        for row in report.transitions.select_related("actor")
    ]
    events = list(
        AuditEvent.objects.filter(
            action=Action.REPORT_UPDATED, object_type=Report._meta.label_lower, object_id=str(report.pk)
        ).select_related("actor")
    )
    changes = [event.details.get("changed", {}) for event in events]
    user_ids = {c["assignee"] for c in changes if c.get("assignee")}
    municipality_ids = {c["municipality"] for c in changes if c.get("municipality")}
    users = {str(u.pk): u.display_name for u in User.objects.filter(pk__in=user_ids)}
    places = {str(m.pk): m.name for m in Municipality.objects.filter(pk__in=municipality_ids)}
    for event, changed in zip(events, changes, strict=True):
        texts = _change_texts(changed, users, places)
        if texts:
            who = event.actor.display_name if event.actor else event.actor_name
            entries.append(HistoryEntry(event.created_at, "; ".join(texts), who))
    return sorted(entries, key=lambda entry: entry.at)
