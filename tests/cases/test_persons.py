"""Persons in cases: the form's rules and bad input, one person in several cases, victim status history."""

import pytest

from kenniscentrum.cases.models import Involvement, Person
from kenniscentrum.cases.services import case_open_from_report, person_add, victim_status_set
from kenniscentrum.lib.vocabulary import VictimStatus
from tests.conftest import logged_in, submit_report

pytestmark = pytest.mark.django_db


def add_page(client, case, **data):
    form = {"which": "new", "person-gender": "NonSpecifiedUnknown", "role-role": "victim"}
    form.update(data)
    return client.post(f"/medewerkers/casussen/{case.pk}/personen/nieuw/", form)


def test_a_person_needs_a_name_an_alias_or_a_description(case, director) -> None:
    response = add_page(logged_in(director), case)
    assert response.status_code == 400
    assert not Person.objects.filter(involvements__case=case, involvements__role="victim").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("person-nationalities", "XX"),
        ("person-nationalities", "Polan"),  # a typo; "Polen" is taken (test_case_page)
        ("person-languages", "pol"),
        ("person-country", "ZZ"),
        ("person-birthdate", "31-02-2001"),
        ("person-estimated_age", "twintig"),
        ("person-email", "geen-adres"),
        ("role-age_at_start", "-3"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(case, director, field, value) -> None:
    response = add_page(logged_in(director), case, **{"person-first_name": "Ana <b>x</b>", field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Ana &lt;b&gt;x&lt;/b&gt;"' in page  # what was typed stays, escaped
    assert 'aria-invalid="true"' in page


def test_codes_are_checked_against_iso_and_stored_normalised(case, director) -> None:
    response = add_page(
        logged_in(director),
        case,
        **{"person-first_name": "Ana", "person-nationalities": "pl, ua", "person-languages": "PL, uk, pl"},
    )
    assert response.status_code == 302
    person = Person.objects.get(first_name="Ana")
    assert person.nationalities == ["PL", "UA"] and person.languages == ["pl", "uk"]


def test_a_huge_text_is_refused(case, director) -> None:
    response = add_page(logged_in(director), case, **{"person-first_name": "A" * 5000})
    assert response.status_code == 400


def test_one_person_in_several_cases_and_in_two_roles(case, intake, director) -> None:
    person = person_add(case=case, actor=director, person=None, person_data={"first_name": "Ana"}, role="victim").person
    other = case_open_from_report(report=submit_report().report, title="Tweede", actor=intake)
    client = logged_in(director)
    response = client.post(
        f"/medewerkers/casussen/{other.pk}/personen/nieuw/",
        {"which": "existing", "existing-person": person.pk, "existing-role": "suspect"},
    )
    assert response.status_code == 302
    assert set(Involvement.objects.filter(person=person).values_list("case_id", "role")) == {
        (case.pk, "victim"),
        (other.pk, "suspect"),
    }
    page = client.get(f"/medewerkers/personen/{person.pk}/").content.decode()
    assert case.reference in page and other.reference in page
    # The same role twice in one case is refused, and says so.
    again = client.post(
        f"/medewerkers/casussen/{other.pk}/personen/nieuw/",
        {"which": "existing", "existing-person": person.pk, "existing-role": "suspect"},
    )
    assert again.status_code == 400


def test_victim_status_keeps_its_history_and_who_decided(case, director) -> None:
    involvement = person_add(case=case, actor=director, person=None, person_data={"first_name": "Ana"}, role="victim")
    assert involvement.victim_status == VictimStatus.POSSIBLE
    victim_status_set(involvement=involvement, actor=director, status=VictimStatus.IDENTIFIED, decided_by="Police",
                      deciding_organisation=None, note="Aangifte")  # fmt: skip
    victim_status_set(involvement=involvement, actor=director, status=VictimStatus.NOT_A_VICTIM,
                      decided_by="CourtOrProsecution", deciding_organisation=None, note="Sepot")  # fmt: skip
    involvement.refresh_from_db()
    assert involvement.victim_status == VictimStatus.NOT_A_VICTIM
    assert [(c.status, c.decided_by) for c in involvement.status_changes.all()] == [
        (VictimStatus.IDENTIFIED, "Police"),
        (VictimStatus.NOT_A_VICTIM, "CourtOrProsecution"),
    ]


def test_a_person_of_a_case_the_user_may_not_see_is_not_found(case, director, ungranted) -> None:
    person = person_add(case=case, actor=director, person=None, person_data={"first_name": "Ana"}, role="victim").person
    assert logged_in(ungranted).get(f"/medewerkers/personen/{person.pk}/").status_code == 404
    assert (
        logged_in(ungranted).post(f"/medewerkers/personen/{person.pk}/", {"person-first_name": "X"}).status_code == 404
    )


def test_someone_a_reporter_thinks_exploits_others_is_a_possible_perpetrator_not_a_suspect(case, director) -> None:
    from django.utils import translation

    from tests.conftest import logged_in

    with translation.override("nl"):
        page = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/personen/nieuw/").content.decode()
    assert "Mogelijke dader" in page and "erdachte" not in page


def test_choosing_a_known_person_is_a_search_that_tells_two_of_one_name_apart(case, intake, director) -> None:
    from kenniscentrum.cases.services import person_add as add

    first = add(case=case, actor=director, person=None, person_data={"first_name": "Mo", "estimated_age": 17},
                role="victim").person  # fmt: skip
    second_case = case_open_from_report(report=submit_report().report, title="Kas", actor=intake)
    second = add(case=second_case, actor=director, person=None, person_data={"first_name": "Mo", "estimated_age": 41},
                 role="suspect").person  # fmt: skip
    for i in range(30):
        add(case=second_case, actor=director, person=None, person_data={"first_name": f"Persoon {i}"}, role="other")
    third = case_open_from_report(report=submit_report().report, title="Derde", actor=intake)
    client = logged_in(director)
    page = client.get(f"/medewerkers/casussen/{third.pk}/personen/nieuw/").content.decode()
    assert "Persoon 1" not in page  # no list of every name before a search
    found = client.get(f"/medewerkers/casussen/{third.pk}/personen/nieuw/?zoek=mo").content.decode()
    assert f'value="{first.pk}"' in found and f'value="{second.pk}"' in found and "Persoon 1" not in found
    assert "leeftijd 17" in found and "leeftijd 41" in found
    assert case.reference in found and second_case.reference in found and "Mogelijke dader" in found


def test_a_coordinator_finds_only_persons_of_cases_they_may_see(case, intake, director, coordinator) -> None:
    from kenniscentrum.cases.services import person_add as add

    add(case=case, actor=director, person=None, person_data={"first_name": "Verborgen"}, role="victim")
    own = case_open_from_report(report=submit_report().report, title="Eigen", actor=intake)
    own.coordinator_user = coordinator
    own.save(update_fields=["coordinator_user"])
    third = case_open_from_report(report=submit_report().report, title="Derde", actor=intake)
    third.coordinator_user = coordinator
    third.save(update_fields=["coordinator_user"])
    add(case=own, actor=director, person=None, person_data={"first_name": "Verbonden"}, role="victim")
    found = logged_in(coordinator).get(f"/medewerkers/casussen/{third.pk}/personen/nieuw/?zoek=verb").content.decode()
    assert "Verbonden" in found and "Verborgen" not in found and case.reference not in found
