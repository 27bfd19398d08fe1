"""Every change to a case goes through these functions: each is atomic, checks its rule and is audited."""

import re
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.indicators.models import Indicator
from kenniscentrum.lib.vocabulary import (
    CaseStatus,
    HandoverStatus,
    InvolvementRole,
    LegalBasis,
    TaskStatus,
    VictimStatus,
)
from kenniscentrum.lib.workflow import STAFF, transition_apply
from kenniscentrum.organisations.models import Covenant, Municipality, Organisation
from kenniscentrum.organisations.services import covenant_for, legal_basis_problem
from kenniscentrum.reports.models import PersonRole, Report
from kenniscentrum.reports.services import report_change_status
from kenniscentrum.reports.workflow import CASE

from .handover import handed_away, parts_allowed
from .models import (
    PERSON_FIELDS,
    REFLECTION_MONTHS,
    AccessGrant,
    Case,
    CaseCounter,
    CaseSignal,
    CaseTransition,
    ComenshaRegistration,
    Goal,
    Handover,
    HandoverDirection,
    HandoverPart,
    Involvement,
    Note,
    Person,
    ReflectionPeriod,
    RiskAssessment,
    SafetyFlag,
    ShelterPlacement,
    Task,
    VictimStatusChange,
    Visibility,
)
from .signals import case_closing, handover_received, person_details_changed, task_assigned
from .workflow import BY_HANDOVER, CASE_FLOW, HANDOVER_FLOW, TASK_FLOW

# How long a grant made for a coordinating organisation or an accepted referral lasts, unless changed.
DEFAULT_GRANT_DAYS = 365
REPORT_PERSON_ROLES: dict[str, str] = {
    PersonRole.POSSIBLE_VICTIM: InvolvementRole.VICTIM,
    PersonRole.SUSPECT: InvolvementRole.SUSPECT,
    PersonRole.OTHER: InvolvementRole.OTHER,
}


def case_reference_next(year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"C-{year}-{counter.last:05d}"


# The fields each update service may change; any other name is a programming error, not a user's input.
CASE_FIELDS = frozenset(
    {
        "title",
        "summary",
        "director",
        "coordinator_user",
        "coordinator_organisation",
        "municipality",
        "residence_municipality",
        "forms",
        "labour_sector",
        "border",
        "act_note",
        "means_note",
        "purpose_note",
        "methods_of_control",
    }
)


def _changed(obj: Model, changes: dict[str, Any], allowed: frozenset[str]) -> list[str]:
    """Applies `changes` to `obj` and returns the names of the fields that really changed."""
    changed = []
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"{type(obj).__name__} fields not changed here: {sorted(unknown)}")
    for name, value in changes.items():
        relation = obj._meta.get_field(name).is_relation
        current = getattr(obj, f"{name}_id" if relation else name)
        new = value.pk if relation and value is not None else value
        if current != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _record_opened(case: Case, actor: User) -> None:
    CaseTransition.objects.create(case=case, transition="opened", to_status=case.status, actor=actor)
    audit_record(action=Action.CASE_TRANSITION, actor=actor, obj=case, transition="opened", to=case.status)


@transaction.atomic
def case_open_from_report(*, report: Report, title: str, actor: User) -> Case:
    """A new case from a report in triage: the report's forms, place, signals and persons come along."""
    report_change_status(report=report, name="open_case", actor=actor, by=CASE)
    case = Case.objects.create(
        reference=case_reference_next(timezone.localdate().year),
        title=title.strip(),
        forms=report.form_values,
        municipality=report.municipality,
        residence_municipality=report.residence_municipality,
        created_by=actor,
        director=actor if actor.has_role("case_director") else None,
    )
    _record_opened(case, actor)
    report.case = case
    report.save(update_fields=["case"])
    CaseSignal.objects.bulk_create(
        [CaseSignal(case=case, indicator_id=s.indicator_id, created_by=actor) for s in report.signals.all()]
    )
    for mentioned in report.persons.all():
        age = re.match(r"\d{1,3}", mentioned.age.strip())
        person = Person.objects.create(
            aliases=mentioned.description[:300], estimated_age=int(age.group()) if age else None, created_by=actor
        )
        role = REPORT_PERSON_ROLES.get(mentioned.role, str(InvolvementRole.OTHER))
        Involvement.objects.create(
            case=case,
            person=person,
            role=role,
            victim_status=VictimStatus.POSSIBLE if role == InvolvementRole.VICTIM else "",
        )
    audit_record(action=Action.CASE_CREATED, actor=actor, obj=case, report=report.reference)
    return case


