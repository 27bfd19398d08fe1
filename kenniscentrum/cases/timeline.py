"""A case's timeline: reports, steps, notes, tasks, referrals, assessments, meeting decisions, the possible victims'
trajectory (CoMensha, reflection period, shelter), safety points and organisations' access, in order.

One query per kind of entry, so a case with 500 entries costs as many queries as one with 5; the case page asks
for the latest entries only, so each kind reads at most that many rows and counts the rest. Each source is
filtered by what the user may see (access.py). Apps above `cases` (referrals, meetings) add their
entries through `timeline_source`, registered when they load, so `cases` imports none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.lib.vocabulary import CaseStatus, TaskStatus

from .access import sees, trajectory_parts
from .models import (
    Case,
    ComenshaRegistration,
    HandoverTransition,
    ReflectionPeriod,
    ShelterPlacement,
    VictimStatusChange,
)


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str
    text: str
    who: str = ""
    body: str = ""
    # An entry of a day (a registration, a placement) shows its date alone, not a time nobody recorded.
    day_only: bool = False


def on_day(day: date) -> datetime:
    """A day as the moment it starts in the shown time zone, so that entries of a day sort among the others."""
    return timezone.make_aware(datetime.combine(day, time.min))


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
            # Asking for four-eyes approval leaves the status as it was: the entry says what was asked, not the
            # unchanged status (which read as if the case went back to screening).
            if step.transition == "ask_close_approval":
                text = _("Closing asked: a second case director approves it")
            else:
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
    more, count = _trajectory_entries(case, user, part, latest)
    entries += more
    total += count
    flags, count = newest(case.safety_flags.select_related("person", "created_by"), latest)
    total += count
    for flag in flags:
        text = _("Safety point: %(kind)s") % {"kind": flag.get_kind_display()}
        if flag.person:
            text += f" – {flag.person}"
        entries.append(Entry(flag.created_at, "safety", text, entry_name(flag.created_by), flag.note))
        if flag.ended_at:
            entries.append(
                Entry(flag.ended_at, "safety", _("Safety point ended: %(kind)s") % {"kind": flag.get_kind_display()})
            )
    if sees(part, "grants"):
        grants, count = newest(case.grants.select_related("organisation", "granted_by"), latest)
        total += count
        for grant in grants:
            text = _("Access for %(organisation)s from %(start)s until %(end)s") % {
                "organisation": grant.organisation,
                "start": date_format(grant.valid_from, "SHORT_DATE_FORMAT"),
                "end": date_format(grant.valid_until, "SHORT_DATE_FORMAT") if grant.valid_until else "–",
            }
            entries.append(Entry(grant.created_at, "grant", text, entry_name(grant.granted_by), grant.purpose))
            if grant.revoked_at:
                text = _("Access for %(organisation)s revoked") % {"organisation": grant.organisation}
                entries.append(Entry(grant.revoked_at, "grant", text))
    for source in SOURCES:
        more, count = source(case, user, part, latest)
        entries += more
        total += count
    entries.sort(key=lambda e: e.at)
    return (entries if latest is None else entries[-latest:]), total


def _trajectory_entries(case: Case, user: User, part: str | None, latest: int | None) -> tuple[list[Entry], int]:
    """The possible victims' trajectory as far as the user sees it (access.trajectory_parts): each registration with
    CoMensha, each reflection period (offered, and from when until when), each shelter placement and its end."""
    shown = trajectory_parts(user, case, part)
    entries: list[Entry] = []
    total = 0
    if "comensha" in shown:
        registrations, count = newest(
            ComenshaRegistration.objects.filter(involvement__case=case).select_related(
                "involvement__person", "registered_by"
            ),
            latest,
            "registered_on",
        )
        total += count
        for registration in registrations:
            text = _("Registration with CoMensha for %(person)s: %(kind)s") % {
                "person": registration.involvement.person,
                "kind": registration.get_kind_display(),
            }
            who = entry_name(registration.registered_by)
            entries.append(Entry(on_day(registration.registered_on), "comensha", text, who, day_only=True))
    if "reflection" in shown:
        periods, count = newest(
            ReflectionPeriod.objects.filter(involvement__case=case).select_related("involvement__person"),
            latest,
            "offered_on",
        )
        total += count
        for period in periods:
            person = period.involvement.person
            text = _("Reflection period offered to %(person)s: %(answer)s") % {
                "person": person,
                "answer": period.get_answer_display(),
            }
            entries.append(Entry(on_day(period.offered_on), "reflection", text, day_only=True))
            if period.starts_on:
                text = _("Reflection period of %(person)s from %(start)s until %(end)s") % {
                    "person": person,
                    "start": date_format(period.starts_on, "SHORT_DATE_FORMAT"),
                    "end": date_format(period.ends_on, "SHORT_DATE_FORMAT") if period.ends_on else "…",
                }
                entries.append(Entry(on_day(period.starts_on), "reflection", text, day_only=True))
    if "shelter" in shown:
        placements, count = newest(
            ShelterPlacement.objects.filter(involvement__case=case).select_related(
                "involvement__person", "organisation", "recorded_by"
            ),
            latest,
            "placed_on",
        )
        total += count
        for placement in placements:
            where = placement.get_kind_display() + (f", {placement.organisation}" if placement.organisation else "")
            text = _("Shelter for %(person)s: %(where)s") % {"person": placement.involvement.person, "where": where}
            who = entry_name(placement.recorded_by)
            entries.append(Entry(on_day(placement.placed_on), "shelter", text, who, placement.note, day_only=True))
            if placement.left_on:
                text = _("Shelter of %(person)s ended") % {"person": placement.involvement.person}
                entries.append(Entry(on_day(placement.left_on), "shelter", text, day_only=True))
    return entries, total


@dataclass(frozen=True)
class Deadline:
    day: date
    text: str
    overdue: bool


# A grant ending within this many days is named in the case's header, so its access can be extended in time.
GRANT_ENDING_DAYS = 30
# The open tasks due next that the header names, besides every overdue one.
NEXT_TASKS = 3


def case_deadlines(case: Case, user: User, part: str | None) -> list[Deadline]:
    """What falls due on the case, soonest first, as far as the user sees it: the end of each running reflection
    period, every overdue task and the next ones due, and an organisation's access ending soon."""
    if not case.is_open:
        return []
    today = timezone.localdate()
    found: list[Deadline] = []
    if "reflection" in trajectory_parts(user, case, part):
        periods = ReflectionPeriod.objects.filter(involvement__case=case, ends_on__gte=today).select_related(
            "involvement__person"
        )
        for period in periods:
            text = _("Reflection period of %(person)s ends") % {"person": period.involvement.person}
            found.append(Deadline(period.ends_on, text, False))  # type: ignore[arg-type]
    tasks = case.tasks.visible_to(user).filter(status=TaskStatus.OPEN, due_date__isnull=False).order_by("due_date")
    overdue = list(tasks.filter(due_date__lt=today))
    for task in overdue + list(tasks.filter(due_date__gte=today)[:NEXT_TASKS]):
        text = _("Task: %(title)s") % {"title": task.title}
        found.append(Deadline(task.due_date, text, task.due_date < today))  # type: ignore[arg-type,operator]
    if sees(part, "grants"):
        for grant in case.grants.active().select_related("organisation", "covenant"):
            ends = grant.ends_on
            if ends is not None and ends <= today + timedelta(days=GRANT_ENDING_DAYS):
                text = _("Access of %(organisation)s ends") % {"organisation": grant.organisation}
                found.append(Deadline(ends, text, False))
    return sorted(found, key=lambda deadline: deadline.day)
