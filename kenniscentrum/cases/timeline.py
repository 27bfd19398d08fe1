"""A case's timeline: reports, steps, notes, tasks, referrals, assessments and meeting decisions, in order.

One query per kind of entry, so a case with 500 entries costs as many queries as one with 5; the case page asks
for the latest entries only, so each kind reads at most that many rows and counts the rest. Each source is
filtered by what the user may see (access.py). Apps above `cases` (referrals, meetings) add their
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
from .models import Case, HandoverTransition, VictimStatusChange


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str
    text: str
    who: str = ""
    body: str = ""


def entry_name(user: Any) -> str:
    return str(user.display_name) if user is not None else ""


# Entries other apps add: a function of (case, user, the user's part, at most this many or all) giving the newest of
# that app's entries the user may see, and how many there are in all.
TimelineSource = Callable[[Case, User, str | None, int | None], tuple[list[Entry], int]]
SOURCES: list[TimelineSource] = []


def timeline_source(source: TimelineSource) -> TimelineSource:
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def newest(rows: Any, latest: int | None, field: str = "created_at") -> tuple[list[Any], int]:
    """The newest `latest` rows by `field` (all of them when None) and how many there are."""
    if latest is None:
        found = list(rows)
        return found, len(found)
    return list(rows.order_by(f"-{field}", "-pk")[:latest]), rows.count()


def case_timeline(case: Case, user: User, part: str | None, latest: int | None = None) -> tuple[list[Entry], int]:
    """The newest `latest` entries the user may see (all when None), oldest first, and how many there are."""
    entries: list[Entry] = []
    total = 0
    statuses = dict(CaseStatus.choices)
    # Each kind of entry is shown to those who see its part of the case page (access.SECTIONS).
    if sees(part, "reports"):
        reports, count = newest(case.reports.only("reference", "received_at"), latest, "received_at")
        total += count
        for report in reports:
            text = _("Report %(reference)s received") % {"reference": report.reference}
            entries.append(Entry(report.received_at, "report", text))
    if sees(part, "status"):
        steps, count = newest(case.transitions.select_related("actor"), latest)
        total += count
        for step in steps:
            text = _("Status: %(status)s") % {"status": statuses[step.to_status]}
            reason = step.reason if sees(part, "step_reasons") else ""
            entries.append(Entry(step.created_at, "status", text, entry_name(step.actor), reason))
    notes, count = newest(case.notes.visible_to(user).select_related("author"), latest)
    total += count
    for note in notes:
        text = _("Note (%(visibility)s)") % {"visibility": note.get_visibility_display()}
        entries.append(Entry(note.created_at, "note", text, entry_name(note.author), note.body))
    tasks = case.tasks.visible_to(user).select_related("owner_user", "owner_organisation", "created_by")
    added, count = newest(tasks, latest)
    total += count
    for task in added:
        text = _("Task for %(owner)s: %(title)s") % {"owner": task.owner_label, "title": task.title}
        entries.append(Entry(task.created_at, "task", text, entry_name(task.created_by)))
    done, count = newest(tasks.filter(completed_at__isnull=False), latest, "completed_at")
    total += count
    for task in done:
        entries.append(Entry(task.completed_at, "task", _("Task done: %(title)s") % {"title": task.title}))
    if sees(part, "risks"):
        risks, count = newest(case.risk_assessments.select_related("assessed_by"), latest)
        total += count
        for risk in risks:
            text = _("Risk assessment: %(level)s") % {"level": risk.get_level_display()}
            entries.append(Entry(risk.created_at, "risk", text, entry_name(risk.assessed_by), risk.factors))
    if sees(part, "victim_status"):
        changes, count = newest(
            VictimStatusChange.objects.filter(involvement__case=case).select_related(
                "involvement__person", "recorded_by"
            ),
            latest,
        )
        total += count
        for change in changes:
            text = _("Victim status of %(person)s: %(status)s (%(by)s)") % {
                "person": change.involvement.person,
                "status": change.get_status_display(),
                "by": change.get_decided_by_display(),
            }
            entries.append(Entry(change.created_at, "victim", text, entry_name(change.recorded_by), change.note))
    if sees(part, "handovers"):
        # The handover itself is its first step ("offered"), then each answer.
        offered, count = newest(case.handovers.select_related("organisation", "created_by"), latest)
        total += count
        for handover in offered:
            text = _("Handover to %(centre)s") if handover.is_outgoing else _("Handover from %(centre)s")
            who = entry_name(handover.created_by)
            entries.append(Entry(handover.created_at, "handover", text % {"centre": handover.organisation}, who))
        answers, count = newest(
            HandoverTransition.objects.filter(handover__case=case).select_related("handover__organisation", "actor"),
            latest,
        )
        total += count
        for answer in answers:
            text = _("Handover with %(centre)s: %(status)s") % {
                "centre": answer.handover.organisation,
                "status": answer.get_to_status_display(),
            }
            entries.append(Entry(answer.created_at, "handover", text, entry_name(answer.actor), answer.reason))
    for source in SOURCES:
        more, count = source(case, user, part, latest)
        entries += more
        total += count
    entries.sort(key=lambda e: e.at)
    return (entries if latest is None else entries[-latest:]), total
