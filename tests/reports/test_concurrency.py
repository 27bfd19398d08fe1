"""Two workers taking a step on one report or case at the same moment, for real: threads on PostgreSQL.

A probe got two cases from one report in 6 of 6 runs, and both "close without action" and "forward" accepted. The
transition now locks the row before its guard judges it, so one step wins and the other is told why.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kenniscentrum.cases.models import Case
from kenniscentrum.lib.vocabulary import CaseStatus, FeedbackMethod, ReportStatus
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.services import report_change_status, report_close
from tests.conftest import submit_report

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; see sqlite_concurrency"),
]


def at_once(*steps: Callable[[], Any]) -> list[Any]:
    """Runs each step in its own thread and database connection, released together; returns results or errors."""
    start = threading.Barrier(len(steps))
    results: list[Any] = [None] * len(steps)

    def run(index: int, step: Callable[[], Any]) -> None:
        try:
            start.wait(timeout=30)
            results[index] = step()
        except ValidationError as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, step)) for i, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_two_workers_opening_a_case_from_one_report_make_one_case(intake, director, attempt) -> None:
    from kenniscentrum.cases.services import case_open_from_report

    report = submit_report().report
    report_change_status(report=report, name="start_triage", actor=intake)

    def open_case(actor: Any) -> Callable[[], Any]:
        return lambda: case_open_from_report(report=Report.objects.get(pk=report.pk), title="Loods", actor=actor)

    results = at_once(open_case(intake), open_case(director))
    assert Case.objects.count() == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Report.objects.get(pk=report.pk).case_id == Case.objects.get().pk


def test_closing_without_action_and_forwarding_at_once_close_the_report_once(intake, partner) -> None:
    report = submit_report().report
    report_change_status(report=report, name="start_triage", actor=intake)

    def close(name: str, **extra: Any) -> Callable[[], Any]:
        return lambda: report_close(
            report=Report.objects.get(pk=report.pk), name=name, reason="Tegelijk", actor=intake,
            feedback_method=FeedbackMethod.NOT_POSSIBLE, feedback_note="Anoniem gemeld", **extra,
        )  # fmt: skip

    results = at_once(close("close_no_action"), close("forward", forwarded_to=partner.organisation))
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Report.objects.get(pk=report.pk).status in (ReportStatus.CLOSED_NO_ACTION, ReportStatus.FORWARDED)
    assert Report.objects.get(pk=report.pk).transitions.count() == 3  # new, in triage, and one closing step


def test_two_directors_closing_a_case_at_once_close_it_once(intake, director) -> None:
    from kenniscentrum.cases.services import case_change_status, case_open_from_report
    from kenniscentrum.reports.services import report_record_feedback

    report = submit_report().report
    report_change_status(report=report, name="start_triage", actor=intake)
    case = case_open_from_report(report=report, title="Loods", actor=director)
    report_record_feedback(report=report, method=FeedbackMethod.NOT_POSSIBLE, note="Anoniem", actor=director)

    def close() -> Any:
        return case_change_status(case=Case.objects.get(pk=case.pk), name="close", actor=director, text="Klaar")

    results = at_once(close, close)
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    assert case.transitions.filter(to_status=CaseStatus.CLOSED).count() == 1


@pytest.mark.parametrize("first_of_the_year", [True, False])
def test_reports_submitted_at_the_same_moment_each_get_their_own_number(region, first_of_the_year) -> None:
    """The number comes from a sequence per year: eight submissions at once, eight numbers, none twice; also when
    they are the year's first and each finds no sequence yet (a benchmark found two creating it at once)."""
    from django.utils import timezone

    if first_of_the_year:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SEQUENCE IF EXISTS report_reference_{timezone.localdate().year}")
    results = at_once(*[lambda: submit_report().report.reference for _ in range(8)])
    assert all(isinstance(r, str) for r in results), results
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in results)
    assert len(set(numbers)) == 8
    assert Report.objects.count() == 8


def test_the_years_sequence_starts_after_the_numbers_already_given(region) -> None:
    from django.utils import timezone

    from kenniscentrum.reports.models import ReferenceCounter

    year = timezone.localdate().year
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SEQUENCE IF EXISTS report_reference_{year}")
    ReferenceCounter.objects.create(year=year, last=41)
    assert submit_report().report.reference == f"M-{year}-00042"
    assert submit_report().report.reference == f"M-{year}-00043"