@transaction.atomic
def case_link_report(*, report: Report, case: Case, actor: User) -> Case:
    """Adds a report to an existing case; a case holds one or more reports."""
    if not case.is_open:
        raise ValidationError(_("Reopen the case before adding a report to it."))
    report_change_status(report=report, name="link_case", actor=actor, by=CASE)
    report.case = case
    report.save(update_fields=["case"])
    existing = set(case.signals.values_list("indicator_id", flat=True))
    CaseSignal.objects.bulk_create(
        [
            CaseSignal(case=case, indicator_id=s.indicator_id, created_by=actor)
            for s in report.signals.all()
            if s.indicator_id not in existing
        ]
    )
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, linked_report=report.reference)
    return case


@transaction.atomic
def case_change_status(
    *,
    case: Case,
    name: str,
    actor: User,
    text: str = "",
    cancel_tasks: bool = False,
    end_grants: bool = False,
    withdraw_referrals: bool = False,
    end_placements: bool = False,
    by: str = STAFF,
) -> Case:
    """Takes step `name` of the workflow table if its guards allow, with one history row.

    Closing can tidy up in the same step: cancel the open tasks, end the organisations' access, end the shelter
    placements still running, and withdraw the referrals still running (by the referrals app, which hears
    `case_closing`)."""
    today = timezone.localdate()
    # The row is locked and reloaded before the guards judge it: two "close" requests give one close.
    step = transition_apply(CASE_FLOW, case, name, actor=actor, text=text, by=by)
    audit_record(action=Action.CASE_TRANSITION, actor=actor, obj=case, transition=name, to=step.to_status)
    if step.to_status == CaseStatus.CLOSED:
        if cancel_tasks:
            for task in case.tasks.filter(status=TaskStatus.OPEN):
                task_set_status(task=task, actor=actor, status=TaskStatus.CANCELLED)
        if end_grants:
            for grant in case.grants.active():
                grant_revoke(grant=grant, actor=actor)
        if end_placements:
            for placement in ShelterPlacement.objects.filter(involvement__case=case, left_on=None):
                # A placement planned to start later ends on its first day: it never ran under this case.
                shelter_end(case=case, actor=actor, placement=placement.pk, left_on=max(today, placement.placed_on))
        case_closing.send(
            sender=Case, case=case, actor=actor, reason=text.strip(), withdraw_referrals=withdraw_referrals
        )
    return case


@transaction.atomic
def case_update(*, case: Case, actor: User, **changes: Any) -> Case:
    """Changes the case's own fields; a coordinating organisation gets access to the case with it."""
    changed = _changed(case, changes, CASE_FIELDS)
    if not changed:
        return case
    case.save(update_fields=changed)
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, changed=changed)
    organisation = changes.get("coordinator_organisation")
    if "coordinator_organisation" in changed and organisation is not None:
        if not AccessGrant.objects.active().filter(case=case, organisation=organisation).exists():
            grant_add(
                case=case,
                actor=actor,
                organisation=organisation,
                purpose=_("Case coordination"),
                legal_basis=LegalBasis.PUBLIC_TASK,
                valid_until=timezone.localdate() + timedelta(days=DEFAULT_GRANT_DAYS),
            )
    return case


@transaction.atomic
def case_set_signals(*, case: Case, codes: list[str], actor: User) -> Case:
    before = set(case.signals.values_list("indicator__code", flat=True))
    after = set(codes)
    if after != before:
        case.signals.filter(indicator__code__in=before - after).delete()
        indicators = Indicator.objects.filter(code__in=after - before)
        CaseSignal.objects.bulk_create([CaseSignal(case=case, indicator=i, created_by=actor) for i in indicators])
        audit_record(
            action=Action.CASE_CHANGED,
            actor=actor,
            obj=case,
            changed={"signals_added": sorted(after - before), "signals_removed": sorted(before - after)},
        )
    return case


