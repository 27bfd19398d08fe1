"""Anonymous follow-up with the receipt code: status in plain words, messages both ways, rate-limited."""

import pytest
from django.conf import settings

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.reports import receipts
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.services import report_ask_reporter
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db


def open_with(client, code: str):
    return client.post("/volgen/", {"code": code})


def test_the_right_code_opens_the_report_with_its_messages(client, region, intake) -> None:
    submission = submit_report()
    report_ask_reporter(report=submission.report, question="Sinds wanneer werkt hij daar?", actor=intake)
    response = open_with(client, receipts.format_code(submission.code).lower())  # case and dashes do not matter
    assert response["Location"] == "/volgen/bericht/"
    page = client.get("/volgen/bericht/").content.decode()
    assert "Sinds wanneer werkt hij daar?" in page
    assert AuditEvent.objects.filter(action=Action.RECEIPT_OPENED, object_id=str(submission.report.pk)).exists()


def test_the_reporter_answers_and_the_report_returns_to_triage(client, region, intake) -> None:
    submission = submit_report()
    report_ask_reporter(report=submission.report, question="Welke straat?", actor=intake)
    open_with(client, submission.code)
    response = client.post("/volgen/bericht/", {"body": "De Hengelosestraat."})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == "in_triage"
    assert report.messages.last().body == "De Hengelosestraat."


def test_an_empty_answer_is_refused_with_a_message(client, region) -> None:
    open_with(client, submit_report().code)
    response = client.post("/volgen/bericht/", {"body": "  "})
    assert response.status_code == 200
    assert "body" in response.context["form"].errors


def test_a_wrong_code_gets_a_generic_answer_and_counts(client, region) -> None:
    submit_report()
    response = open_with(client, "AAAA-BBBB-CCCC")
    assert response.status_code == 400
    assert 'value="AAAA-BBBB-CCCC"' in response.content.decode()
    malformed = open_with(client, "<script>")
    assert malformed.status_code == 400
    assert AuditEvent.objects.filter(action=Action.RECEIPT_FAILED).count() == 2


def test_too_many_wrong_codes_block_the_session_even_for_the_right_code(client, region) -> None:
    submission = submit_report()
    for _ in range(settings.RECEIPT_FAILURES_PER_SESSION):
        open_with(client, "AAAA-BBBB-CCCC")
    response = open_with(client, submission.code)
    assert response.status_code == 429
    assert client.get("/volgen/bericht/")["Location"] == "/volgen/"


def test_wrong_codes_from_everyone_together_are_limited_too(client, region, settings) -> None:
    from django.test import Client

    settings.RECEIPT_FAILURES_GLOBAL = 3
    submission = submit_report()
    for _ in range(3):
        open_with(Client(), "AAAA-BBBB-CCCC")  # a new session each time, as a distributed guesser would
    assert open_with(Client(), submission.code).status_code == 429


def test_without_a_code_the_thread_is_closed(client, region) -> None:
    assert client.get("/volgen/bericht/")["Location"] == "/volgen/"


def test_one_reporter_cannot_reach_another_report(client, region, intake) -> None:
    mine, other = submit_report(), submit_report()
    report_ask_reporter(report=mine.report, question="Vraag aan mij", actor=intake)
    report_ask_reporter(report=other.report, question="Vraag aan een ander", actor=intake)
    open_with(client, mine.code)
    page = client.get("/volgen/bericht/", {"report": other.report.pk, "pk": other.report.pk}).content.decode()
    assert "Vraag aan mij" in page
    assert "Vraag aan een ander" not in page


def test_closing_on_this_device_forgets_the_report(client, region) -> None:
    open_with(client, submit_report().code)
    client.post("/volgen/stoppen/")
    assert client.get("/volgen/bericht/")["Location"] == "/volgen/"
