"""Limits of the API (probe 3, finding 14): a body past the ceiling answers 413 and JSON nested deeper than any request
needs answers 400 (both gave 500); each client has a rate, past which it gets 429 with Retry-After, counted where
every worker and server sees the same count. Per client, never per address: the platform keeps no IP addresses."""

import json
import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import F

from kenniscentrum.lib.models import ThrottleEvent
from kenniscentrum.reports.models import Report
from tests.api.test_api import REPORT, call, problem_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("megabytes", [3, 12])
def test_a_body_past_the_ceiling_is_refused_with_413(police_api, megabytes) -> None:
    body = json.dumps({**REPORT, "description": "x" * (megabytes * 1024 * 1024)})
    found = problem_of(call(police_api[1], "POST", "reports", body), 413)
    assert "2 MB" in found["detail"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "[" * 50_000 + "]" * 50_000,
        '{"description": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001,
        json.dumps({**REPORT, "forms": [[[[[[[[[[[[[[[[[[[[[["labour"]]]]]]]]]]]]]]]]]]]]]]}),
        '{"description": "ok", "forms": ' + "[" * 900 + "]" * 900 + "}",
    ],
    ids=["array-50000-deep", "object-50000-deep", "twenty-two-deep", "nine-hundred-deep"],
)
def test_json_nested_deeper_than_any_request_needs_is_refused_with_400(police_api, body) -> None:
    found = problem_of(call(police_api[1], "POST", "reports", body), 400)
    assert "nested" in found["detail"] or "genest" in found["detail"], found
    assert not Report.objects.exists()


def test_a_report_as_deep_as_the_api_takes_is_still_accepted(police_api) -> None:
    assert call(police_api[1], "POST", "reports", REPORT).status_code == 201


def test_calls_past_the_clients_rate_get_429_with_retry_after(police_api, care_api, monkeypatch) -> None:
    monkeypatch.setattr(django_settings, "API_RATE", "10/min")
    token = police_api[1]
    answers = [call(token, "GET", "referrals").status_code for _ in range(10)]
    assert answers == [200] * 10
    refused = call(token, "GET", "referrals", **{"Accept-Language": "en"})
    found = problem_of(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert found["detail"].startswith("This client made too many calls.")
    assert problem_of(call(token, "POST", "reports", REPORT), 429)
    assert not Report.objects.exists()
    # Another partner's system has its own count.
    assert call(care_api[1], "GET", "referrals").status_code == 200
    # A minute later the client may call again.
    ThrottleEvent.objects.update(created_at=F("created_at") - timedelta(seconds=61))
    assert call(token, "GET", "referrals").status_code == 200


def test_the_probes_burst_of_sixty_calls_is_not_all_answered(police_api) -> None:
    answers = [call(police_api[1], "GET", "referrals").status_code for _ in range(61)]
    assert answers[:60] == [200] * 60 and answers[60] == 429


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real parallel writers need PostgreSQL")
def test_calls_made_at_the_same_moment_cannot_slip_past_the_rate_together(police_api, monkeypatch) -> None:
    """The re-test's attack: 80 calls from 10 threads all got 200 under a rate of 60, since a read-then-write count
    in a cache loses the counts of parallel calls. Each thread is a worker with its own database connection."""
    monkeypatch.setattr(django_settings, "API_RATE", "30/min")
    token = police_api[1]
    start = threading.Barrier(10)
    answers: list[int] = []

    def burst() -> None:
        try:
            start.wait(timeout=30)
            for _ in range(5):
                answers.append(call(token, "GET", "tasks").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=burst) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 50
    # Never more than the rate. Each call is written before it is counted, so two calls at the same instant may both
    # see the other and the later one be refused a moment early: the rate errs on the side of the platform.
    assert 25 <= answers.count(200) <= 30 and answers.count(200) + answers.count(429) == 50
