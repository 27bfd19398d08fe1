"""Nothing a person recorded is lost without a word: a decision's practical support, a date an old browser sends back
empty."""

from datetime import date

import pytest
from django.utils import timezone

from kenniscentrum.cases.models import Person, Task
from kenniscentrum.meetings.services import item_add, meeting_create
from tests.browser_forms import page_forms
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_a_meeting_decision_keeps_its_practical_support_and_shows_it(case, director) -> None:
    """Finding 3: the decision form offered 'practical support' and the decision dropped it."""
    meeting = meeting_create(actor=director, type="case_meeting", held_at=timezone.now(), location="", organisations=[])
    item = item_add(meeting=meeting, case=case, actor=director)
    client = logged_in(director)
    prefix = f"decision-{item.pk}"
    answer = client.post(
        f"/medewerkers/overleggen/{meeting.pk}/",
        {"what": prefix, f"{prefix}-text": "Inschrijven in de BRP.", f"{prefix}-title": "BRP-inschrijving regelen",
         f"{prefix}-owner_user": director.pk, f"{prefix}-support": "brp"},
    )  # fmt: skip
    assert answer.status_code == 302
    assert Task.objects.get(decision__item=item).support == "brp"
    page = client.get(f"/medewerkers/overleggen/{meeting.pk}/").content.decode()
    assert "Inschrijving in de BRP" in page  # the support's label, beside the action


def test_practical_support_without_an_action_is_asked_for_not_dropped(case, director) -> None:
    meeting = meeting_create(actor=director, type="case_meeting", held_at=timezone.now(), location="", organisations=[])
    item = item_add(meeting=meeting, case=case, actor=director)
    prefix = f"decision-{item.pk}"
    answer = logged_in(director).post(
        f"/medewerkers/overleggen/{meeting.pk}/",
        {"what": prefix, f"{prefix}-text": "Verzekering regelen.", f"{prefix}-support": "health_insurance"},
    )
    assert answer.status_code == 400 and not Task.objects.exists()
    assert "Verzekering regelen." in answer.content.decode()  # what was typed is still there


def test_a_date_of_birth_that_arrives_empty_is_kept_until_the_user_confirms(case, director, victim) -> None:
    """A browser that cannot read a date sends it empty: the record keeps it and the page says so; sent again as it
    is, the date is removed, as the person meant."""
    person = victim.person
    person.birthdate = date(1994, 5, 12)
    person.save()
    client = logged_in(director)
    page = client.get(f"/medewerkers/personen/{person.pk}/").content.decode()
    form = next(f for f in page_forms(page) if "person-birthdate" in f.names())
    sent = {**form.sent(), "person-birthdate": [""], "person-email": ["iryna@example.test"]}
    refused = client.post(f"/medewerkers/personen/{person.pk}/", sent)
    assert refused.status_code == 400
    assert "12-05-1994" in refused.content.decode()  # the message names the date that would be lost
    person.refresh_from_db()
    assert person.birthdate == date(1994, 5, 12) and person.email == ""
    again = next(f for f in page_forms(refused.content.decode()) if "person-birthdate" in f.names())
    assert again.sent()["person-email"] == ["iryna@example.test"]  # what was typed is kept
    assert client.post(f"/medewerkers/personen/{person.pk}/", again.sent()).status_code == 302
    person.refresh_from_db()
    assert person.birthdate is None and person.email == "iryna@example.test"
    assert Person.objects.count() == 1
