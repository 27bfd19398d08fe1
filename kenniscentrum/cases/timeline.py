"""A case's timeline: reports, steps, notes, tasks, referrals, assessments and meeting decisions, in order.

One query per kind of entry, so a case with 500 entries costs as many queries as one with 5. Each
source is filtered by what the user may see (access.py).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.meetings.models import Decision
from kenniscentrum.referrals.models import ReferralTransition

from .access import PARTNER, sees
from .models import Case, CaseStatus, VictimStatusChange


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str
    text: str
    who: str = ""
    body: str = ""


def _name(user: Any) -> str:
    return str(user.display_name) if user is not None else ""


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
        entries.append(Entry(step.created_at, "status", text, _name(step.actor), reason))
    for note in case.notes.visible_to(user).select_related("author"):
        text = _("Note (%(visibility)s)") % {"visibility": note.get_visibility_display()}
        entries.append(Entry(note.created_at, "note", text, _name(note.author), note.body))
    for task in case.tasks.visible_to(user).select_related("owner_user", "owner_organisation", "created_by"):
        text = _("Task for %(owner)s: %(title)s") % {"owner": task.owner_label, "title": task.title}
        entries.append(Entry(task.created_at, "task", text, _name(task.created_by)))
        if task.completed_at:
            entries.append(Entry(task.completed_at, "task", _("Task done: %(title)s") % {"title": task.title}))
    referral_steps = ReferralTransition.objects.filter(referral__case=case).select_related(
        "referral__organisation", "actor"
    )
    if part == PARTNER:
        referral_steps = referral_steps.filter(referral__organisation_id=user.organisation_id or 0)
    for referral_step in referral_steps:
        text = _("Referral to %(organisation)s: %(status)s") % {
            "organisation": referral_step.referral.organisation,
            "status": referral_step.get_to_status_display(),
        }
        entries.append(
            Entry(referral_step.created_at, "referral", text, _name(referral_step.actor), referral_step.reason)
        )
    for risk in case.risk_assessments.select_related("assessed_by") if sees(part, "risks") else []:
        text = _("Risk assessment: %(level)s") % {"level": risk.get_level_display()}
        entries.append(Entry(risk.created_at, "risk", text, _name(risk.assessed_by), risk.factors))
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
            entries.append(Entry(change.created_at, "victim", text, _name(change.recorded_by), change.note))
    decisions = Decision.objects.filter(Q(item__case=case)).select_related("item__meeting", "created_by")
    for decision in decisions if sees(part, "decisions") else []:
        text = _("Decision in %(meeting)s") % {"meeting": decision.item.meeting}
        entries.append(Entry(decision.created_at, "decision", text, _name(decision.created_by), decision.text))
    entries.sort(key=lambda e: e.at)
    return entries
