"""Standard replies in the reporter's language, kept by functional administrators; an interpreter per contact."""

import pytest

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.reports.models import Report, ReportMessage, StandardReply
from tests.conftest import logged_in, submit_report

pytestmark = pytest.mark.django_db

TEXTS = {
    "nl": "Dank je voor je melding. Kun je vertellen waar dit gebeurt?",
    "en": "Thank you for your report. Can you tell us where this happens?",
    "pl": "Dziękujemy za zgłoszenie. Czy możesz powiedzieć, gdzie to się dzieje?",
    "ro": "Mulțumim pentru sesizare. Ne poți spune unde se întâmplă asta?",
    "bg": "Благодарим за сигнала. Можеш ли да кажеш къде се случва това?",
    "uk": "Дякуємо за повідомлення. Чи можеш сказати, де це відбувається?",
}


def test_a_functional_admin_keeps_a_text_in_every_language(admin_user) -> None:
    client = logged_in(admin_user)
    data = {"title": "Waar gebeurt het?", "active": "on", **{f"text_{k}": v for k, v in TEXTS.items()}}
    missing = client.post("/beheer/reports/standardreply/add/", {**data, "text_uk": ""})
    assert missing.status_code == 200 and not StandardReply.objects.exists()
    assert 'name="text_nl"' in missing.content.decode() and TEXTS["pl"] in missing.content.decode()
    assert client.post("/beheer/reports/standardreply/add/", data).status_code == 302
    assert StandardReply.objects.get().texts == TEXTS
    assert AuditEvent.objects.filter(action=Action.ADMIN_CHANGE, object_type="reports.standardreply").exists()


def test_intake_starts_a_question_from_the_text_in_the_reporters_language(intake_client, intake) -> None:
    reply = StandardReply.objects.create(title="Waar gebeurt het?", texts=TEXTS)
    report = submit_report().report
    Report.objects.filter(pk=report.pk).update(language="pl")
    page = intake_client.get(f"/medewerkers/meldingen/{report.pk}/", {"standaard": reply.pk}).content.decode()
    # The question opens with the Polish text in it, to read and send.
    assert '<details open id="action-ask_reporter">' in page
    assert TEXTS["pl"] in page.split('id="action-ask_reporter"')[1].split("</form>")[0]
    # A standard text that does not exist: the page says so and fills nothing in.
    wrong = intake_client.get(f"/medewerkers/meldingen/{report.pk}/", {"standaard": "999999"}).content.decode()
    assert TEXTS["pl"] not in wrong and "Selecteer een geldige keuze" in wrong
    response = intake_client.post(
        f"/medewerkers/meldingen/{report.pk}/actie/ask_reporter/",
        {"ask_reporter-question": TEXTS["pl"] + " (Enschede?)", "ask_reporter-interpreter_used": "on"},
    )
    assert response.status_code == 302
    message = ReportMessage.objects.get(report=report)
    # Stored as sent, with the edit, and with the interpreter recorded for this contact.
    assert message.body == TEXTS["pl"] + " (Enschede?)" and message.interpreter_used
    reply.texts = {**TEXTS, "pl": "Inny tekst"}
    reply.save()
    assert ReportMessage.objects.get(report=report).body == TEXTS["pl"] + " (Enschede?)"
    assert (
        "Er hielp een tolk bij dit contact."
        in intake_client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    )


def test_feedback_records_whether_an_interpreter_helped(intake_client) -> None:
    report = submit_report().report
    intake_client.post(
        f"/medewerkers/meldingen/{report.pk}/actie/feedback/",
        {"feedback-feedback_method": "phone", "feedback-feedback_note": "", "feedback-interpreter_used": "on"},
    )
    assert Report.objects.get(pk=report.pk).feedback_interpreter
