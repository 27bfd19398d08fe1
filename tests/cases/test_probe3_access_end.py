"""Access ends when an organisation leaves a covenant or is made inactive (security probe, finding 8).

The probe found grants still active after their organisation was taken off the covenant's parties or the covenant's
start was moved into the future, and an inactive organisation's users and API tokens still working. A grant is active
only while its covenant is in force with the organisation as a party and the organisation is active
(`AccessGrantQuerySet.active`), and an account acts only while its organisation is active (`User.may_act`): the
login, every request of a session and every API call ask it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from kenniscentrum.cases.models import AccessGrant
from kenniscentrum.cases.services import grant_add
from kenniscentrum.organisations.demo import DEMO_COVENANT
from kenniscentrum.organisations.models import Covenant, Organisation, OrganisationType
from tests.api.conftest import api_client_for
from tests.api.test_api import call, problem_of
from tests.cases.conftest import organisation
from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def police_grant(case, director) -> AccessGrant:
    police = organisation(OrganisationType.POLICE)
    until = TODAY + timedelta(days=30)
    return grant_add(case=case, actor=director, organisation=police, purpose="Onderzoek", legal_basis="public_task",
                     valid_until=until)  # fmt: skip


def sees_case(client, case) -> bool:
    listed = case.reference in client.get("/medewerkers/casussen/").content.decode()
    opened = client.get(f"/medewerkers/casussen/{case.pk}/").status_code == 200
    assert listed == opened
    return opened


def test_a_grant_ends_when_its_organisation_is_taken_off_the_covenant(case, director, partner) -> None:
    police_grant(case, director)
    client = logged_in(partner)
    assert sees_case(client, case)
    Covenant.objects.get(name=DEMO_COVENANT).parties.remove(partner.organisation)
    assert not sees_case(client, case)
    assert not AccessGrant.objects.active().exists()
    page = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "niet actief" in page


def test_a_grant_ends_while_its_covenants_start_lies_in_the_future(case, director, partner) -> None:
    police_grant(case, director)
    client = logged_in(partner)
    Covenant.objects.update(starts_on=TODAY + timedelta(days=10))
    assert not sees_case(client, case)
    assert not AccessGrant.objects.active().exists()


def test_an_inactive_organisations_grants_end(case, director, partner) -> None:
    police_grant(case, director)
    Organisation.objects.filter(pk=partner.organisation_id).update(active=False)
    assert not AccessGrant.objects.active().exists()


def test_an_inactive_organisations_users_lose_their_session_and_cannot_log_in(client, case, director, partner) -> None:
    police_grant(case, director)
    session = logged_in(partner)
    assert session.get(f"/medewerkers/casussen/{case.pk}/").status_code == 200
    Organisation.objects.filter(pk=partner.organisation_id).update(active=False)
    response = session.get(f"/medewerkers/casussen/{case.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/medewerkers/inloggen/")
    assert session.get("/medewerkers/taken/").status_code == 302
    refused = client.post("/medewerkers/inloggen/", {"username": partner.username, "password": PASSWORD})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    # Active again: the same password works (nothing was destroyed, only refused while inactive).
    Organisation.objects.filter(pk=partner.organisation_id).update(active=True)
    response = client.post("/medewerkers/inloggen/", {"username": partner.username, "password": PASSWORD})
    assert response["Location"] == "/medewerkers/inloggen/code/"


def test_an_inactive_organisations_api_tokens_fail(case, director, admin_user) -> None:
    police_grant(case, director)
    _client, token = api_client_for(OrganisationType.POLICE, admin_user)
    assert call(token, "GET", "tasks").status_code == 200
    Organisation.objects.filter(type=OrganisationType.POLICE).update(active=False)
    for path in ("tasks", "referrals", "reports"):
        assert problem_of(call(token, "GET", path), 401)


def test_sessions_ended_by_making_the_organisation_inactive_do_not_come_back_when_it_is_active_again(
    case, director, partner
) -> None:
    """The re-test: after the organisation was made active again, the old session cookies worked again (the case
    list with its cases, the API too). A session open when the organisation was made inactive ends for good."""
    police_grant(case, director)
    session = logged_in(partner)
    assert sees_case(session, case)
    police = Organisation.objects.get(pk=partner.organisation_id)
    police.active = False
    police.save()  # as the administration saves it
    assert session.get("/medewerkers/casussen/").status_code == 302
    police.active = True
    police.save()
    response = session.get("/medewerkers/casussen/")
    assert response.status_code == 302 and response["Location"].startswith("/medewerkers/inloggen/")
    # A new login after the reactivation works, and its session lasts.
    fresh = logged_in(type(partner).objects.get(pk=partner.pk))  # as the login reads the account
    assert sees_case(fresh, case)
    assert sees_case(fresh, case)
