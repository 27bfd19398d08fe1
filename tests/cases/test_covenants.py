"""Sharing rests on covenants (issue 16): every grant and referral names one, the rule on consent is the covenant's
per type of organisation, an ended covenant ends its grants, and functional administrators keep the register."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import AccessGrant
from kenniscentrum.cases.services import grant_add, person_add
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.organisations.demo import DEMO_COVENANT
from kenniscentrum.organisations.models import Covenant, CovenantRule, OrganisationType, WithoutConsent
from kenniscentrum.referrals.models import Consent
from kenniscentrum.referrals.services import CENTRE, RECIPIENT, referral_create, referral_step
from tests.cases.conftest import organisation
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def grant(case, actor, org_type=OrganisationType.POLICE, **kwargs):
    data = {"purpose": "Onderzoek", "legal_basis": "public_task", "valid_until": TODAY + timedelta(days=30)}
    return grant_add(case=case, actor=actor, organisation=organisation(org_type), **(data | kwargs))


def refer(case, actor, org_type, **kwargs):
    data = {"person": None, "purpose": "Doorverwijzen", "legal_basis": "public_task", "consent": Consent.REFUSED}
    return referral_create(case=case, actor=actor, organisation=organisation(org_type), **(data | kwargs))


def minor(case, actor):
    return person_add(case=case, actor=actor, person=None, person_data={"first_name": "Mila"},
                      role=InvolvementRole.VICTIM, age_at_start=16).person  # fmt: skip


def set_rule(org_type: str, rule: str) -> None:
    CovenantRule.objects.update_or_create(
        covenant=Covenant.objects.get(name=DEMO_COVENANT), organisation_type=org_type,
        defaults={"without_consent": rule},
    )  # fmt: skip


def test_every_grant_and_referral_names_the_covenant_it_rests_on(case, director) -> None:
    covenant = Covenant.objects.get(name=DEMO_COVENANT)
    assert grant(case, director).covenant == covenant
    assert refer(case, director, OrganisationType.CARE).covenant == covenant
    event = AuditEvent.objects.filter(action=Action.CASE_GRANT).latest("id")
    assert event.details["covenant"] == covenant.pk


def test_without_a_covenant_in_force_nothing_is_shared(case, director) -> None:
    Covenant.objects.update(ends_on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="No covenant in force covers sharing with"):
        grant(case, director)
    with pytest.raises(ValidationError, match="No covenant in force"):
        refer(case, director, OrganisationType.CARE, consent=Consent.GIVEN)
    assert not AccessGrant.objects.exists()


def test_an_organisation_that_is_not_a_party_gets_nothing_under_the_covenant(case, director) -> None:
    covenant = Covenant.objects.get(name=DEMO_COVENANT)
    covenant.parties.remove(organisation(OrganisationType.LABOUR_INSPECTORATE))
    with pytest.raises(ValidationError, match="No covenant in force"):
        grant(case, director, OrganisationType.LABOUR_INSPECTORATE)
    with pytest.raises(ValidationError, match="is not a party to the covenant"):
        grant(case, director, OrganisationType.LABOUR_INSPECTORATE, covenant=covenant)


def test_a_legal_basis_the_covenant_does_not_name_is_refused(case, director) -> None:
    Covenant.objects.update(legal_bases=["consent", "public_task"])
    with pytest.raises(ValidationError, match="does not allow sharing on the basis"):
        grant(case, director, legal_basis="vital_interest")
    with pytest.raises(ValidationError, match="does not allow sharing on the basis"):
        refer(case, director, OrganisationType.CARE, legal_basis="legal_obligation", consent=Consent.GIVEN)


def test_the_rule_on_consent_is_the_covenants_per_type_of_organisation(case, director) -> None:
    person = minor(case, director)
    # The prosecutor and the labour inspectorate have the police's rule in the example covenant.
    with pytest.raises(ValidationError, match="must be involved without consent"):
        refer(case, director, OrganisationType.PROSECUTION, person=person)
    assert refer(case, director, OrganisationType.PROSECUTION, person=person, override_reason="Minderjarig").pk
    event = AuditEvent.objects.get(action=Action.REFERRAL_POLICE_OVERRIDE)
    assert event.details["organisation_type"] == OrganisationType.PROSECUTION

    # Changed in the register, not in code: the inspectorate only with consent, even for a minor.
    set_rule(OrganisationType.LABOUR_INSPECTORATE, WithoutConsent.NEVER)
    with pytest.raises(ValidationError, match="only with the person's consent"):
        refer(case, director, OrganisationType.LABOUR_INSPECTORATE, person=person, override_reason="Minderjarig")
    # And the police on the covenant's basis: no exception needed, so no override is recorded.
    set_rule(OrganisationType.POLICE, WithoutConsent.ON_BASIS)
    referral = refer(case, director, OrganisationType.POLICE, override_reason="niet nodig")
    assert referral.override_reason == ""
    # A type the covenant has no rule for: only with consent.
    CovenantRule.objects.filter(organisation_type=OrganisationType.CARE).delete()
    with pytest.raises(ValidationError, match="only with the person's consent"):
        refer(case, director, OrganisationType.CARE)
    assert refer(case, director, OrganisationType.CARE, consent=Consent.GIVEN).pk


def test_an_ended_covenant_ends_its_grants(case, director, partner) -> None:
    grant(case, director)
    client = logged_in(partner)
    assert client.get(f"/medewerkers/casussen/{case.pk}/").status_code == 200
    Covenant.objects.update(ends_on=TODAY - timedelta(days=1))
    assert client.get(f"/medewerkers/casussen/{case.pk}/").status_code == 404
    assert not AccessGrant.objects.active().exists()
    page = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "beëindigd met het convenant" in page


def test_a_referral_cannot_be_accepted_once_its_covenant_ended(case, director) -> None:
    referral = refer(case, director, OrganisationType.CARE, consent=Consent.GIVEN)
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    Covenant.objects.update(ends_on=TODAY - timedelta(days=1))
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer in force"):
        referral_step(referral=referral, name="accept", actor=director, sides=frozenset({RECIPIENT}))
    assert not AccessGrant.objects.exists()


def test_the_grant_form_names_the_covenant_and_keeps_the_input_when_refused(case, director) -> None:
    other = Covenant.objects.create(name="Alleen zorg", scope="Zorg", purposes="Zorg", legal_bases=["public_task"],
                                    starts_on=date(2024, 1, 1))  # fmt: skip
    other.parties.add(organisation(OrganisationType.CARE))
    police = organisation(OrganisationType.POLICE)
    data = {"grant-organisation": police.pk, "grant-purpose": "Informatieronde", "grant-legal_basis": "public_task",
            "grant-valid_until": str(TODAY + timedelta(days=30)), "grant-covenant": other.pk}  # fmt: skip
    client = logged_in(director)
    response = client.post(f"/medewerkers/casussen/{case.pk}/actie/grant/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "is geen partij bij het convenant" in page and "Informatieronde" in page
    assert not AccessGrant.objects.exists()
    data["grant-covenant"] = ""
    client.post(f"/medewerkers/casussen/{case.pk}/actie/grant/", data)
    assert AccessGrant.objects.get().covenant.name == DEMO_COVENANT


def test_functional_admins_keep_the_register_and_every_change_is_audited(admin_user, director) -> None:
    police = organisation(OrganisationType.POLICE)
    data = {
        "name": "Convenant Zorg- en Veiligheidshuis", "scope": "Casussen", "purposes": "Samenwerking",
        "legal_bases": ["public_task", "vital_interest"], "starts_on": "2025-01-01", "ends_on": "",
        "parties": [police.pk], "special_data_basis": "", "criminal_data_basis": "UAVG art. 33",
        "rules-TOTAL_FORMS": "1", "rules-INITIAL_FORMS": "0", "rules-MIN_NUM_FORMS": "0", "rules-MAX_NUM_FORMS": "1000",
        "rules-0-organisation_type": "police", "rules-0-without_consent": "never",
    }  # fmt: skip
    assert logged_in(director).post("/beheer/organisations/covenant/add/", data).status_code == 403
    response = logged_in(admin_user).post("/beheer/organisations/covenant/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    covenant = Covenant.objects.get(name="Convenant Zorg- en Veiligheidshuis")
    assert covenant.without_consent(OrganisationType.POLICE) == WithoutConsent.NEVER
    assert covenant.legal_bases == ["public_task", "vital_interest"]
    events = AuditEvent.objects.filter(action=Action.ADMIN_CHANGE, object_id=str(covenant.pk))
    assert {e.details["operation"] for e in events} == {"add", "inline"}


def test_the_database_refuses_a_covenant_that_ends_before_it_starts(region) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Covenant.objects.create(name="Verkeerd", scope="x", purposes="x", legal_bases=["consent"],
                                starts_on=date(2025, 1, 1), ends_on=date(2024, 1, 1))  # fmt: skip


def test_the_signed_document_is_stored_encrypted_and_downloaded_by_functional_admins_only(admin_user, director) -> None:
    from django.core.files.base import ContentFile

    from kenniscentrum.lib.models import StoredFile

    covenant = Covenant.objects.get(name=DEMO_COVENANT)
    covenant.document.save("convenant.pdf", ContentFile(b"%PDF-1.4 ondertekend"), save=True)
    assert b"ondertekend" not in bytes(StoredFile.objects.get(name=covenant.document.name).content)
    url = f"/beheer/organisations/covenant/{covenant.pk}/document/"
    assert logged_in(director).get(url).status_code == 403
    response = logged_in(admin_user).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 ondertekend"
    page = logged_in(admin_user).get(f"/beheer/organisations/covenant/{covenant.pk}/change/").content.decode()
    assert url in page
