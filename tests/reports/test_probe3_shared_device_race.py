"""The same spent form token sent twice at the same moment, for real: threads on PostgreSQL. Unchanged, one report and
one code; with other content, two reports, each with its own code (the loser of the race gets a new token)."""

import pytest
from django.db import connection

from kenniscentrum.organisations.models import Municipality
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.receipts import new_submission_token
from kenniscentrum.reports.services import report_submit
from tests.reports.test_concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"),
]


def send(token: str, description: str) -> object:
    data = {"reporter_role": "concerned", "contact_preference": "anonymous", "description": description,
            "municipality": Municipality.objects.get(cbs_code="GM0153"), "acute_danger": "no"}  # fmt: skip
    return report_submit(data=data, forms=["labour"], persons=[], files=[], token=token, language="nl")


def test_one_form_sent_twice_at_once_unchanged_is_one_report_with_one_code(region) -> None:
    token = new_submission_token()
    results = at_once(*[lambda: send(token, "Eén en dezelfde melding.") for _ in range(4)])
    assert Report.objects.count() == 1
    assert len({r.code for r in results}) == 1 and sum(r.created for r in results) == 1, results


def test_one_token_with_other_content_at_once_gives_each_its_own_code(region) -> None:
    token = new_submission_token()
    results = at_once(lambda: send(token, "De eerste melding."), lambda: send(token, "Een heel andere melding."))
    assert Report.objects.count() == 2
    assert all(r.created for r in results) and len({r.code for r in results}) == 2, results
