"""A KvK number typed in is no way into the register either (re-test of probe finding 12).

A case coordinator who typed, as a "new business", the KvK number of a business in the centre's register they may not
see had their case linked to the register's business, and so read its registered name and kind on the case page and
in the link form's search: any KvK number could be tested against the register. Now they get a business of their own,
as they typed it, that the register knows as the same one (`Business.same_as`); the centre sees the match on both
business pages. What the coordinator sees is the same whether the number was known or not.
"""

import pytest

from kenniscentrum.accounts.models import Role
from kenniscentrum.cases.services import case_open_from_report
from kenniscentrum.linking.models import Business, Mention
from kenniscentrum.linking.services import business_record, mention_add
from kenniscentrum.organisations.models import OrganisationType
from tests.conftest import logged_in, make_user, submit_report

pytestmark = pytest.mark.django_db

SECRET_KVK = "87654321"
UNKNOWN_KVK = "11223344"


@pytest.fixture
def coordinator(case, region):
    user = make_user("carla", Role.CASE_COORDINATOR, OrganisationType.KNOWLEDGE_CENTRE)
    case.coordinator_user = user
    case.save(update_fields=["coordinator_user"])
    return user


@pytest.fixture
def registered(intake):
    """A business the centre linked to a case the coordinator has no part in."""
    other = case_open_from_report(report=submit_report().report, title="Andere zaak", actor=intake)
    business = business_record(actor=intake, name="Schimmig Uitzendbureau", kvk=SECRET_KVK, kind="massage_parlour")
    mention_add(actor=intake, business=business, case=other)
    return business


def new_business(client, case, kvk: str, name: str = "Zomaar een naam"):
    return client.post(
        f"/medewerkers/koppelingen/casus/{case.pk}/koppelen/",
        {"do": "new_business", "business-name": name, "business-kvk": kvk, "business-kind": "employment_agency"},
    )


def what_the_coordinator_sees(client, case, kvk: str) -> str:
    case_page = client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    search = client.get(f"/medewerkers/koppelingen/casus/{case.pk}/koppelen/", {"q": kvk}).content.decode()
    return case_page + search


def test_a_coordinator_typing_a_registered_kvk_learns_nothing_of_the_register(case, coordinator, registered) -> None:
    client = logged_in(coordinator)
    assert new_business(client, case, SECRET_KVK).status_code == 302
    seen = what_the_coordinator_sees(client, case, SECRET_KVK)
    assert "Schimmig Uitzendbureau" not in seen
    assert "(Massagesalon" not in seen and "(Massage parlour" not in seen  # the kind as shown beside a name
    assert "Zomaar een naam" in seen
    # The register still has one record for this KvK number, and the centre sees the match.
    linked = Mention.objects.get(case=case).business
    assert linked != registered and linked.same_as == registered
    assert Business.objects.filter(kvk=SECRET_KVK, same_as=None).count() == 1


def test_a_known_and_an_unknown_kvk_look_the_same_to_the_coordinator(case, coordinator, registered) -> None:
    client = logged_in(coordinator)
    new_business(client, case, SECRET_KVK, name="Eerste")
    new_business(client, case, UNKNOWN_KVK, name="Tweede")
    seen = what_the_coordinator_sees(client, case, "")
    assert "Eerste" in seen and "Tweede" in seen
    for kvk in (SECRET_KVK, UNKNOWN_KVK):
        search = client.get(f"/medewerkers/koppelingen/casus/{case.pk}/koppelen/", {"q": kvk}).content.decode()
        assert f"KvK {kvk}" in search and "Schimmig" not in search


def test_the_centre_sees_the_match_and_keeps_one_business(case, coordinator, registered, director) -> None:
    new_business(logged_in(coordinator), case, SECRET_KVK)
    typed = Business.objects.get(name="Zomaar een naam")
    client = logged_in(director)
    assert "Schimmig Uitzendbureau" in client.get(f"/medewerkers/koppelingen/bedrijven/{typed.pk}/").content.decode()
    assert "Zomaar een naam" in client.get(f"/medewerkers/koppelingen/bedrijven/{registered.pk}/").content.decode()
    # The centre typing the number gets the register's own record.
    assert business_record(actor=director, name="x", kvk=SECRET_KVK, kind="other") == registered


def test_typing_the_same_number_again_reuses_the_coordinators_own(case, coordinator, registered, intake) -> None:
    client = logged_in(coordinator)
    new_business(client, case, SECRET_KVK)
    second = case_open_from_report(report=submit_report().report, title="Tweede zaak", actor=intake)
    second.coordinator_user = coordinator
    second.save(update_fields=["coordinator_user"])
    new_business(client, second, SECRET_KVK, name="Anders getypt")
    assert Business.objects.filter(kvk=SECRET_KVK).count() == 2
