"""A phone report from a Polish speaker: entered by intake in Polish, answered with a standard text in Polish that
the worker checks against the Dutch beside it, and read by the reporter in Polish with the receipt code."""

import pytest

from kenniscentrum.reports.models import Report, StandardReply
from tests.browser.conftest import check_page, new_page
from tests.browser.test_journeys import staff_login
from tests.reports.test_standard_replies import TEXTS

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_polish_phone_report_gets_a_polish_standard_reply_the_worker_can_check(
    browser, page, live_server, region, intake
) -> None:
    StandardReply.objects.create(title="Vraag: waar gebeurt het?", texts=TEXTS)
    staff_login(page, live_server, intake)
    page.get_by_role("link", name="Melding invoeren die telefonisch, per e-mail of persoonlijk binnenkwam").click()
    page.get_by_role("heading", name="Melding invoeren").wait_for()
    check_page(page, live_server)
    page.get_by_label("Ontvangen via").select_option("phone")
    page.get_by_label("Ontvangen op").fill("2026-03-01T14:30")
    page.get_by_label("Taal van de melder").select_option("pl")
    page.locator("#id_acute_danger").get_by_label("Nee").check()
    page.get_by_label("Over zichzelf: mogelijk uitgebuit").check()
    page.get_by_label("Wat vertelde de melder?").fill("Werkt in een kas; de baas houdt haar paspoort.")
    page.get_by_role("button", name="Melding opslaan").click()
    code = page.locator(".receipt-code").inner_text()
    check_page(page, live_server)
    report = Report.objects.get()
    assert report.language == "pl" and report.channel == "phone"

    page.goto(f"/medewerkers/meldingen/{report.pk}/")
    page.get_by_label("Beginnen met een standaardtekst").select_option(label="Vraag: waar gebeurt het?")
    page.get_by_role("button", name="Deze tekst gebruiken").click()
    question = page.locator("#action-ask_reporter")
    expect_value = question.get_by_label("Vraag aan de melder").input_value()
    assert expect_value == TEXTS["pl"]
    # Beside the Polish, what it says in Dutch: the worker checks what is sent without reading Polish.
    assert question.get_by_text(TEXTS["nl"]).is_visible()
    check_page(page, live_server)
    question.get_by_role("button", name="Vraag stellen aan de melder").click()
    page.get_by_text("Je vraag is naar de melder gestuurd").wait_for()
    check_page(page, live_server)

    reporter = new_page(browser, live_server)
    reporter.goto("/pl/volgen/")
    check_page(reporter, live_server)
    reporter.locator("input[name=code]").fill(code)
    reporter.locator("form button[type=submit]").first.click()
    reporter.get_by_text(TEXTS["pl"]).wait_for()
    assert reporter.locator("html").get_attribute("lang") == "pl"
    assert not reporter.get_by_text(TEXTS["nl"]).count()
    check_page(reporter, live_server)
    reporter.context.close()
