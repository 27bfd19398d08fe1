"""A case's timeline: reports, steps, notes, tasks, referrals, assessments and meeting decisions, in order.

One query per kind of entry, so a case with 500 entries costs as many queries as one with 5. Each
source is filtered by what the user may see (access.py). Apps above `cases` (referrals, meetings) add their
entries through `timeline_source`, registered when they load, so `cases` imports none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.lib.vocabulary import CaseStatus

from .access import sees
from .models import Case, VictimStatusChange


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str
    text: str
    who: str = ""
    body: str = ""


def entry_name(user: Any) -> str:
    return str(user.display_name) if user is not None else ""


# Entries other apps add: a function of (case, user, the user's part) giving that app's entries the user may see.
TimelineSource = Callable[[Case, User, str | None], list[Entry]]
SOURCES: list[TimelineSource] = []


def timeline_source(source: TimelineSource) -> TimelineSource:
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def case_timeline(case: Case, user: User, part: str | None) -> list[Entry]:
    entries: list[Entry] = []
    statuses = dict(CaseStatus.choices)
    # Each kind of entry is shown to those who see its part of the case page (access.SECTIONS).
    reports = case.reports.only("reference", "received_at") if sees(part, "reports") else []
    for report in reports:
        entries.append(
            Entry(report.received_at, "report", _("Report %(reference)s received") % {"reference": report.reference})
        )
    for step in case.transitions.select_related("actor") if sees(part, "status") else []:
        text = _("Status: %(status)s") % {"status": statuses[step.to_status]}
        reason = step.reason if sees(part, "step_reasons") else ""
        entries.append(Entry(step.created_at, "status", text, entry_name(step.actor), reason))
    for note in case.notes.visible_to(user).select_related("author"):
        text = _("Note (%(visibility)s)") % {"visibility": note.get_visibility_display()}
        entries.append(Entry(note.created_at, "note", text, entry_name(note.author), note.body))
    for task in case.tasks.visible_to(user).select_related("owner_user", "owner_organisation", "created_by"):
        text = _("Task for %(owner)s: %(title)s") % {"owner": task.owner_label, "title": task.title}
        entries.append(Entry(task.created_at, "task", text, entry_name(task.created_by)))
        if task.completed_at:
            entries.append(Entry(task.completed_at, "task", _("Task done: %(title)s") % {"title": task.title}))
    for risk in case.risk_assessments.select_related("assessed_by") if sees(part, "risks") else []:
        text = _("Risk assessment: %(level)s") % {"level": risk.get_level_display()}
        entries.append(Entry(risk.created_at, "risk", text, entry_name(risk.assessed_by), risk.factors))
    if sees(part, "victim_status"):
        changes = VictimStatusChange.objects.filter(involvement__case=case).select_related(
            "involvement__person", "recorded_by"
        )
        for change in changes:
            text = _("Victim status of %(person)s: %(status)s (%(by)s)") % {
                "person": change.involvement.person,
                "status": change.get_status_display(),
                "by": change.get_decided_by_display(),
            }
            entries.append(Entry(change.created_at, "victim", text, entry_name(change.recorded_by), change.note))
    for source in SOURCES:
        entries += source(case, user, part)
    entries.sort(key=lambda e: e.at)
    return entries
