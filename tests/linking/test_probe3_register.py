"""The register of businesses and places is need-to-know (security probe, finding 12).

A case coordinator could search the centre's whole register (names, KvK numbers, places) through the link form of
their own case, though the register's own pages are the centre's alone. The form now offers a coordinator only the
businesses and places already linked to a case they see (or a person in one), and refuses to link any other by its
number; the centre's intake and case directors search all of it.
"""

import pytest

from kenniscentrum.accounts.models import Role
from kenniscentrum.cases.services import case_open_from_report
from kenniscentrum.linking.models import Business, Mention, Place
from kenniscentrum.linking.services import business_record, mention_add, place_record
from kenniscentrum.organisations.models import OrganisationType
from tests.conftest import logged_in, make_user, submit_report

pytestmark = pytest.mark.django_db

SECRET_KVK = "87654321"


@pytest.fixture
def coordinator(region):
    return make_user("carla", Role.CASE_COORDINATOR, OrganisationType.KNOWLEDGE_CENTRE)


@pytest.fixture
def elsewhere(intake):
    """A business and a place the centre linked to another case: what the coordinator has no part in."""
    other = case_open_from_report(report=submit_report().report, title="Andere zaak", actor=intake)
    business = business_record(actor=intake, name="Schimmig Uitzendbureau", kvk=SECRET_KVK, kind="employment_agency")
    place = place_record(actor=intake, kind="housing", label="Loods Zuidkant", business=business, postcode="7522 NB",
                         house_number="3")  # fmt: skip
    mention_add(actor=intake, business=business, case=other)
    mention_add(actor=intake, place=place, case=other)
    return business, place


@pytest.fixture
def own(case, director, coordinator):
    """The coordinator's own case, with a business the centre linked to it."""
    case.coordinator_user = coordinator
    case.save(update_fields=["coordinator_user"])
    business = business_record(actor=director, name="Schoonmaak Oost BV", kvk="", kind="employment_agency")
    mention_add(actor=director, business=business, case=case)
    return business


def search(client, case, query: str) -> str:
    response = client.get(f"/medewerkers/koppelingen/casus/{case.pk}/koppelen/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_finds_only_what_is_linked_to_their_own_cases(case, coordinator, own, elsewhere) -> None:
    client = logged_in(coordinator)
    for query in ("Schimmig", SECRET_KVK, "Loods", "7522"):
        page = search(client, case, query)
        assert "Schimmig Uitzendbureau" not in page and "Loods Zuidkant" not in page, query
    assert "Schoonmaak Oost BV" in search(client, case, "Schoonmaak")
    # Nor in the list of businesses a new place may belong to.
    assert "Schimmig Uitzendbureau" not in search(client, case, "")


def test_a_coordinator_cannot_link_an_unseen_business_or_place_by_its_number(case, coordinator, own, elsewhere) -> None:
    business, place = elsewhere
    client = logged_in(coordinator)
    for do, pk in (("business", business.pk), ("place", place.pk)):
        response = client.post(f"/medewerkers/koppelingen/casus/{case.pk}/koppelen/", {"do": do, "id": pk})
        assert response.status_code == 400 and "Schimmig Uitzendbureau" not in response.content.decode()
    new_place = {"do": "new_place", "place-kind": "housing", "place-label": "Schuur", "place-business": business.pk}
    response = client.post(f"/medewerkers/koppelingen/casus/{case.pk}/koppelen/", new_place)
    assert response.status_code == 400 and 'value="Schuur"' in response.content.decode()
    assert not Mention.objects.filter(case=case).exclude(business=own).exists()
    assert Place.objects.count() == 1


def test_the_centre_searches_the_whole_register(case, director, elsewhere) -> None:
    page = search(logged_in(director), case, "Schimmig")
    assert "Schimmig Uitzendbureau" in page
    assert Business.objects.filter(name="Schimmig Uitzendbureau").exists()
