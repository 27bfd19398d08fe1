"""Findings of the security probe on cases and referrals (issue 9), each kept fixed by a test."""

import pytest
from django.core.exceptions import ValidationError

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import AccessGrant
from kenniscentrum.cases.services import grant_revoke
from kenniscentrum.lib.vocabulary import ReferralStatus
from kenniscentrum.organisations.models import OrganisationType
from kenniscentrum.referrals.services import CENTRE, RECIPIENT, referral_step
from tests.cases.test_referrals import refer
from tests.conftest import logged_in, make_user, submit_report
from tests.factories import AccessGrantFactory

pytestmark = pytest.mark.django_db

REPORTER = ("Rita Reporter", "0612345678")


def test_a_revoked_grant_cannot_be_won_back_by_accepting_a_sent_referral(case, director, ungranted) -> None:
    referral = refer(case, director, OrganisationType.CARE)
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    AccessGrantFactory(case=case, organisation=ungranted.organisation, granted_by=director)
    grant_revoke(grant=AccessGrant.objects.get(organisation=ungranted.organisation), actor=director)
    client = logged_in(ungranted)
    # The referral is no longer the organisation's to read or answer (probe finding 10, tests/cases/
    # test_probe3_referrals.py); the guard stays for an acceptance that races the revocation (test_probe3_race.py).
    assert client.get(f"/medewerkers/verwijzingen/{referral.pk}/").status_code == 404
    response = client.post(f"/medewerkers/verwijzingen/{referral.pk}/", {"step": "accept", "reason": ""})
    assert response.status_code == 404
    with pytest.raises(ValidationError, match="toegang van je organisatie tot deze casus beëindigd"):
        referral_step(referral=referral, name="accept", actor=ungranted, sides=frozenset({RECIPIENT}))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert not AccessGrant.objects.active().filter(case=case, organisation=ungranted.organisation).exists()
    assert client.get(f"/medewerkers/casussen/{case.pk}/").status_code == 404


def test_a_grant_from_an_accepted_referral_is_audited_as_the_partners_act(case, director, ungranted) -> None:
    referral = refer(case, director, OrganisationType.CARE)
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    logged_in(ungranted).post(f"/medewerkers/verwijzingen/{referral.pk}/", {"step": "accept", "reason": ""})
    event = AuditEvent.objects.get(action=Action.CASE_GRANT)
    assert event.actor == ungranted
    assert event.details["decided_by"] == director.pk and event.details["referral"] == referral.pk
    assert AccessGrant.objects.get(organisation=ungranted.organisation).granted_by == director


def test_only_intake_and_the_cases_own_director_see_who_reported(case, intake, director) -> None:
    other_director = make_user("dora", "case_director", OrganisationType.KNOWLEDGE_CENTRE)
    report = case.reports.get()
    pages = [
        f"/medewerkers/meldingen/{report.pk}/",
        f"/medewerkers/casussen/{case.pk}/",
        "/medewerkers/meldingen/?status=all",
        f"/medewerkers/meldingen/?q={report.reference}",
        f"/medewerkers/meldingen/{report.pk}/signalen/",
    ]
    second = logged_in(other_director)
    for path in pages:
        response = second.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert not any(value in page for value in REPORTER), path
    for user in (intake, director):
        page = logged_in(user).get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
        assert all(value in page for value in REPORTER)
    # A report outside any case: intake alone.
    loose = submit_report(reporter_name="Karel Klokkenluider", contact_preference="phone", reporter_phone="0687654321")
    path = f"/medewerkers/meldingen/{loose.report.pk}/"
    assert "Karel Klokkenluider" not in logged_in(director).get(path).content.decode()
    assert "Karel Klokkenluider" in logged_in(intake).get(path).content.decode()
