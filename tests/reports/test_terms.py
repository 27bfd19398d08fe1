"""Response terms: working days without weekends and Dutch public holidays, each report's deadlines, the time left in
the queue, and the list of reports past their term."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kenniscentrum.lib.vocabulary import Priority
from kenniscentrum.lib.working_days import is_working_day, working_days_later
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.services import report_change_status, report_set_priority
from tests.conftest import submit_report

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def plain_count(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`, counted one day at a time."""
    dutch = holidays.country_holidays("NL", years=range(start.year, end.year + 1))
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += day.weekday() < 5 and day not in dutch
    return days


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)),
    days=st.integers(min_value=1, max_value=30),
)
def test_working_days_later_agrees_with_a_plain_count(start: datetime, days: int) -> None:
    start = start.replace(tzinfo=AMSTERDAM)
    end = working_days_later(start, days)
    assert is_working_day(end.date())
    assert plain_count(start.date(), end.date()) == days
    if is_working_day(start.date()):
        assert (end.hour, end.minute) == (start.hour, start.minute)


def test_kings_day_christmas_and_a_weekend_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 4, 27)) and not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 11, 28)) and is_working_day(date(2026, 11, 30))
    # Thursday before Christmas plus two working days: over Christmas and the weekend to Monday.
    thursday = datetime(2026, 12, 24, 10, 0, tzinfo=AMSTERDAM)
    assert working_days_later(thursday, 2).date() == date(2026, 12, 29)


@pytest.mark.django_db
def test_each_report_gets_its_deadlines_and_a_new_priority_moves_the_triage_one(intake) -> None:
    report = submit_report().report
    assert report.triage_due_at == working_days_later(report.received_at, 1)
    assert report.feedback_due_at == working_days_later(report.received_at, 2)
    urgent = submit_report(acute_danger="yes").report
    assert urgent.triage_due_at == urgent.received_at + timedelta(hours=1)
    report_set_priority(report=report, priority=Priority.URGENT, actor=intake)
    assert Report.objects.get(pk=report.pk).triage_due_at == report.received_at + timedelta(hours=1)


@pytest.mark.django_db
def test_the_queue_shows_the_time_left_and_lists_what_is_past_its_term(intake_client, intake) -> None:
    on_time = submit_report().report
    late = submit_report().report
    Report.objects.filter(pk=late.pk).update(triage_due_at=late.received_at - timedelta(hours=3))
    page = intake_client.get("/medewerkers/meldingen/", {"sort": "oldest"}).content.decode()
    row = page.split(f">{late.reference}<")[1].split("</tr>")[0]
    assert "te laat" in row and "triage" in row
    other = page.split(f">{on_time.reference}<")[1].split("</tr>")[0]
    assert "te laat" not in other and "nog" in other
    past = intake_client.get("/medewerkers/meldingen/", {"term": "past"}).context["page"]
    assert [r.pk for r in past] == [late.pk]
    # Triaged in time, but no feedback by its term: still owed.
    report_change_status(report=Report.objects.get(pk=late.pk), name="start_triage", actor=intake)
    Report.objects.filter(pk=on_time.pk).update(feedback_due_at=on_time.received_at - timedelta(minutes=1))
    past = intake_client.get("/medewerkers/meldingen/", {"term": "past"}).context["page"]
    assert [r.pk for r in past] == [on_time.pk]


@pytest.mark.django_db
def test_a_report_without_terms_in_the_region_has_no_deadlines(region, tmp_path, settings) -> None:
    from tests.conftest import region_file_changed

    changed = region_file_changed(settings, tmp_path, lambda data: data.pop("response_terms"))
    next(changed)
    report = submit_report().report
    assert report.triage_due_at is None and report.feedback_due_at is None and report.pending_term is None
    next(changed, None)
