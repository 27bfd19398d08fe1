"""Referrals: the covenant they rest on, its rules for consent, and the referral workflow as one table."""

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
from kenniscentrum.cases.services import DEFAULT_GRANT_DAYS, grant_add, grants_lock
from kenniscentrum.lib.models import row_lock
from kenniscentrum.lib.vocabulary import InvolvementRole, LegalBasis, RiskLevel, YesNoUnknown
from kenniscentrum.lib.workflow import Transition, transition_apply
from kenniscentrum.organisations.models import Covenant, Organisation, WithoutConsent
from kenniscentrum.organisations.services import covenant_for, legal_basis_problem

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


def exception_applies(case: Case, person: Person | None) -> bool:
    """The exception a covenant may make to consent: a minor is involved or someone is in acute danger."""
    return minor_involved(case, person) or acute_danger(case)


def consent_problems(
    *, case: Case, person: Person | None, organisation: Organisation, covenant: Covenant, consent: str, reason: str
) -> list[str]:
    """Sharing without consent as the covenant rules it for this type of organisation."""
    if consent == Consent.GIVEN:
        return []
    rule = covenant.without_consent(organisation.type)
    if rule == WithoutConsent.NEVER:
        return [
            _("Under the covenant '%(covenant)s', %(type)s is referred to only with the person's consent.")
            % {"covenant": covenant, "type": organisation.get_type_display().lower()}
        ]
    if rule == WithoutConsent.MINOR_OR_ACUTE:
        if not exception_applies(case, person):
            return [
                _(
                    "Under the covenant '%(covenant)s', a referral to %(type)s without consent is possible only "
                    "for a minor or in acute danger."
                )
                % {"covenant": covenant, "type": organisation.get_type_display().lower()}
            ]
        if not reason.strip():
            return [
                _("Write down why %(organisation)s must be involved without consent.") % {"organisation": organisation}
            ]
    return []


def needs_reason(organisation: Organisation, covenant: Covenant, consent: str) -> bool:
    """A referral made on the covenant's exception to consent: its reason is kept and audited apart."""
    return consent != Consent.GIVEN and covenant.without_consent(organisation.type) == WithoutConsent.MINOR_OR_ACUTE


def referral_problems(
    *,
    case: Case,
    person: Person | None,
    organisation: Organisation,
    covenant: Covenant,
    legal_basis: str,
    consent: str,
    consent_note: str,
    override_reason: str,
) -> list[str]:
    """A documented basis for every referral, allowed by its covenant; without consent only as the covenant says."""
    problems = []
    if consent == Consent.NOT_ASKED and not consent_note.strip():
        problems.append(_("Say why the person was not asked for consent."))
    if legal_basis == LegalBasis.CONSENT and consent != Consent.GIVEN:
        problems.append(_("Consent is the legal basis only when the person gave it."))
    if problem := legal_basis_problem(covenant, legal_basis):
        problems.append(problem)
    problems += consent_problems(
        case=case, person=person, organisation=organisation, covenant=covenant, consent=consent, reason=override_reason
    )
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
    covenant: Covenant | None = None,
) -> Referral:
    if person is not None and not case.involvements.filter(person=person).exists():
        raise ValidationError(_("Choose a person involved in this case."))
    covenant = covenant_for(organisation, covenant)
    problems = referral_problems(
        case=case,
        person=person,
        organisation=organisation,
        covenant=covenant,
        legal_basis=legal_basis,
        consent=consent,
        consent_note=consent_note,
        override_reason=override_reason,
    )
    if problems:
        raise ValidationError(problems)
    on_exception = needs_reason(organisation, covenant, consent)
    referral = Referral.objects.create(
        case=case,
        person=person,
        organisation=organisation,
        covenant=covenant,
        purpose=purpose,
        legal_basis=legal_basis,
        consent=consent,
        consent_note=consent_note,
        override_reason=override_reason if on_exception else "",
        created_by=actor,
    )
    ReferralTransition.objects.create(referral=referral, transition="propose", to_status=referral.status, actor=actor)
    audit_record(
        action=Action.REFERRAL_CHANGED,
        actor=actor,
        obj=referral,
        step="propose",
        case=case.reference,
        covenant=covenant.pk,
    )
    if on_exception:
        audit_record(
            action=Action.REFERRAL_POLICE_OVERRIDE,
            actor=actor,
            obj=referral,
            case=case.reference,
            organisation_type=organisation.type,
            covenant=covenant.pk,
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


def steps_refused(referral: Referral, sides: frozenset[str]) -> list[str]:
    """Why a step this user's sides could take now is not offered: what its guards say, to tell on the page."""
    problems = [
        problem
        for side in sorted(sides)
        for t in REFERRAL_FLOW.available(referral.status, side)
        for problem in REFERRAL_FLOW.blockers(referral, t.name, side)
    ]
    return list(dict.fromkeys(problems))


@transaction.atomic
def referral_step(*, referral: Referral, name: str, actor: User, sides: frozenset[str], reason: str = "") -> Referral:
    """Takes step `name` for the side of this user that may take it."""
    side = next((s for s in sorted(sides) if s in REFERRAL_FLOW[name].by), None)
    if side is None:
        raise ValidationError(_("This step is for the other organisation."))
    if name == "accept":
        # Lock, then judge (probe finding 5): the case row, so a closing waits or is seen, and the organisation's
        # grant rows, so a revocation waits or is seen by the guards; in the order closing takes them.
        row_lock(referral.case)
        grants_lock(case=referral.case, organisation_id=referral.organisation_id)
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
            covenant=referral.covenant,
        )
    return referral


def withdraw_when_case_closes(*, case: Case, actor: User, reason: str, withdraw_referrals: bool, **kwargs: Any) -> None:
    """Closing a case withdraws its running referrals when the director chose so (cases.signals.case_closing)."""
    if not withdraw_referrals:
        return
    for referral in Referral.objects.filter(case=case).running():
        referral_step(referral=referral, name="withdraw", actor=actor, sides=frozenset({CENTRE}), reason=reason)
