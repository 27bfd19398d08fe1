"""Re-test of probe 3: the privacy officer could not reach a person in a case. The data-request page sent them to
"that person's page", which they may not open, and offered no way to find one. Now the page has a search by name (and
date of birth) over the persons in the case file, for the privacy officer alone; it lists enough to tell persons
apart (case reference, role, year of birth) with the way to the request page, and is audited as a read without the
terms typed. Case directors keep their route, from the person's page."""

import datetime

import pytest

from kenniscentrum.accounts.models import Role
from kenniscentrum.audit.models import AuditEvent
from kenniscentrum.cases.models import Person
from kenniscentrum.organisations.models import OrganisationType
from tests.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db

SEARCH = "/medewerkers/inzageverzoek/personen/"


@pytest.fixture
def privacy_officer(region) -> object:
    return make_user("priya", Role.PRIVACY_OFFICER, OrganisationType.KNOWLEDGE_CENTRE)


@pytest.fixture
def two_namesakes(case) -> tuple[Person, Person]:
    """Two persons of one name in the case file, told apart by their year of birth and role."""
    victim = Person.objects.create(first_name="Oksana", last_name="Zeldzaam", birthdate=datetime.date(1999, 3, 4))
    suspect = Person.objects.create(first_name="Oksana", last_name="Zeldzaam", birthdate=datetime.date(1971, 8, 9))
    case.involvements.create(person=victim, role="victim")
    case.involvements.create(person=suspect, role="suspect")
    Person.objects.create(first_name="Iemand", last_name="Anders")
    return victim, suspect


def test_the_privacy_officer_finds_a_person_by_name_and_opens_the_request(case, two_namesakes, privacy_officer) -> None:
    victim, suspect = two_namesakes
    client = logged_in(privacy_officer)
    start = client.get("/medewerkers/inzageverzoek/").content.decode()
    assert "begint op de pagina van die persoon" not in start and f'action="{SEARCH}"' in start
    page = client.get(SEARCH, {"naam": "oksana zeldzaam"}).content.decode()
    assert page.count("Oksana Zeldzaam") >= 2 and "Anders" not in page
    assert case.reference in page and "1999" in page and "1971" in page
    assert f"/medewerkers/inzageverzoek/persoon/{victim.pk}/" in page
    # The date of birth tells them apart.
    page = client.get(SEARCH, {"naam": "Zeldzaam", "geboortedatum": "04-03-1999"}).content.decode()
    assert f"/inzageverzoek/persoon/{victim.pk}/" in page and f"/inzageverzoek/persoon/{suspect.pk}/" not in page
    answer = client.get(f"/medewerkers/inzageverzoek/persoon/{victim.pk}/")
    assert answer.status_code == 200 and "Zeldzaam" in answer.content.decode()


def test_the_search_is_audited_as_a_read_without_the_terms_typed(case, two_namesakes, privacy_officer) -> None:
    victim, suspect = two_namesakes
    logged_in(privacy_officer).get(SEARCH, {"naam": "Zeldzaam", "geboortedatum": "1999-03-04"})
    event = AuditEvent.objects.filter(actor=privacy_officer, action="privacy.access_request").get()
    assert "Zeldzaam" not in str(event.details) and "1999" not in str(event.details)
    assert event.details["persons_listed"] == [victim.pk] and event.details["date_of_birth_given"] is True


def test_wrong_empty_or_huge_input_is_answered_and_kept(case, two_namesakes, privacy_officer) -> None:
    client = logged_in(privacy_officer)
    for query, says in (
        ({"naam": " "}, "Typ minstens twee letters van de naam."),
        ({"naam": "Zeldzaam", "geboortedatum": "31-02-1999"}, "Voer een geldige datum in."),
        ({"naam": "x" * 5000}, "Een naam heeft hier hoogstens 100 tekens."),
    ):
        response = client.get(SEARCH, query)
        page = response.content.decode()
        assert response.status_code == 200 and says in page and "has-error" in page, query
        assert "/inzageverzoek/persoon/" not in page
        if query["naam"].strip():
            assert f'value="{query["naam"]}"' in page
    many = [Person(first_name="Jan", last_name=f"Jansen {i}") for i in range(60)]
    Person.objects.bulk_create(many)
    page = client.get(SEARCH, {"naam": "Jansen"}).content.decode()
    assert "Meer dan 20 personen" in page and page.count("/inzageverzoek/persoon/") == 20


def test_only_the_privacy_officer_may_search(case, two_namesakes, director, intake, partner) -> None:
    for user in (director, intake, partner):
        assert logged_in(user).get(SEARCH, {"naam": "Zeldzaam"}).status_code == 403
    start = logged_in(director).get("/medewerkers/inzageverzoek/").content.decode()
    assert f'action="{SEARCH}"' not in start and "pagina van die persoon" in start


def test_the_list_costs_as_many_queries_for_twenty_persons_as_for_one(case, privacy_officer) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(privacy_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SEARCH, {"naam": "Vandaal"}).status_code == 200
        return len(captured)

    case.involvements.create(person=Person.objects.create(first_name="Eén", last_name="Vandaal"), role="victim")
    queries()  # the first request of a session also saves the session
    one = queries()
    for i in range(19):
        case.involvements.create(person=Person.objects.create(first_name=f"P{i}", last_name="Vandaal"), role="other")
    assert queries() == one
