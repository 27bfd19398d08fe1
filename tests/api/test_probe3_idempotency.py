"""A partner's Idempotency-Key is the partner's alone (probe 3, findings 2 and 4): the public form cannot take one,
cannot tell which were used, a key sent again with another body is refused, and no receipt code of a partner's
report can be computed from what the partner sent."""

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from kenniscentrum.reports import receipts
from kenniscentrum.reports.models import Report
from tests.api.test_api import REPORT, call, problem_of
from tests.reports.test_public_form import valid

pytestmark = pytest.mark.django_db

KEY = {"Idempotency-Key": "VT-2026-900"}
OTHER = {**REPORT, "description": "Iemand anders, een andere loods, een ander verhaal dan het eerste."}


def test_a_public_form_token_cannot_take_a_partners_key(police_api) -> None:
    client, token = police_api
    visitor = Client()
    visitor.post("/melden/", valid(visitor, token=f"api:{client.pk}:VT-2026-900", description="Niets aan de hand."))
    response = call(token, "POST", "reports", REPORT, **KEY)
    assert response.status_code == 201, response.content[:300]
    assert Report.objects.get(reference=response.json()["reference"]).description == REPORT["description"]
    assert not Report.objects.filter(description="Niets aan de hand.").exists()


def test_the_public_form_does_not_tell_which_keys_were_used(police_api) -> None:
    client, token = police_api
    assert call(token, "POST", "reports", REPORT, **KEY).status_code == 201
    answers = []
    for key in ("VT-2026-900", "VT-2026-901"):
        visitor = Client()
        response = visitor.post("/melden/", valid(visitor, token=f"api:{client.pk}:{key}"))
        answers.append((response.status_code, response.templates[0].name))
    assert answers[0] == answers[1] == (200, "public/report_form.html")
    assert Report.objects.count() == 1


def test_a_form_token_the_server_did_not_make_is_refused_and_the_text_kept(region) -> None:
    visitor = Client()
    response = visitor.post("/melden/", valid(visitor, token="mijn-eigen-token", place="Hengelo centrum"))
    assert response.status_code == 200 and not Report.objects.exists()
    page = response.content.decode()
    assert "Dit formulier is niet (meer) geldig" in page
    assert 'value="Hengelo centrum"' in page and "Mijn buurman werkt zeven dagen" in page
    # The form comes back with a token of the server's own, so sending it once more stores the report.
    fresh = response.context["form"]["token"].value()
    assert fresh != "mijn-eigen-token" and receipts.submission_token_valid(fresh)
    again = visitor.post("/melden/", valid(visitor, token=fresh))
    assert again.status_code == 200 and Report.objects.count() == 1


def test_a_key_sent_again_with_another_body_is_refused_not_answered_with_the_first_report(police_api) -> None:
    token = police_api[1]
    first = call(token, "POST", "reports", REPORT, **KEY)
    reference = first.json()["reference"]
    found = problem_of(call(token, "POST", "reports", OTHER, **KEY), 422)
    assert "Idempotency-Key" in found["detail"]
    assert reference not in str(found) and REPORT["description"] not in str(found)
    assert Report.objects.count() == 1
    # The same body again is a retry: the first report, as before.
    again = call(token, "POST", "reports", REPORT, **KEY)
    assert again.status_code == 200 and again.json()["reference"] == reference


def test_the_same_key_of_two_partners_makes_two_reports(police_api, care_api) -> None:
    police = call(police_api[1], "POST", "reports", REPORT, **KEY)
    care = call(care_api[1], "POST", "reports", REPORT, **KEY)
    assert police.status_code == care.status_code == 201
    assert police.json()["reference"] != care.json()["reference"]


def test_a_partners_report_has_no_receipt_code_to_compute(police_api) -> None:
    client, token = police_api
    reference = call(token, "POST", "reports", REPORT, **KEY).json()["reference"]
    # What the probe did: the code of the old token `api:{client}:{key}`, computed with the receipt key.
    for guess in (f"api:{client.pk}:VT-2026-900", "VT-2026-900"):
        code = receipts.code_from_token(guess)
        response = Client().post("/volgen/", {"code": code})
        assert response.status_code == 400, guess
    assert Report.objects.get(reference=reference).receipt_digest is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.parametrize("attempt", range(3))
def test_a_key_sent_twice_at_the_same_moment_stores_one_report(police_api, attempt) -> None:
    token = police_api[1]
    start = threading.Barrier(4)
    answers: list[Any] = [None] * 4

    def send(index: int) -> None:
        try:
            start.wait(timeout=30)
            response = call(token, "POST", "reports", REPORT, **KEY)
            answers[index] = (response.status_code, response.json().get("reference"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(status for status, _ref in answers) == [200, 200, 200, 201], answers
    assert len({ref for _status, ref in answers}) == 1
    assert Report.objects.count() == 1
