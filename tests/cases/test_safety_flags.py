"""Safety points: at the top of every page about the case or the person, for everyone who sees the case; recorded and
ended by the centre's side only."""

import pytest

from kenniscentrum.cases.models import SafetyFlag
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def add(client, case, **data):
    return client.post(
        f"/medewerkers/casussen/{case.pk}/actie/safety_flag/", {f"safety_flag-{k}": v for k, v in data.items()}
    )


def test_an_interpreter_needs_a_language_and_the_input_is_kept(case, director, victim) -> None:
    client = logged_in(director)
    response = add(client, case, kind="interpreter", involvement=victim.pk, note="Liever een vrouw")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Zeg welke taal de tolk spreekt." in page and 'value="Liever een vrouw"' in page
    assert add(client, case, kind="interpreter", involvement=victim.pk, language="pl, uk").status_code == 400
    assert add(client, case, kind="interpreter", involvement=victim.pk, language="xx").status_code == 400
    assert not SafetyFlag.objects.exists()
    assert add(client, case, kind="interpreter", involvement=victim.pk, language="uk").status_code == 302
    assert SafetyFlag.objects.get().language == "uk"


def test_everyone_who_sees_the_case_sees_its_safety_points_first(
    case, director, coordinator, granted, ungranted, analyst, victim
) -> None:
    case.coordinator_user = coordinator
    case.save()
    add(logged_in(director), case, kind="no_contact_at_home", involvement=victim.pk, note="Partner leest mee")
    for user in (director, coordinator, granted):
        page = logged_in(user).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
        assert "Geen contact via het huisadres" in page.split('id="safety-heading"')[1][:400], user
        assert page.index("safety-heading") < page.index('class="facts"'), user
        person = logged_in(user).get(f"/medewerkers/personen/{victim.person.pk}/").content.decode()
        assert "Partner leest mee" in person, user
    for user in (ungranted, analyst):
        assert logged_in(user).get(f"/medewerkers/casussen/{case.pk}/").status_code == 404
        assert logged_in(user).get(f"/medewerkers/personen/{victim.person.pk}/").status_code == 404


def test_only_the_centres_side_records_or_ends_a_safety_point(case, director, granted) -> None:
    assert add(logged_in(granted), case, kind="threat").status_code == 404
    client = logged_in(director)
    add(client, case, kind="threat", note="Dreiging via sociale media")
    flag = SafetyFlag.objects.get()
    assert (
        'name="safety_flag_end-flag"'
        not in logged_in(granted).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    )
    end = f"/medewerkers/casussen/{case.pk}/actie/safety_flag_end/"
    assert logged_in(granted).post(end, {"safety_flag_end-flag": flag.pk}).status_code == 404
    assert client.post(end, {"safety_flag_end-flag": flag.pk}).status_code == 302
    # Ended, it leaves the safety notice; the timeline keeps it as history.
    assert 'class="notice safety"' not in client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    again = client.post(end, {"safety_flag_end-flag": flag.pk})
    assert again.status_code == 400 and "al beëindigd" in again.content.decode()
    assert client.post(end, {"safety_flag_end-flag": "99999999999999999999999"}).status_code == 400
