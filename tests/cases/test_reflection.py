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
from tests.browser_forms import page_forms
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def record(client, case, **data):
    return client.post(
        f"/medewerkers/casussen/{case.pk}/actie/reflection/", {f"reflection-{k}": v for k, v in data.items()}
    )


def change(client, case, **data):
    return client.post(
        f"/medewerkers/casussen/{case.pk}/actie/reflection_change/",
        {f"reflection_change-{k}": v for k, v in data.items()},
    )


def change_form(client, case, victim):
    """The change form of the victim's period as the case page shows it, as a browser would send it."""
    page = client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    forms = [f for f in page_forms(page) if f.action.endswith("/actie/reflection_change/")]
    mine = [f for f in forms if f.sent()["reflection_change-involvement"] == [str(victim.pk)]]
    assert len(mine) == 1
    return mine[0]


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
    changed = change(client, case, **base, ends_on=add_months(today, 3).isoformat(), cooperation="police_report",
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


def test_adding_the_permit_date_keeps_the_period_its_offer_and_its_notice(case, director, victim) -> None:
    """Finding 2: the form to change a period showed nothing of it, and adding the permit date erased the start, the
    end and who offered it, and with the end the notice 14 days before it."""
    client = logged_in(director)
    police = Organisation.objects.filter(type=OrganisationType.POLICE).first()
    today = timezone.localdate()
    starts, ends = today - timedelta(days=80), today + timedelta(days=10)
    base = {"involvement": victim.pk, "route": "b8_3", "offered_on": starts.isoformat(), "offered_by": police.pk,
            "answer": "accepted", "starts_on": starts.isoformat(), "ends_on": ends.isoformat()}  # fmt: skip
    assert record(client, case, **base).status_code == 302

    form = change_form(client, case, victim)
    sent = form.sent()
    # The form shows what is recorded.
    assert sent["reflection_change-starts_on"] == [starts.isoformat()]
    assert sent["reflection_change-ends_on"] == [ends.isoformat()]
    assert sent["reflection_change-offered_by"] == [str(police.pk)]
    assert sent["reflection_change-answer"] == ["accepted"]
    # The care coordinator adds the date the permit was applied for, and nothing else.
    sent["reflection_change-permit_applied_on"] = [today.isoformat()]
    assert client.post(form.action, sent).status_code == 302

    period = ReflectionPeriod.objects.get()
    assert (period.starts_on, period.ends_on, period.offered_by, period.permit_applied_on) == (
        starts,
        ends,
        police,
        today,
    )
    notify_due()
    assert Notification.objects.filter(kind=Kind.REFLECTION_ENDING, recipient=director).exists()


def test_a_recorded_period_is_changed_by_its_own_form_not_by_recording_it_again(case, director, victim) -> None:
    client = logged_in(director)
    today = timezone.localdate()
    base = {"involvement": victim.pk, "route": "b8_3", "offered_on": today.isoformat(), "answer": "pending"}
    assert record(client, case, **base).status_code == 302
    # The form to record a period no longer offers this victim: a second record would overwrite the first.
    again = record(client, case, **{**base, "answer": "declined"})
    assert again.status_code == 400 and ReflectionPeriod.objects.get().answer == "pending"
