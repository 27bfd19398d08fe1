"""A grant is edited (what of the trajectory it covers, its end date) with an audit event, instead of a second grant
(finding 8); a partner reads its own grant's purpose and end date on the case, not another organisation's."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import AccessGrant
from kenniscentrum.cases.services import shelter_place
from kenniscentrum.lib.vocabulary import ReferralStatus
from kenniscentrum.organisations.models import OrganisationType
from kenniscentrum.referrals.models import Consent
from kenniscentrum.referrals.services import CENTRE, RECIPIENT, referral_create, referral_step
from tests.cases.conftest import organisation
from tests.conftest import logged_in
from tests.factories import AccessGrantFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def edit_url(grant: AccessGrant) -> str:
    return f"/medewerkers/casussen/{grant.case_id}/toegang/{grant.pk}/"


def test_the_director_edits_a_grant_and_the_change_is_audited(case, director, granted) -> None:
    grant = AccessGrant.objects.get(organisation=granted.organisation)
    client = logged_in(director)
    form = client.get(edit_url(grant))
    assert form.status_code == 200 and 'value="Onderzoek"' in form.content.decode()  # filled in with what it is

    until = TODAY + timedelta(days=90)
    data = {"purpose": "Onderzoek en opvang", "covers": ["shelter"], "valid_until": until.isoformat()}
    assert client.post(edit_url(grant), data).status_code == 302

    grant.refresh_from_db()
    assert (grant.purpose, grant.covers, grant.valid_until) == ("Onderzoek en opvang", ["shelter"], until)
    assert AccessGrant.objects.filter(case=case).count() == 1  # edited, not a second grant
    event = AuditEvent.objects.filter(action=Action.CASE_GRANT, details__edited=grant.pk).get()
    assert event.actor == director and event.object_id == str(case.pk)
    assert event.details["covers"] == [[], ["shelter"]] and event.details["until"] == ["", until.isoformat()]
    assert event.details["changed"] == ["purpose", "covers", "valid_until"]


def test_a_wrong_end_date_is_refused_and_what_was_typed_stays(case, director, granted) -> None:
    grant = AccessGrant.objects.get(organisation=granted.organisation)
    past = (TODAY - timedelta(days=1)).isoformat()
    response = logged_in(director).post(
        edit_url(grant), {"purpose": "Nieuw doel", "covers": ["shelter"], "valid_until": past}
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'value="Nieuw doel"' in page
    assert re.search(r'value="shelter"[^>]*checked', page)
    assert "De einddatum ligt in het verleden" in page
    grant.refresh_from_db()
    assert grant.purpose == "Onderzoek" and grant.covers == []


def test_only_the_centre_edits_a_grant_and_not_one_that_ended(case, director, granted, coordinator) -> None:
    grant = AccessGrant.objects.get(organisation=granted.organisation)
    data = {"purpose": "Alles", "covers": ["comensha", "reflection", "shelter"], "valid_until": "2099-01-01"}
    for outsider in (granted, coordinator):
        assert logged_in(outsider).post(edit_url(grant), data).status_code == 404
    ended = AccessGrantFactory(case=case, organisation=organisation(OrganisationType.CARE), revoked=True,
                               granted_by=director)  # fmt: skip
    assert logged_in(director).post(edit_url(ended), data).status_code == 404
    grant.refresh_from_db()
    assert grant.covers == [] and grant.purpose == "Onderzoek"


def test_a_partner_reads_its_own_grants_purpose_and_end_date_and_not_anothers(case, director, granted) -> None:
    police = AccessGrant.objects.get(organisation=granted.organisation)
    police.valid_until = TODAY + timedelta(days=40)
    police.save()
    AccessGrantFactory(case=case, organisation=organisation(OrganisationType.CARE), purpose="Opvang regelen",
                       valid_until=TODAY + timedelta(days=10), granted_by=director)  # fmt: skip
    page = logged_in(granted).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "Onderzoek" in page and police.valid_until.strftime("%d-%m-%Y") in page
    assert "Opvang regelen" not in page and (TODAY + timedelta(days=10)).strftime("%d-%m-%Y") not in page


def test_the_shelter_placement_shows_once_the_referrals_grant_is_edited_to_cover_it(case, director, victim) -> None:
    from kenniscentrum.accounts.models import Role
    from tests.conftest import make_user

    care_worker = make_user("sanne", Role.PARTNER, OrganisationType.CARE)
    referral = referral_create(case=case, actor=director, organisation=care_worker.organisation, person=None,
                               purpose="Opvang", legal_basis="public_task", consent=Consent.GIVEN)  # fmt: skip
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    referral_step(referral=referral, name="accept", actor=care_worker, sides=frozenset({RECIPIENT}))
    assert referral.status == ReferralStatus.ACCEPTED
    shelter_place(case=case, actor=director, involvement=victim, kind="categorical", organisation=None,
                  placed_on=TODAY, note="")  # fmt: skip
    url = f"/medewerkers/casussen/{case.pk}/"
    assert "Categorale opvang" not in logged_in(care_worker).get(url).content.decode()

    grant = AccessGrant.objects.get(case=case, organisation=care_worker.organisation)
    data = {"purpose": grant.purpose, "covers": ["shelter"], "valid_until": grant.valid_until.isoformat()}
    assert logged_in(director).post(edit_url(grant), data).status_code == 302

    assert "Categorale opvang" in logged_in(care_worker).get(url).content.decode()
    assert AccessGrant.objects.filter(case=case, organisation=care_worker.organisation).count() == 1


def test_the_case_page_links_each_active_grant_to_its_edit_page(case, director, granted) -> None:
    grant = AccessGrant.objects.get(organisation=granted.organisation)
    assert edit_url(grant) in logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert edit_url(grant) not in logged_in(granted).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