def _check_victim_of(case: Case, involvement: Involvement) -> None:
    """The trajectory (registration, reflection period, shelter) is a possible victim's of this very case, and
    this centre still carries it."""
    if involvement.case_id != case.pk or involvement.role != InvolvementRole.VICTIM:
        raise ValidationError(_("Choose a possible victim of this case."))
    if Involvement.objects.filter(handed_away(), pk=involvement.pk).exists():
        raise ValidationError(_("This trajectory was handed over to another region; its centre records it now."))


@transaction.atomic
def comensha_register(
    *,
    case: Case,
    actor: User,
    involvement: Involvement,
    kind: str,
    registered_on: date,
    legal_basis: str,
    comensha_reference: str,
) -> ComenshaRegistration:
    _check_victim_of(case, involvement)
    if registered_on > timezone.localdate():
        raise ValidationError(_("A registration cannot be dated in the future."))
    if ComenshaRegistration.objects.filter(involvement=involvement).exists():
        raise ValidationError(_("This person is registered with CoMensha already."))
    registration = ComenshaRegistration.objects.create(
        involvement=involvement,
        kind=kind,
        registered_on=registered_on,
        registered_by=actor,
        legal_basis=legal_basis,
        comensha_reference=comensha_reference.strip(),
    )
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, comensha_registration=registration.pk, kind=kind)
    return registration


def reflection_problems(data: dict[str, Any]) -> list[str]:
    """What is wrong with a reflection period as entered (sources.md §2.4: at most three months)."""
    problems = []
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if data.get("answer") == "accepted" and not starts:
        problems.append(str(_("An accepted reflection period needs its start.")))
    if starts and ends and ends < starts:
        problems.append(str(_("The end comes before the start.")))
    if starts and ends and ends > add_months(starts, REFLECTION_MONTHS):
        problems.append(str(_("A reflection period lasts at most three months.")))
    if data.get("offered_on") and data["offered_on"] > timezone.localdate():
        problems.append(str(_("An offer cannot be dated in the future.")))
    if data.get("cooperation") and not data.get("cooperation_on"):
        problems.append(str(_("Give the date of the report to the police or of the cooperation.")))
    return problems


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where that month is shorter (30 November + 3 months
    is 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def reflection_record(*, case: Case, actor: User, involvement: Involvement, **data: Any) -> ReflectionPeriod:
    """Records the reflection period of a possible victim of this case, or changes what changed in the recorded one
    (a form sent back unchanged changes nothing, and keeps who recorded it)."""
    _check_victim_of(case, involvement)
    problems = reflection_problems(data)
    if problems:
        raise ValidationError(problems)
    fields = {name: data[name] for name in REFLECTION_FIELDS}
    period = ReflectionPeriod.objects.select_for_update().filter(involvement=involvement).first()
    created = period is None
    if period is None:
        period = ReflectionPeriod.objects.create(involvement=involvement, recorded_by=actor, **fields)
        changed = list(fields)
    else:
        changed = _changed(period, fields, frozenset(REFLECTION_FIELDS))
        if not changed:
            return period
        period.recorded_by = actor
        period.save(update_fields=[*changed, "recorded_by", "updated_at"])
    audit_record(
        action=Action.CASE_CHANGED,
        actor=actor,
        obj=case,
        reflection=period.pk,
        answer=period.answer,
        new=created,
        changed=changed,
    )
    return period


REFLECTION_FIELDS = (
    "route",
    "offered_on",
    "offered_by",
    "answer",
    "starts_on",
    "ends_on",
    "cooperation",
    "cooperation_on",
    "permit_applied_on",
    "permit_status",
)


# How far ahead a shelter placement may be recorded (the day it starts).
PLACEMENT_AHEAD_DAYS = 30


@transaction.atomic
def shelter_place(
    *,
    case: Case,
    actor: User,
    involvement: Involvement,
    kind: str,
    organisation: Organisation | None,
    placed_on: date,
    note: str,
) -> ShelterPlacement:
    """A placement in shelter; a running one for the same person ends on this one's first day (a re-placement)."""
    _check_victim_of(case, involvement)
    # A place in shelter is often arranged a few days ahead; further ahead it is a plan, not a placement.
    if placed_on > timezone.localdate() + timedelta(days=PLACEMENT_AHEAD_DAYS):
        raise ValidationError(
            _("A placement can be planned at most %(days)d days ahead.") % {"days": PLACEMENT_AHEAD_DAYS}
        )
    running = ShelterPlacement.objects.select_for_update().filter(involvement=involvement, left_on=None).first()
    if running is not None:
        if placed_on < running.placed_on:
            raise ValidationError(_("The new placement starts before the one running now."))
        running.left_on = placed_on
        running.save(update_fields=["left_on"])
    placement = ShelterPlacement.objects.create(
        involvement=involvement,
        kind=kind,
        organisation=organisation,
        placed_on=placed_on,
        note=note.strip(),
        recorded_by=actor,
    )
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, placement=placement.pk, replaced=bool(running))
    return placement


