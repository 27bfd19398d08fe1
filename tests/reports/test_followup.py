"""Anonymous follow-up with the receipt code: status in plain words, messages both ways, rate-limited."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.lib.models import ThrottleEvent
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
    assert response.status_code == 400
    assert "body" in response.context["form"].errors


def test_a_wrong_code_gets_a_generic_answer_and_counts(client, region) -> None:
    submit_report()
    response = open_with(client, "AAAA-BBBB-CCCC")
    assert response.status_code == 400
    assert 'value="AAAA-BBBB-CCCC"' in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.RECEIPT_FAILED).count() == 1


def test_a_code_that_cannot_be_one_is_answered_without_counting(client, region) -> None:
    for typed in ("<script>", "AAAA-BBBB", "A" * 40, "ÄÄÄÄ-BBBB-CCCC"):
        response = open_with(client, typed)
        assert response.status_code == 200
        assert "Een ontvangstcode heeft 12 letters en cijfers" in str(response.context["form"].errors["code"])
    assert not AuditEvent.objects.filter(action=Action.RECEIPT_FAILED).exists()
    assert not ThrottleEvent.objects.exists()


def test_wrong_codes_in_one_browser_are_limited_but_the_right_code_still_opens(client, region) -> None:
    submission = submit_report()
    client.get("/volgen/")  # the browser gets its CSRF cookie, as any real one does
    for _ in range(settings.RECEIPT_FAILURES_PER_SESSION):
        assert open_with(client, "AAAA-BBBB-CCCC").status_code == 400
    assert open_with(client, "AAAA-BBBB-CCCD").status_code == 429
    response = open_with(client, submission.code)
    assert response["Location"] == "/volgen/bericht/"


def test_one_client_guessing_from_fresh_sessions_cannot_lock_out_reporters(client, region, settings) -> None:
    """The attack of the probe: wrong codes from a new session each time, past the global limit."""
    settings.RECEIPT_FAILURES_GLOBAL = 3
    submission = submit_report()
    for _ in range(6):
        open_with(Client(), "AAAA-BBBB-CCCC")
    assert open_with(Client(), "AAAA-BBBB-CCCD").status_code == 429  # guessing is slowed down
    reporter = Client()
    response = open_with(reporter, receipts.format_code(submission.code))
    assert response["Location"] == "/volgen/bericht/"  # the reporter gets in all the same
    assert reporter.get("/volgen/bericht/").status_code == 200


def test_wrong_codes_write_no_session_and_a_bounded_number_of_rows(region, settings) -> None:
    settings.RECEIPT_FAILURES_GLOBAL = 5
    submit_report()
    for _ in range(40):
        open_with(Client(), "AAAA-BBBB-CCCC")
    assert not Session.objects.exists()
    assert AuditEvent.objects.filter(action=Action.RECEIPT_FAILED).count() == 5
    assert AuditEvent.objects.filter(action=Action.RECEIPT_THROTTLED).count() == 1
    assert ThrottleEvent.objects.count() <= 2 * 5


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


def test_a_reply_survives_an_ended_session(client, region, intake) -> None:
    submission = submit_report()
    report_ask_reporter(report=submission.report, question="Welke straat?", actor=intake)
    open_with(client, submission.code)
    client.cookies.clear()  # the session ended while the reporter was writing
    reply = "De Hengelosestraat, het tweede huis."
    response = client.post("/volgen/bericht/", {"body": reply})
    assert response.status_code == 200
    page = response.content.decode()
    assert "code" in response.context["form"].fields and f'value="{reply}"' in page
    # A wrong code first: the message is still carried.
    wrong = client.post("/volgen/", {"code": "AAAA-BBBB-CCCC", "reply": reply})
    assert f'value="{reply}"' in wrong.content.decode()
    client.post("/volgen/", {"code": submission.code, "reply": reply})
    thread = client.get("/volgen/bericht/")
    assert thread.context["form"]["body"].value() == reply  # there to send, not sent behind their back
    assert not Report.objects.get().messages.filter(body=reply).exists()


def test_switching_language_keeps_a_message_being_written(client, region) -> None:
    open_with(client, submit_report().code)
    response = client.post("/uk/volgen/bericht/", {"body": "Ще одна деталь.", "_language": "uk"})
    assert response.status_code == 200
    assert '<html lang="uk"' in response.content.decode()
    assert response.context["form"]["body"].value() == "Ще одна деталь."
    assert not Report.objects.get().messages.exists()  # switching is not sending
