"""The B8/3 reflection period of a foreign possible victim: at most three months, what follows, and a notice before
it ends."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kenniscentrum.cases.models import ReflectionPeriod
from kenniscentrum.cases.services import add_months
from kenniscentrum.notifications.models import Kind, Notification
from kenniscentrum.notifications.receivers import notify_due
from kenniscentrum.organisations.models import Organisation, OrganisationType
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def record(client, case, **data):
    return client.post(
        f"/medewerkers/casussen/{case.pk}/actie/reflection/", {f"reflection-{k}": v for k, v in data.items()}
    )


def test_three_months_at_most_and_the_end_after_the_start(case, director, victim) -> None:
    client = logged_in(director)
    police = Organisation.objects.filter(type=OrganisationType.POLICE).first()
    today = timezone.localdate()
    base = {"involvement": victim.pk, "route": "b8_3", "offered_on": today.isoformat(), "offered_by": police.pk,
            "answer": "accepted", "starts_on": today.isoformat()}  # fmt: skip
    too_long = record(client, case, **base, ends_on=(add_months(today, 3) + timedelta(days=1)).isoformat())
    assert too_long.status_code == 400 and "ten hoogste drie maanden" in too_long.content.decode()
    backwards = record(client, case, **base, ends_on=(today - timedelta(days=1)).isoformat())
    assert backwards.status_code == 400
    no_start = record(client, case, **{**base, "starts_on": ""}, ends_on="")
    assert no_start.status_code == 400 and not ReflectionPeriod.objects.exists()
    assert record(client, case, **base, ends_on=add_months(today, 3).isoformat()).status_code == 302
    # Changed as it goes on: a report to the police, and the permit it applies for.
    changed = record(client, case, **base, ends_on=add_months(today, 3).isoformat(), cooperation="police_report",
                     cooperation_on=today.isoformat(), permit_applied_on=today.isoformat(),
                     permit_status="In behandeling bij de IND")  # fmt: skip
    assert changed.status_code == 302
    period = ReflectionPeriod.objects.get()
    assert period.cooperation == "police_report" and period.permit_status == "In behandeling bij de IND"
    page = client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "In behandeling bij de IND" in page and "B8/3" in page


def test_three_months_later_falls_on_a_day_that_exists() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 15), 3) == date(2026, 4, 15)


def test_the_director_hears_two_weeks_before_it_ends_and_partners_see_nothing(case, director, granted, victim) -> None:
    today = timezone.localdate()
    period = ReflectionPeriod.objects.create(
        involvement=victim, offered_on=today - timedelta(days=80), answer="accepted",
        starts_on=today - timedelta(days=80), ends_on=today + timedelta(days=10), recorded_by=director,
    )  # fmt: skip
    notify_due()
    assert set(Notification.objects.filter(kind=Kind.REFLECTION_ENDING).values_list("recipient", "event")) == {
        (director.pk, f"reflection:{period.pk}:{period.ends_on}")
    }
    page = logged_in(granted).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "Bedenktijd" not in page and "reflection" not in page