@transaction.atomic
def shelter_end(*, case: Case, actor: User, placement: int, left_on: date) -> ShelterPlacement:
    found = ShelterPlacement.objects.filter(pk=placement, involvement__case=case, left_on=None).first()
    if found is None:
        raise ValidationError(_("This placement does not exist or has ended already."))
    if left_on < found.placed_on or left_on > max(timezone.localdate(), found.placed_on):
        raise ValidationError(_("Give a day between the placement's start and today."))
    found.left_on = left_on
    found.save(update_fields=["left_on"])
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, placement_ended=found.pk)
    return found


@transaction.atomic
def safety_flag_add(
    *, case: Case, actor: User, kind: str, involvement: Involvement | None, language: str, note: str
) -> SafetyFlag:
    if involvement is not None and involvement.case_id != case.pk:
        raise ValidationError(_("Choose a person involved in this case."))
    flag = SafetyFlag.objects.create(
        case=case,
        person=involvement.person if involvement else None,
        kind=kind,
        language=language,
        note=note.strip(),
        created_by=actor,
    )
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, safety_flag=flag.pk, kind=kind)
    return flag


@transaction.atomic
def safety_flag_end(*, case: Case, actor: User, flag: int) -> SafetyFlag:
    found = case.safety_flags.active().filter(pk=flag).first()
    if found is None:
        raise ValidationError(_("This safety point does not exist or has ended already."))
    found.ended_at = timezone.now()
    found.save(update_fields=["ended_at"])
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, safety_flag_ended=found.pk)
    return found


@transaction.atomic
def risk_add(*, case: Case, actor: User, level: str, factors: str, assessed_on: date) -> RiskAssessment:
    if assessed_on > timezone.localdate():
        raise ValidationError(_("An assessment cannot be dated in the future."))
    risk = RiskAssessment.objects.create(
        case=case, level=level, factors=factors, assessed_on=assessed_on, assessed_by=actor
    )
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, risk_assessment=risk.pk, level=level)
    return risk


@transaction.atomic
def person_add(
    *, case: Case, actor: User, person: Person | None, person_data: dict[str, Any], **role: Any
) -> Involvement:
    """Adds a new or an existing person to the case in a role."""
    if person is None:
        person = Person.objects.create(created_by=actor, **person_data)
        audit_record(action=Action.PERSON_CHANGED, actor=actor, obj=person, created=True)
        person_details_changed.send(sender=Person, person=person, actor=actor)
    if Involvement.objects.filter(case=case, person=person, role=role["role"]).exists():
        raise ValidationError(_("This person already has this role in the case."))
    involvement = Involvement.objects.create(
        case=case,
        person=person,
        victim_status=VictimStatus.POSSIBLE if role["role"] == InvolvementRole.VICTIM else "",
        **role,
    )
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, person_added=person.pk, role=role["role"])
    return involvement


# The fields linking records as identifiers of the person (linking.services.on_person_details_changed).
CONTACT_FIELDS = frozenset({"phone", "email", "street", "postal_code"})


@transaction.atomic
def person_update(*, person: Person, actor: User, **changes: Any) -> Person:
    changed = _changed(person, changes, frozenset(PERSON_FIELDS))
    if changed:
        person.save(update_fields=changed)
        audit_record(action=Action.PERSON_CHANGED, actor=actor, obj=person, changed=changed)
        if set(changed) & CONTACT_FIELDS:
            person_details_changed.send(sender=Person, person=person, actor=actor)
    return person


@transaction.atomic
def victim_status_set(
    *,
    involvement: Involvement,
    actor: User,
    status: str,
    decided_by: str,
    deciding_organisation: Organisation | None,
    note: str,
) -> VictimStatusChange:
    """Records a decision on victim status, by whom, and keeps the history."""
    if involvement.role != InvolvementRole.VICTIM:
        raise ValidationError(_("Victim status applies to a possible victim only."))
    change = VictimStatusChange.objects.create(
        involvement=involvement,
        status=status,
        decided_by=decided_by,
        deciding_organisation=deciding_organisation,
        note=note,
        recorded_by=actor,
    )
    involvement.victim_status = status
    involvement.save(update_fields=["victim_status"])
    audit_record(
        action=Action.CASE_CHANGED, actor=actor, obj=involvement.case, involvement=involvement.pk, victim_status=status
    )
    return change


