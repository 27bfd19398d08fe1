"""Referrals: the consent rule, the police override (minors and acute danger only, audited), the steps."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import AccessGrant, Person
from kenniscentrum.cases.services import person_add, risk_add
from kenniscentrum.lib.vocabulary import InvolvementRole, ReferralStatus
from kenniscentrum.organisations.models import OrganisationType
from kenniscentrum.referrals.models import Consent
from kenniscentrum.referrals.services import CENTRE, RECIPIENT, referral_create, referral_step
from tests.cases.conftest import organisation
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def refer(case, actor, org_type, **kwargs):
    data = {"person": None, "purpose": "Opvang regelen", "legal_basis": "public_task", "consent": Consent.GIVEN}
    data.update(kwargs)
    return referral_create(case=case, actor=actor, organisation=organisation(org_type), **data)


def victim(case, actor, age_at_start):
    return person_add(
        case=case, actor=actor, person=None, person_data={"first_name": "Mila"}, role=InvolvementRole.VICTIM,
        age_at_start=age_at_start,
    ).person  # fmt: skip


def test_not_asking_for_consent_needs_a_reason(case, director) -> None:
    with pytest.raises(ValidationError, match="not asked"):
        refer(case, director, OrganisationType.CARE, consent=Consent.NOT_ASKED)
    assert refer(case, director, OrganisationType.CARE, consent=Consent.NOT_ASKED, consent_note="Niet bereikbaar").pk


def test_consent_as_legal_basis_needs_consent_given(case, director) -> None:
    with pytest.raises(ValidationError, match="Consent is the legal basis"):
        refer(case, director, OrganisationType.CARE, legal_basis="consent", consent=Consent.REFUSED)


def test_police_without_consent_is_refused_for_an_adult_without_acute_danger(case, director) -> None:
    adult = victim(case, director, age_at_start=25)
    with pytest.raises(ValidationError, match="only for a minor or in acute danger"):
        refer(case, director, OrganisationType.POLICE, person=adult, consent=Consent.REFUSED, override_reason="Ernstig")


def test_police_without_consent_for_a_minor_needs_a_reason_and_is_audited(case, director) -> None:
    minor = victim(case, director, age_at_start=16)
    with pytest.raises(ValidationError, match="must be involved without consent"):
        refer(case, director, OrganisationType.POLICE, person=minor, consent=Consent.REFUSED)
    referral = refer(
        case, director, OrganisationType.POLICE, person=minor, consent=Consent.REFUSED,
        override_reason="Minderjarig, uitbuiting gaat door",
    )  # fmt: skip
    event = AuditEvent.objects.get(action=Action.REFERRAL_POLICE_OVERRIDE)
    assert event.object_id == str(referral.pk) and event.details["minor"] is True


def test_police_without_consent_in_acute_danger_is_allowed_with_a_reason(case, director) -> None:
    risk_add(case=case, actor=director, level="acute", factors="Dreiging", assessed_on=date.today())
    referral = refer(case, director, OrganisationType.POLICE, consent=Consent.NOT_ASKED, consent_note="Geen tijd",
                     override_reason="Acuut gevaar")  # fmt: skip
    assert referral.override_reason == "Acuut gevaar"
    assert AuditEvent.objects.get(action=Action.REFERRAL_POLICE_OVERRIDE).details["acute"] is True


def test_police_with_consent_needs_no_override(case, director) -> None:
    referral = refer(case, director, OrganisationType.POLICE, consent=Consent.GIVEN, override_reason="niet nodig")
    assert referral.override_reason == ""
    assert not AuditEvent.objects.filter(action=Action.REFERRAL_POLICE_OVERRIDE).exists()


def test_a_person_from_another_case_cannot_be_referred(case, director) -> None:
    stranger = Person.objects.create(first_name="Elders")
    with pytest.raises(ValidationError):
        refer(case, director, OrganisationType.CARE, person=stranger)


def test_steps_follow_the_table_and_each_side_takes_its_own(case, director) -> None:
    referral = refer(case, director, OrganisationType.CARE)
    with pytest.raises(ValidationError):
        referral_step(referral=referral, name="accept", actor=director, sides=frozenset({CENTRE}))
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    with pytest.raises(ValidationError, match="other organisation"):
        referral_step(referral=referral, name="accept", actor=director, sides=frozenset({CENTRE}))
    with pytest.raises(ValidationError, match="reason"):
        referral_step(referral=referral, name="decline", actor=director, sides=frozenset({RECIPIENT}))
    referral_step(referral=referral, name="decline", actor=director, sides=frozenset({RECIPIENT}), reason="Vol")
    assert referral.status == ReferralStatus.DECLINED and referral.decline_reason == "Vol"
    assert [t.to_status for t in referral.transitions.all()] == ["proposed", "sent", "declined"]


def test_a_partner_user_accepts_in_the_platform_and_gets_access(case, director, ungranted) -> None:
    referral = refer(case, director, OrganisationType.CARE)
    assert referral.organisation == ungranted.organisation
    client = logged_in(ungranted)
    assert client.get(f"/medewerkers/verwijzingen/{referral.pk}/").status_code == 404  # not sent yet
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    assert client.get(f"/medewerkers/casussen/{case.pk}/").status_code == 404  # no grant yet
    page = client.get(f"/medewerkers/verwijzingen/{referral.pk}/")
    assert page.status_code == 200 and [s.name for s in page.context["steps"]] == ["accept", "decline"]
    assert client.post(f"/medewerkers/verwijzingen/{referral.pk}/", {"step": "accept", "reason": ""}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.answered_by == ungranted
    assert AccessGrant.objects.active().filter(case=case, organisation=ungranted.organisation).exists()
    assert client.get(f"/medewerkers/casussen/{case.pk}/").status_code == 200


def test_the_referral_form_keeps_what_was_typed_on_error(case, director) -> None:
    client = logged_in(director)
    police = organisation(OrganisationType.POLICE)
    response = client.post(
        f"/medewerkers/casussen/{case.pk}/verwijzing/nieuw/",
        {
            "referral-organisation": police.pk,
            "referral-purpose": "Aangifte <script>x</script>",
            "referral-legal_basis": "public_task",
            "referral-consent": "refused",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Aangifte &lt;script&gt;x&lt;/script&gt;" in page
    # The rule that refused it is said on the page, in the form's errors.
    errors = page[page.index('class="error-summary"') :]
    assert "only for a minor or in acute danger" in errors or "alleen bij een minderjarige" in errors
