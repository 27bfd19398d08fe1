"""Meetings: an agenda of cases; decisions per case, whose actions become tasks of that case."""

from datetime import date, datetime

from django.db import transaction

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.cases.models import Case
from kenniscentrum.cases.services import task_add
from kenniscentrum.organisations.models import Organisation

from .models import AgendaItem, Decision, Meeting


@transaction.atomic
def meeting_create(
    *, actor: User, type: str, held_at: datetime, location: str, organisations: list[Organisation]
) -> Meeting:
    meeting = Meeting.objects.create(type=type, held_at=held_at, location=location, created_by=actor)
    meeting.organisations.set(organisations)
    audit_record(action=Action.MEETING_CHANGED, actor=actor, obj=meeting, created=True)
    return meeting


@transaction.atomic
def item_add(*, meeting: Meeting, case: Case, actor: User) -> AgendaItem:
    item, _created = AgendaItem.objects.get_or_create(
        meeting=meeting, case=case, defaults={"order": meeting.items.count() + 1}
    )
    audit_record(action=Action.MEETING_CHANGED, actor=actor, obj=meeting, case_added=case.reference)
    return item


@transaction.atomic
def minutes_set(*, item: AgendaItem, actor: User, minutes: str) -> AgendaItem:
    item.minutes = minutes
    item.save(update_fields=["minutes"])
    audit_record(action=Action.MEETING_CHANGED, actor=actor, obj=item.meeting, minutes=item.case.reference)
    return item


@transaction.atomic
def decision_add(
    *,
    item: AgendaItem,
    actor: User,
    text: str,
    task_title: str = "",
    owner_user: User | None = None,
    owner_organisation: Organisation | None = None,
    due_date: date | None = None,
    support: str = "",
) -> Decision:
    """A decision on a case; with an action, the action becomes a task of the case (with the practical support it
    arranges, if any)."""
    decision = Decision.objects.create(item=item, text=text, created_by=actor)
    if task_title.strip():
        task_add(
            case=item.case,
            actor=actor,
            title=task_title,
            owner_user=owner_user,
            owner_organisation=owner_organisation,
            due_date=due_date,
            decision=decision,
            support=support,
        )
    audit_record(action=Action.MEETING_CHANGED, actor=actor, obj=item.meeting, decision=decision.pk)
    return decision