@transaction.atomic
def goal_add(*, case: Case, actor: User, text: str) -> Goal:
    goal = Goal.objects.create(case=case, text=text)
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, goal_added=goal.pk)
    return goal


def _check_owner(owner_user: User | None, owner_organisation: Organisation | None) -> None:
    if (owner_user is None) == (owner_organisation is None):
        raise ValidationError(_("Choose either a person or an organisation as the owner."))


@transaction.atomic
def task_add(
    *,
    case: Case,
    actor: User,
    title: str,
    owner_user: User | None,
    owner_organisation: Organisation | None,
    due_date: date | None,
    goal: Goal | None = None,
    decision: Any = None,
    support: str = "",
) -> Task:
    if not case.is_open:
        raise ValidationError(_("A closed case takes no new tasks. Reopen it first."))
    _check_owner(owner_user, owner_organisation)
    if owner_organisation is not None:
        # A task shares its words with the organisation, with or without access to the case: on a covenant only.
        covenant_for(owner_organisation)
    if goal is not None and goal.case_id != case.pk:
        raise ValidationError(_("Choose a goal of this case."))
    task = Task.objects.create(
        case=case,
        title=title,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        due_date=due_date,
        goal=goal,
        decision=decision,
        support=support,
        created_by=actor,
    )
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, task_added=task.pk)
    task_assigned.send(sender=Task, task=task)
    return task


@transaction.atomic
def task_set_status(*, task: Task, actor: User, status: str) -> Task:
    """Moves a task to `status` by the step of TASK_FLOW that leads there; the same status is no change."""
    if status == task.status:
        return task
    transition = TASK_FLOW.step_for(task.status, status)
    if transition is None:
        raise ValidationError(_("Choose a status from the list."))
    transition_apply(TASK_FLOW, task, transition.name, actor=actor)
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=task.case, task=task.pk, status=status)
    return task


@transaction.atomic
def note_add(*, case: Case, actor: User, body: str, visibility: str) -> Note:
    """A partner user writes shared notes only: they have no part in the centre's internal file."""
    if visibility == Visibility.INTERNAL and not actor.in_centre:
        raise ValidationError(_("Only the centre's staff write internal notes."))
    note = Note.objects.create(case=case, body=body, visibility=visibility, author=actor)
    audit_record(action=Action.CASE_CHANGED, actor=actor, obj=case, note_added=note.pk, visibility=visibility)
    return note


