"""Referrals: the rules for consent and the police override, and the referral workflow as one table."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.cases.models import AccessGrant, Case, InvolvementRole, LegalBasis, Person, RiskLevel
from kenniscentrum.cases.services import DEFAULT_GRANT_DAYS, grant_add
from kenniscentrum.organisations.models import Organisation, OrganisationType
from kenniscentrum.reports.models import YesNoUnknown

from .models import RUNNING, Consent, Referral, ReferralStatus, ReferralTransition

# Who takes a step: the centre's side of the case (manager or coordinator), or the receiving organisation.
CENTRE, RECIPIENT = "centre", "recipient"


@dataclass(frozen=True)
class Step:
    name: str
    label: str | Promise
    sources: frozenset[str]
    target: str
    by: frozenset[str]
    needs_reason: bool = False


STEPS: dict[str, Step] = {
    s.name: s
    for s in [
        Step(
            "send", gettext_lazy("Send"), frozenset({ReferralStatus.PROPOSED}), ReferralStatus.SENT, frozenset({CENTRE})
        ),
        Step(
            "accept",
            gettext_lazy("Accept"),
            frozenset({ReferralStatus.SENT}),
            ReferralStatus.ACCEPTED,
            frozenset({RECIPIENT}),
        ),
        Step(
            "decline",
            gettext_lazy("Decline"),
            frozenset({ReferralStatus.SENT}),
            ReferralStatus.DECLINED,
            frozenset({RECIPIENT}),
            needs_reason=True,
        ),
        Step(
            "complete",
            gettext_lazy("Mark as completed"),
            frozenset({ReferralStatus.ACCEPTED}),
            ReferralStatus.COMPLETED,
            frozenset({CENTRE, RECIPIENT}),
        ),
        Step(
            "withdraw",
            gettext_lazy("Withdraw"),
            RUNNING,
            ReferralStatus.WITHDRAWN,
            frozenset({CENTRE}),
            needs_reason=True,
        ),
    ]  # fmt: skip
}


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


def access_revoked_since(referral: Referral) -> bool:
    """The centre revoked the organisation's access to the case after this referral was made: accepting it
    must not hand that access back."""
    return AccessGrant.objects.filter(
        case=referral.case_id, organisation=referral.organisation_id, revoked_at__gte=referral.created_at
    ).exists()


def step_problems(referral: Referral, step: Step) -> list[str]:
    if step.name == "accept" and access_revoked_since(referral):
        return [
            _(
                "The centre has ended your organisation's access to this case since the referral was sent. "
                "It can no longer be accepted; contact the case director."
            )
        ]
    return []


def steps_for(referral: Referral, sides: frozenset[str]) -> list[Step]:
    return [
        s for s in STEPS.values() if referral.status in s.sources and s.by & sides and not step_problems(referral, s)
    ]


@transaction.atomic
def referral_step(*, referral: Referral, name: str, actor: User, sides: frozenset[str], reason: str = "") -> Referral:
    step = STEPS[name]
    if referral.status not in step.sources:
        raise ValidationError(
            _("This step is not possible while the referral is '%(status)s'.")
            % {"status": referral.get_status_display()}
        )
    if not step.by & sides:
        raise ValidationError(_("This step is for the other organisation."))
    if step.needs_reason and not reason.strip():
        raise ValidationError(_("Write down the reason."))
    problems = step_problems(referral, step)
    if problems:
        raise ValidationError(problems)
    ReferralTransition.objects.create(
        referral=referral,
        transition=name,
        from_status=referral.status,
        to_status=step.target,
        actor=actor,
        reason=reason,
    )
    referral.status = step.target
    fields = ["status"]
    if name in ("accept", "decline"):
        referral.answered_by = actor
        fields.append("answered_by")
    if name == "decline":
        referral.decline_reason = reason
        fields.append("decline_reason")
    referral.save(update_fields=fields)
    audit_record(action=Action.REFERRAL_CHANGED, actor=actor, obj=referral, step=name, case=referral.case.reference)
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
