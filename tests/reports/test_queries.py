"""The queue and the report page cost the same number of queries however many reports exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kenniscentrum.reports.models import Report, ReportPerson
from kenniscentrum.reports.services import report_ask_reporter
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db


def fill(count: int, intake) -> Report:
    last = None
    for i in range(count):
        last = submit_report(forms=["labour", "sexual"]).report
        Report.objects.filter(pk=last.pk).update(assignee=intake)
        ReportPerson.objects.create(report=last, description=f"Persoon {i}")
        report_ask_reporter(report=last, question=f"Vraag {i}", actor=intake)
    assert last is not None
    return last


def count_queries(client, path: str) -> int:
    """The queries of a page as a worker sees it again (the first request of a session restarts its idle timer)."""
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path",
    [
        "/medewerkers/meldingen/",
        "/medewerkers/meldingen/?status=all&form=labour",
        "/medewerkers/meldingen/?q=vraag&sort=newest",
    ],
)
def test_the_queue_runs_a_constant_number_of_queries(intake_client, intake, region, path) -> None:
    fill(10, intake)
    small = count_queries(intake_client, path)
    fill(190, intake)
    assert count_queries(intake_client, path) == small


def test_the_report_page_runs_a_constant_number_of_queries(intake_client, intake, region) -> None:
    few = fill(10, intake)
    small = count_queries(intake_client, f"/medewerkers/meldingen/{few.pk}/")
    many = fill(190, intake)
    for i in range(40):  # a long thread and history on this one report
        report_ask_reporter(report=many, question=f"Nog een vraag {i}", actor=intake)
        ReportPerson.objects.create(report=many, description=f"Extra {i}")
    assert count_queries(intake_client, f"/medewerkers/meldingen/{many.pk}/") == small
