"""A functional administrator reduces an API client's scopes on its change page (probe 3, finding 13: the page
answered 500), the change takes effect at the next call and is audited."""

import pytest

from kenniscentrum.api.models import ApiClient
from kenniscentrum.audit.models import Action, AuditEvent
from tests.api.test_api import call, problem_of
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_a_clients_scopes_are_reduced_on_its_change_page(admin_user, police_api) -> None:
    client, token = police_api
    admin = logged_in(admin_user)
    page = admin.get(f"/beheer/api/apiclient/{client.pk}/change/")
    assert page.status_code == 200
    assert client.organisation.name in page.content.decode()  # shown, not changeable
    response = admin.post(f"/beheer/api/apiclient/{client.pk}/change/",
                          {"name": client.name, "scopes": ["referrals:read"]})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    client.refresh_from_db()
    assert client.scopes == ["referrals:read"]
    assert call(token, "GET", "referrals").status_code == 200
    assert problem_of(call(token, "GET", "tasks"), 403)
    event = AuditEvent.objects.filter(action=Action.API_CLIENT_CHANGED, object_id=str(client.pk)).latest("id")
    assert event.actor == admin_user and event.details["operation"] == "change"
    assert event.details["scopes"] == ["referrals:read"] and "tasks:read" in event.details["scopes_before"]


def test_the_organisation_of_a_client_cannot_be_changed(admin_user, police_api, care_api) -> None:
    client = police_api[0]
    other = care_api[0].organisation
    data = {"name": client.name, "organisation": other.pk, "scopes": ["referrals:read"]}
    logged_in(admin_user).post(f"/beheer/api/apiclient/{client.pk}/change/", data)
    assert ApiClient.objects.get(pk=client.pk).organisation == police_api[0].organisation
