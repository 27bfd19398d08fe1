"""A revocation racing a referral's acceptance, for real: threads on PostgreSQL (security probe, finding 5).

The probe revoked an organisation's grant while the organisation accepted a referral on the same case; in 8 of 60
tries the acceptance made a fresh grant after the revocation, audited as decided by the referral's author. Both
paths now lock the grant rows of (case, organisation) and judge after the lock: whichever commits last, the
organisation ends without access, and no grant is made on the revoker's or the author's name.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import AccessGrant
from kenniscentrum.cases.services import grant_revoke
from kenniscentrum.lib.vocabulary import ReferralStatus
from kenniscentrum.organisations.models import OrganisationType
from kenniscentrum.referrals.models import Referral
from kenniscentrum.referrals.services import CENTRE, RECIPIENT, referral_step
from tests.cases.test_referrals import refer
from tests.factories import AccessGrantFactory
from tests.reports.test_concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]

TRIES = 40


def test_a_revocation_racing_an_acceptance_always_leaves_the_organisation_without_access(
    case, director, ungranted
) -> None:
    organisation = ungranted.organisation
    for attempt in range(TRIES):
        grant = AccessGrantFactory(case=case, organisation=organisation, granted_by=director)
        referral = refer(case, director, OrganisationType.CARE)
        referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))

        def accept(pk: int = referral.pk) -> object:
            return referral_step(
                referral=Referral.objects.get(pk=pk), name="accept", actor=ungranted, sides=frozenset({RECIPIENT})
            )

        def revoke(pk: int = grant.pk) -> object:
            return grant_revoke(grant=AccessGrant.objects.get(pk=pk), actor=director)

        accepted, revoked = at_once(accept, revoke)
        assert not isinstance(revoked, ValidationError), (attempt, revoked)
        assert not AccessGrant.objects.active().filter(case=case, organisation=organisation).exists(), attempt
        # The organisation held an active grant when it accepted: accepting never needed a new one.
        assert AccessGrant.objects.filter(case=case, organisation=organisation).count() == attempt + 1, attempt
        status = Referral.objects.get(pk=referral.pk).status
        assert status == (ReferralStatus.SENT if isinstance(accepted, ValidationError) else ReferralStatus.ACCEPTED)
    # Every grant event is the director's revocation: none was made in anyone's name by an acceptance.
    events = AuditEvent.objects.filter(action=Action.CASE_GRANT)
    assert events.count() == TRIES
    assert all(e.actor == director and e.details.get("revoked") == organisation.pk for e in events)