@transaction.atomic
def grant_add(
    *,
    case: Case,
    actor: User,
    organisation: Organisation,
    purpose: str,
    legal_basis: str,
    valid_until: date | None,
    valid_from: date | None = None,
    decided_by: User | None = None,
    covers: list[str] | None = None,
    covenant: Covenant | None = None,
    **context: Any,
) -> AccessGrant:
    """Gives `organisation` access to `case`, under `covenant` (or the covenant in force it is a party to). `actor`
    is who acts now; `decided_by` whoever took the decision it rests on, when that was someone else (the centre
    worker who sent a referral the partner accepts)."""
    if organisation.is_centre:
        raise ValidationError(_("The centre itself needs no grant."))
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(_("The end date lies before the start date."))
    covenant = covenant_for(organisation, covenant)
    if problem := legal_basis_problem(covenant, legal_basis):
        raise ValidationError(problem)
    grant = AccessGrant.objects.create(
        case=case,
        organisation=organisation,
        purpose=purpose,
        covers=sorted(set(covers or [])),
        legal_basis=legal_basis,
        covenant=covenant,
        granted_by=decided_by or actor,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    audit_record(
        action=Action.CASE_GRANT,
        actor=actor,
        obj=case,
        granted=organisation.pk,
        legal_basis=legal_basis,
        covenant=covenant.pk,
        covers=sorted(set(covers or [])),
        until=str(valid_until or ""),
        decided_by=(decided_by or actor).pk,
        **context,
    )
    return grant


def grants_lock(*, case: Case, organisation_id: int) -> None:
    """Locks the grant rows of (case, organisation) for the rest of the transaction. Revoking a grant and accepting
    a referral both take these locks before they judge, so one waits for the other and sees what it did: a
    revocation that commits after an acceptance is not undone by a grant the acceptance made (probe finding 5)."""
    list(
        AccessGrant.objects.select_for_update()
        .filter(case=case, organisation_id=organisation_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def grant_end_problem(valid_from: date, valid_until: date | None) -> str | None:
    """An end date a grant cannot have: before its start, or past (ending access now is revoking it)."""
    if valid_until is None:
        return None
    if valid_until < timezone.localdate():
        return _("The end date lies in the past. To end the access now, revoke it.")
    if valid_until < valid_from:
        return _("The end date lies before the start date.")
    return None


@transaction.atomic
def grant_update(*, grant: AccessGrant, actor: User, purpose: str, covers: list[str], valid_until: date) -> AccessGrant:
    """Changes an active grant's purpose, the parts of the trajectory it covers and its end date, in place: the
    organisation's access is one grant, not a second one beside it (finding 8). Its organisation, legal basis and
    covenant stay: another basis is a new decision, a new grant."""
    grants_lock(case=grant.case, organisation_id=grant.organisation_id)
    if not AccessGrant.objects.active().filter(pk=grant.pk).exists():
        raise ValidationError(_("This grant does not exist or was revoked already."))
    grant.refresh_from_db()
    if problem := grant_end_problem(grant.valid_from, valid_until):
        raise ValidationError(problem)
    before = {"covers": grant.covers, "until": str(grant.valid_until or "")}
    changed = _changed(
        grant,
        {"purpose": purpose.strip(), "covers": sorted(set(covers)), "valid_until": valid_until},
        GRANT_FIELDS,
    )
    if not changed:
        return grant
    grant.save(update_fields=changed)
    # The purpose's words stay out of the log (as with grant_add); what it opens and until when are in it.
    audit_record(
        action=Action.CASE_GRANT,
        actor=actor,
        obj=grant.case,
        edited=grant.pk,
        organisation=grant.organisation_id,
        changed=changed,
        covers=[before["covers"], grant.covers],
        until=[before["until"], str(grant.valid_until or "")],
    )
    return grant


# What grant_update may change.
GRANT_FIELDS = frozenset({"purpose", "covers", "valid_until"})


@transaction.atomic
def grant_revoke(*, grant: AccessGrant, actor: User) -> AccessGrant:
    """Ends `grant` now; refused when it was revoked already (also by someone else a moment ago)."""
    grants_lock(case=grant.case, organisation_id=grant.organisation_id)
    grant.refresh_from_db(fields=["revoked_at"])
    if grant.revoked_at is not None:
        raise ValidationError(_("This grant does not exist or was revoked already."))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit_record(action=Action.CASE_GRANT, actor=actor, obj=grant.case, revoked=grant.organisation_id)
    return grant


# Handover between regions ----------------------------------------------------------------------------------


def handover_problems(*, legal_basis: str, parts: list[str], handed_on: date) -> list[str]:
    """What is wrong with a handover as entered: what it shares must be allowed by its legal basis."""
    problems = []
    if not parts:
        problems.append(str(_("Choose what the handover shares.")))
    allowed = parts_allowed(legal_basis)
    refused = [str(label) for code, label in HandoverPart.choices if code in parts and code not in allowed]
    if refused:
        problems.append(
            str(_("On this legal basis the handover may not share: %(parts)s.")) % {"parts": "; ".join(refused)}
        )
    if handed_on > timezone.localdate():
        problems.append(str(_("A handover cannot be dated in the future.")))
    return problems


def _check_other_centre(organisation: Organisation | None) -> Organisation:
    if organisation is None or not Organisation.objects.other_centres().filter(pk=organisation.pk).exists():
        raise ValidationError(_("Choose the knowledge centre of another region."))
    return organisation


@transaction.atomic
def handover_offer(
    *,
    case: Case,
    actor: User,
    organisation: Organisation | None,
    involvement: Involvement | None,
    handed_on: date,
    reason: str,
    legal_basis: str,
    parts: list[str],
) -> Handover:
    """Hands the case, or one possible victim's trajectory, to another region's centre; it waits for their answer."""
    organisation = _check_other_centre(organisation)
    if not case.is_open:
        raise ValidationError(_("A closed case is not handed over."))
    if involvement is not None:
        _check_victim_of(case, involvement)
    problems = handover_problems(legal_basis=legal_basis, parts=parts, handed_on=handed_on)
    if problems:
        raise ValidationError(problems)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    waiting = case.handovers.filter(status=HandoverStatus.OFFERED)
    if waiting.filter(involvement=involvement).exists():
        raise ValidationError(_("A handover of this case or trajectory is waiting for an answer already."))
    handover = Handover.objects.create(
        case=case,
        involvement=involvement,
        direction=HandoverDirection.OUTGOING,
        organisation=organisation,
        handed_on=handed_on,
        reason=reason.strip(),
        legal_basis=legal_basis,
        parts=[code for code in HandoverPart.values if code in parts],
        created_by=actor,
    )
    audit_record(
        action=Action.CASE_HANDOVER,
        actor=actor,
        obj=case,
        handover=handover.pk,
        to=organisation.pk,
        legal_basis=legal_basis,
        parts=handover.parts,
    )
    return handover


@transaction.atomic
def handover_receive(
    *,
    actor: User,
    organisation: Organisation | None,
    handed_on: date,
    reason: str,
    legal_basis: str,
    parts: list[str],
    received: str,
    title: str,
    municipality: Municipality | None,
) -> Handover:
    """A case received from another region's centre: opened here in screening, with the handover waiting for a case
    director to accept it. Until then the sending centre stays responsible."""
    organisation = _check_other_centre(organisation)
    if handed_on > timezone.localdate():
        raise ValidationError(_("A handover cannot be dated in the future."))
    if not received.strip():
        raise ValidationError(_("Write down what the other centre sent."))
    case = Case.objects.create(
        reference=case_reference_next(timezone.localdate().year),
        title=title.strip(),
        municipality=municipality,
        created_by=actor,
    )
    _record_opened(case, actor)
    handover = Handover.objects.create(
        case=case,
        direction=HandoverDirection.INCOMING,
        organisation=organisation,
        handed_on=handed_on,
        reason=reason.strip(),
        legal_basis=legal_basis,
        parts=[code for code in HandoverPart.values if code in parts],
        received=received.strip(),
        created_by=actor,
    )
    audit_record(action=Action.CASE_CREATED, actor=actor, obj=case, handover=handover.pk)
    audit_record(
        action=Action.CASE_HANDOVER,
        actor=actor,
        obj=case,
        handover=handover.pk,
        received_from=organisation.pk,
        legal_basis=legal_basis,
    )
    handover_received.send(sender=Handover, handover=handover)
    return handover


def handover_closes_case(handover: Handover) -> bool:
    """Whether the handover's answer, as it stands now, ends the case here."""
    if handover.is_outgoing:
        return handover.status == HandoverStatus.ACCEPTED and handover.involvement_id is None
    return handover.status == HandoverStatus.DECLINED


@transaction.atomic
def handover_step(*, handover: Handover, name: str, actor: User, text: str = "") -> Handover:
    """Takes a step of HANDOVER_FLOW; the responsibility moves with the answer.

    Accepted, received here: this centre carries the case, and the accepting director directs it unless it has one.
    Accepted, sent away: a whole case closes here; a trajectory stays in the case as it was, recorded no further.
    Declined, received here: the case closes here. Closing here cancels the open tasks, ends the organisations'
    access and withdraws the running referrals."""
    step = transition_apply(HANDOVER_FLOW, handover, name, actor=actor, text=text)
    case = handover.case
    if step.to_status == HandoverStatus.ACCEPTED and not handover.is_outgoing and case.director_id is None:
        case.director = actor
        case.save(update_fields=["director"])
    if handover_closes_case(handover):
        # The other centre carries it now (or never took it from its own): what ran here ends with it.
        closing = _("Handed over to %(centre)s.") if handover.is_outgoing else _("Handover from %(centre)s declined.")
        case_change_status(
            case=case,
            name="hand_over",
            actor=actor,
            text=closing % {"centre": handover.organisation},
            cancel_tasks=True,
            end_grants=True,
            withdraw_referrals=True,
            by=BY_HANDOVER,
        )
    audit_record(
        action=Action.CASE_HANDOVER, actor=actor, obj=case, handover=handover.pk, transition=name, to=step.to_status
    )
    return handover
