"""What a referral's addressee reads, and what accepting one gives (security probe, findings 10 and 11).

Finding 10: a withdrawn referral stayed readable by the organisation it was addressed to, on its page and over the
API, with the person's name and the consent note; so did one under an ended covenant or a revoked grant. The
addressee now reads a referral while it asks something of them (sent, its covenant in force with them a party, their
access not revoked since) or while they work on the case under it (accepted or completed, with an active grant).

Finding 11: accepting a stale referral gave a fresh one-year grant, after the organisation's grant had run out or on
a closed case. Both are refused now with a message that says why (docs/workflows.md).
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import AccessGrant
from kenniscentrum.cases.services import case_change_status, grant_revoke
from kenniscentrum.lib.vocabulary import FeedbackMethod, ReferralStatus
from kenniscentrum.organisations.demo import DEMO_COVENANT
from kenniscentrum.organisations.models import Covenant, OrganisationType
from kenniscentrum.referrals.models import Consent, Referral
from kenniscentrum.referrals.services import CENTRE, RECIPIENT, referral_step
from kenniscentrum.reports.services import report_record_feedback
from tests.api.conftest import api_client_for
from tests.api.test_api import call, problem_of
from tests.cases.test_referrals import refer
from tests.conftest import logged_in
from tests.factories import AccessGrantFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOTE = "Alleen via haar zus bereikbaar"


@pytest.fixture
def sent(case, director, victim):
    """A referral to the care organisation for the possible victim, sent, with a note on consent."""
    referral = refer(case, director, OrganisationType.CARE, person=victim.person, consent=Consent.NOT_ASKED,
                     consent_note=NOTE)  # fmt: skip
    return referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))


@pytest.fixture
def care_token(admin_user) -> str:
    return api_client_for(OrganisationType.CARE, admin_user)[1]


def readable(client, token: str, referral) -> bool:
    """Whether the addressee reads the referral: on its page, in its list, and over the API; all or none."""
    page = client.get(f"/medewerkers/verwijzingen/{referral.pk}/")
    if page.status_code == 200:
        assert "Iryna" in page.content.decode() and NOTE in page.content.decode()
    else:
        assert page.status_code == 404
    listed = f"/medewerkers/verwijzingen/{referral.pk}/" in client.get("/medewerkers/verwijzingen/").content.decode()
    api = call(token, "GET", f"referrals/{referral.pk}").status_code
    api_listed = any(r["id"] == referral.pk for r in call(token, "GET", "referrals").json()["results"])
    assert {page.status_code == 200, listed, api == 200, api_listed} == {page.status_code == 200}, (listed, api)
    return page.status_code == 200


# Finding 10 ---------------------------------------------------------------------------------------------------


def test_a_withdrawn_referral_is_no_longer_read_by_its_addressee(sent, director, ungranted, care_token) -> None:
    client = logged_in(ungranted)
    assert readable(client, care_token, sent)
    referral_step(referral=sent, name="withdraw", actor=director, sides=frozenset({CENTRE}), reason="Niet nodig")
    assert not readable(client, care_token, sent)
    assert problem_of(call(care_token, "POST", f"referrals/{sent.pk}/steps", {"step": "accept"}), 404)
    # The centre still reads it.
    assert logged_in(director).get(f"/medewerkers/verwijzingen/{sent.pk}/").status_code == 200


def test_a_referral_under_an_ended_covenant_is_no_longer_read(sent, ungranted, care_token) -> None:
    Covenant.objects.filter(name=DEMO_COVENANT).update(ends_on=TODAY - timedelta(days=1))
    assert not readable(logged_in(ungranted), care_token, sent)


def test_a_referral_is_no_longer_read_once_its_addressee_left_the_covenant(sent, ungranted, care_token) -> None:
    Covenant.objects.get(name=DEMO_COVENANT).parties.remove(ungranted.organisation)
    assert not readable(logged_in(ungranted), care_token, sent)


def test_a_sent_referral_is_no_longer_read_after_the_addressees_access_was_revoked(
    sent, director, ungranted, care_token
) -> None:
    grant = AccessGrantFactory(case=sent.case, organisation=ungranted.organisation, granted_by=director)
    grant_revoke(grant=grant, actor=director)
    assert not readable(logged_in(ungranted), care_token, sent)


def test_an_accepted_referral_is_read_while_the_organisation_has_access(sent, director, ungranted, care_token) -> None:
    client = logged_in(ungranted)
    assert client.post(f"/medewerkers/verwijzingen/{sent.pk}/", {"step": "accept", "reason": ""}).status_code == 302
    assert readable(client, care_token, sent)
    case_page = client.get(f"/medewerkers/casussen/{sent.case_id}/").content.decode()
    assert f"/medewerkers/verwijzingen/{sent.pk}/" in case_page
    grant_revoke(grant=AccessGrant.objects.get(organisation=ungranted.organisation), actor=director)
    assert not readable(client, care_token, sent)


def test_a_declined_referral_leaves_its_addressee(sent, ungranted, care_token) -> None:
    client = logged_in(ungranted)
    response = client.post(f"/medewerkers/verwijzingen/{sent.pk}/", {"step": "decline", "reason": "Geen plek"})
    assert response.status_code == 302 and response["Location"] == "/medewerkers/verwijzingen/"
    assert "Geen plek" not in client.get(response["Location"]).content.decode()
    assert not readable(client, care_token, sent)


def test_a_partner_with_access_to_the_case_does_not_see_its_withdrawn_referral_there(
    case, director, granted, victim
) -> None:
    referral = refer(case, director, OrganisationType.POLICE, person=victim.person)
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    client, link = logged_in(granted), f"/medewerkers/verwijzingen/{referral.pk}/"
    assert link in client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    referral_step(referral=referral, name="withdraw", actor=director, sides=frozenset({CENTRE}), reason="Onjuist")
    assert link not in client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()


# Finding 11 ---------------------------------------------------------------------------------------------------


def test_a_referral_sent_before_the_organisations_access_ran_out_cannot_be_accepted(
    sent, director, ungranted, care_token
) -> None:
    # Sent ten days ago to an organisation whose access to the case ran out yesterday.
    Referral.objects.filter(pk=sent.pk).update(created_at=timezone.now() - timedelta(days=10))
    AccessGrantFactory(case=sent.case, organisation=ungranted.organisation, granted_by=director,
                       valid_from=TODAY - timedelta(days=60), valid_until=TODAY - timedelta(days=1))  # fmt: skip
    client = logged_in(ungranted)
    page = client.get(f"/medewerkers/verwijzingen/{sent.pk}/")
    assert [s.name for s in page.context["steps"]] == ["decline"]
    ended = (TODAY - timedelta(days=1)).strftime("%d-%m-%Y")
    said = f"De toegang van je organisatie tot deze casus eindigde op {ended}"
    assert said in page.content.decode()  # told on the page why accepting is not offered
    refused = client.post(f"/medewerkers/verwijzingen/{sent.pk}/", {"step": "accept", "reason": ""})
    assert refused.status_code == 400 and said in refused.content.decode()
    body = problem_of(call(care_token, "POST", f"referrals/{sent.pk}/steps", {"step": "accept"}), 400)
    assert said in str(body)
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.SENT
    assert not AccessGrant.objects.active().filter(organisation=ungranted.organisation).exists()
    assert not AuditEvent.objects.filter(action=Action.CASE_GRANT, details__granted=ungranted.organisation.pk).exists()


def test_a_referral_cannot_be_accepted_once_its_case_is_closed(sent, director, ungranted) -> None:
    case = sent.case
    report = case.reports.get()
    report_record_feedback(report=report, method=FeedbackMethod.NOT_POSSIBLE, note="Anoniem", actor=director)
    case_change_status(case=case, name="close", actor=director, text="Klaar")
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.SENT  # the director did not choose to withdraw it
    with pytest.raises(ValidationError, match="is closed"):
        referral_step(referral=sent, name="accept", actor=ungranted, sides=frozenset({RECIPIENT}))
    assert not AccessGrant.objects.filter(organisation=ungranted.organisation).exists()


def test_a_referral_sent_after_access_ran_out_is_the_centres_new_decision(case, director, ungranted) -> None:
    AccessGrantFactory(case=case, organisation=ungranted.organisation, granted_by=director, expired=True)
    referral = refer(case, director, OrganisationType.CARE)
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    referral_step(referral=referral, name="accept", actor=ungranted, sides=frozenset({RECIPIENT}))
    assert AccessGrant.objects.active().filter(case=case, organisation=ungranted.organisation).exists()
