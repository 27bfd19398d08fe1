"""Issue 26, finding 5: a visitor reaches the centre without reporting. From the contact page they ask a question,
with and without JavaScript; a mistake keeps what they typed; staff answer; the visitor reads the answer with the
receipt code. The contact and privacy pages are WCAG 2.1 AA clean in every language."""

from typing import Any

import pytest

from kenniscentrum.reports.models import Report
from kenniscentrum.reports.services import report_change_status, report_close
from tests.browser.conftest import check_page, new_page

QUESTION = "Mag mijn werkgever mijn paspoort bewaren?"
ANSWER = "Nee. Je paspoort is van jou; je werkgever mag het niet houden."


def ask_and_read_the_answer(page: Any, live_server: Any, intake: Any, *, axe: bool) -> None:
    page.goto("/informatie/contact/")
    page.get_by_role("link", name="Een vraag stellen").click()
    page.get_by_role("heading", name="Stel ons een vraag").wait_for()
    # A way back chosen without its address: the message says so, and the question stays.
    page.get_by_label("Wat wil je ons vragen?").fill(QUESTION)
    page.get_by_label("Per e-mail").check()
    page.get_by_role("button", name="Vraag versturen").click()
    page.locator(".error-summary").wait_for()
    assert "Vul een e-mailadres in" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Wat wil je ons vragen?").input_value() == QUESTION
    assert not Report.objects.exists()
    if axe:
        check_page(page, live_server)
    page.get_by_label("Anoniem: alleen via mijn ontvangstcode").check()
    page.get_by_role("button", name="Vraag versturen").click()
    page.get_by_role("heading", name="Dank je. We hebben je vraag ontvangen.").wait_for()
    code = page.locator(".receipt-code").inner_text()
    if axe:
        check_page(page, live_server)
    question = Report.objects.get()
    assert (question.kind, question.description) == ("question", QUESTION)
    # Staff answer it as advice; the answer goes into the visitor's thread.
    report_change_status(report=question, name="start_triage", actor=intake)
    report_close(report=question, name="close_advised", reason="Vraag beantwoord", actor=intake,
                 feedback_method="receipt_message", feedback_note="", message_to_reporter=ANSWER)  # fmt: skip
    page.get_by_role("link", name="Ons antwoord lezen").click()
    page.locator("#id_code").fill(code)
    page.locator("#page-form button[type=submit]").last.click()
    page.get_by_text(ANSWER).wait_for()
    if axe:
        check_page(page, live_server)


def test_a_visitor_asks_a_question_without_javascript_and_reads_the_answer(browser, live_server, intake) -> None:
    page = new_page(browser, live_server, javascript=False)
    try:
        ask_and_read_the_answer(page, live_server, intake, axe=False)
    finally:
        page.context.close()


def test_a_visitor_asks_a_question_with_javascript_and_reads_the_answer(page, live_server, intake) -> None:
    ask_and_read_the_answer(page, live_server, intake, axe=True)


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ro", "bg", "uk"])
def test_the_contact_privacy_and_question_pages_are_accessible_in_every_language(
    page, live_server, region, language
) -> None:
    prefix = "" if language == "nl" else f"/{language}"
    for path in ("/informatie/contact/", "/informatie/privacy/", "/vraag/"):
        page.goto(prefix + path)
        assert page.locator("html").get_attribute("lang") == language
        check_page(page, live_server)
    # The question form with its error, in the visitor's language.
    page.locator("#page-form button[type=submit]").last.click()
    page.locator(".error-summary").wait_for()
    check_page(page, live_server)
