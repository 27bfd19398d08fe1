"""Referrals: the rules for consent and the police override, and the referral workflow as one table."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.cases.models import AccessGrant, Case, Person
from kenniscentrum.cases.services import DEFAULT_GRANT_DAYS, grant_add
from kenniscentrum.lib.vocabulary import InvolvementRole, LegalBasis, RiskLevel, YesNoUnknown
from kenniscentrum.lib.workflow import Transition, transition_apply
from kenniscentrum.organisations.models import Organisation, OrganisationType

from .models import Consent, Referral, ReferralTransition
from .signals import referral_stepped
from .workflow import CENTRE, RECIPIENT, REFERRAL_FLOW


def minor_involved(case: Case, person: Person | None) -> bool:
    """The person referred (or, without one, any possible victim of the case) was under 18 at the start."""
    victims = case.involvements.filter(role=InvolvementRole.VICTIM)
    if person is not None:
        victims = victims.filter(person=person)
    return any(v.minor for v in victims)


def acute_danger(case: Case) -> bool:
    """The latest risk assessment says acute danger, or a linked report said someone was in danger."""
    latest = case.risk_assessments.first()
    if latest is not None and latest.level == RiskLevel.ACUTE:
        return True
    return case.reports.filter(acute_danger=YesNoUnknown.YES).exists()


def referral_problems(
    *,
    case: Case,
    person: Person | None,
    organisation: Organisation,
    legal_basis: str,
    consent: str,
    consent_note: str,
    override_reason: str,
) -> list[str]:
    """The consent rule: a documented basis for every referral; to the police without consent only with an
    override for a minor or acute danger."""
    problems = []
    if consent == Consent.NOT_ASKED and not consent_note.strip():
        problems.append(_("Say why the person was not asked for consent."))
    if legal_basis == LegalBasis.CONSENT and consent != Consent.GIVEN:
        problems.append(_("Consent is the legal basis only when the person gave it."))
    if organisation.type == OrganisationType.POLICE and consent != Consent.GIVEN:
        if not (minor_involved(case, person) or acute_danger(case)):
            problems.append(
                _("A referral to the police without consent is possible only for a minor or in acute danger.")
            )
        elif not override_reason.strip():
            problems.append(_("Write down why the police must be involved without consent."))
    return problems


@transaction.atomic
def referral_create(
    *,
    case: Case,
    actor: User,
    person: Person | None,
    organisation: Organisation,
    purpose: str,
    legal_basis: str,
    consent: str,
    consent_note: str = "",
    override_reason: str = "",
) -> Referral:
    if person is not None and not case.involvements.filter(person=person).exists():
        raise ValidationError(_("Choose a person involved in this case."))
    problems = referral_problems(
        case=case,
        person=person,
        organisation=organisation,
        legal_basis=legal_basis,
        consent=consent,
        consent_note=consent_note,
        override_reason=override_reason,
    )
    if problems:
        raise ValidationError(problems)
    police_override = organisation.type == OrganisationType.POLICE and consent != Consent.GIVEN
    referral = Referral.objects.create(
        case=case,
        person=person,
        organisation=organisation,
        purpose=purpose,
        legal_basis=legal_basis,
        consent=consent,
        consent_note=consent_note,
        override_reason=override_reason if police_override else "",
        created_by=actor,
    )
    ReferralTransition.objects.create(referral=referral, transition="propose", to_status=referral.status, actor=actor)
    audit_record(action=Action.REFERRAL_CHANGED, actor=actor, obj=referral, step="propose", case=case.reference)
    if police_override:
        audit_record(
            action=Action.REFERRAL_POLICE_OVERRIDE,
            actor=actor,
            obj=referral,
            case=case.reference,
            minor=minor_involved(case, person),
            acute=acute_danger(case),
        )
    return referral


def referral_sides(user: User, referral: Referral, case_part: str | None) -> frozenset[str]:
    """The sides this user acts on for this referral."""
    sides = set()
    if case_part in ("manager", "coordinator"):
        sides.add(CENTRE)
    if user.has_role("partner") and user.organisation_id == referral.organisation_id:
        sides.add(RECIPIENT)
    return frozenset(sides)


def steps_for(referral: Referral, sides: frozenset[str]) -> list[Transition]:
    """The steps this user's sides may take now (a step a guard stands in the way of is not offered)."""
    steps = {
        t.name: t
        for side in sorted(sides)
        for t in REFERRAL_FLOW.available(referral.status, side)
        if not REFERRAL_FLOW.blockers(referral, t.name, side)
    }
    return list(steps.values())


@transaction.atomic
def referral_step(*, referral: Referral, name: str, actor: User, sides: frozenset[str], reason: str = "") -> Referral:
    """Takes step `name` for the side of this user that may take it."""
    side = next((s for s in sorted(sides) if s in REFERRAL_FLOW[name].by), None)
    if side is None:
        raise ValidationError(_("This step is for the other organisation."))
    transition_apply(REFERRAL_FLOW, referral, name, actor=actor, text=reason, by=side)
    audit_record(action=Action.REFERRAL_CHANGED, actor=actor, obj=referral, step=name, case=referral.case.reference)
    referral_stepped.send(sender=Referral, referral=referral, step=name)
    if (
        name == "accept"
        and not AccessGrant.objects.active().filter(case=referral.case, organisation=referral.organisation).exists()
    ):
        # Accepting a referral means working on the case: the organisation gets access for that purpose.
        grant_add(
            case=referral.case,
            actor=actor,
            decided_by=referral.created_by,
            organisation=referral.organisation,
            purpose=referral.purpose[:300],
            legal_basis=referral.legal_basis,
            valid_until=timezone.localdate() + timedelta(days=DEFAULT_GRANT_DAYS),
            referral=referral.pk,
        )
    return referral


def withdraw_when_case_closes(*, case: Case, actor: User, reason: str, withdraw_referrals: bool, **kwargs: Any) -> None:
    """Closing a case withdraws its running referrals when the director chose so (cases.signals.case_closing)."""
    if not withdraw_referrals:
        return
    for referral in Referral.objects.filter(case=case).running():
        referral_step(referral=referral, name="withdraw", actor=actor, sides=frozenset({CENTRE}), reason=reason)
