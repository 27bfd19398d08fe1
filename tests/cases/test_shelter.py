"""Shelter: placements from the first day to the last, a re-placement ends the one before, one runs at a time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kenniscentrum.cases.models import ShelterPlacement
from kenniscentrum.organisations.models import Organisation, OrganisationType
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def place(client, case, **data):
    return client.post(f"/medewerkers/casussen/{case.pk}/actie/shelter/", {f"shelter-{k}": v for k, v in data.items()})


def test_a_re_placement_ends_the_placement_before_it(case, director, granted, victim) -> None:
    client = logged_in(director)
    care = Organisation.objects.filter(type=OrganisationType.CARE).first()
    today = timezone.localdate()
    first_day = (today - timedelta(days=20)).isoformat()
    # A placement may be planned up to 30 days ahead (test_case_page); further ahead is refused.
    too_far = (today + timedelta(days=31)).isoformat()
    future = place(client, case, involvement=victim.pk, kind="categorical", placed_on=too_far, note="Via CoMensha")
    assert future.status_code == 400 and 'value="Via CoMensha"' in future.content.decode()
    assert place(client, case, involvement=victim.pk, kind="categorical", organisation=care.pk,
                 placed_on=first_day).status_code == 302  # fmt: skip
    earlier = place(
        client, case, involvement=victim.pk, kind="other", placed_on=(today - timedelta(days=30)).isoformat()
    )
    assert earlier.status_code == 400
    assert place(client, case, involvement=victim.pk, kind="other", placed_on=today.isoformat()).status_code == 302
    first, second = ShelterPlacement.objects.order_by("placed_on")
    assert first.left_on == today and second.left_on is None
    end = f"/medewerkers/casussen/{case.pk}/actie/shelter_end/"
    wrong = client.post(end, {"shelter_end-placement": second.pk, "shelter_end-left_on": first_day})
    assert wrong.status_code == 400
    assert (
        client.post(end, {"shelter_end-placement": second.pk, "shelter_end-left_on": today.isoformat()}).status_code
        == 302
    )
    assert not ShelterPlacement.objects.filter(left_on=None).exists()
    assert (
        logged_in(granted).post(end, {"shelter_end-placement": first.pk, "shelter_end-left_on": today}).status_code
        == 404
    )
    assert "Categorale opvang" not in logged_in(granted).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "Categorale opvang" in client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()


def test_practical_support_is_a_task_of_the_plan_with_its_kind(case, director) -> None:
    from kenniscentrum.cases.models import Task

    client = logged_in(director)
    response = client.post(
        f"/medewerkers/casussen/{case.pk}/actie/task/",
        {"task-title": "Zorgverzekering regelen", "task-owner_user": director.pk, "task-support": "health_insurance",
         "task-due_date": (timezone.localdate() + timedelta(days=7)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    task = Task.objects.get(title="Zorgverzekering regelen")
    assert task.support == "health_insurance" and task.owner_user == director and task.due_date
    assert "Zorgverzekering</span>" in client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    wrong = client.post(
        f"/medewerkers/casussen/{case.pk}/actie/task/",
        {"task-title": "Iets", "task-owner_user": director.pk, "task-support": "holiday"},
    )
    assert wrong.status_code == 400 and 'value="Iets"' in wrong.content.decode()
