"""Issue 26, findings 1 and 3: the quick exit ends the visit on the server, so Back, sending again or a new tab
bring nothing back; and a reply typed while the session ended is there again once the code is entered.

Playwright starts Chromium without its back-forward cache; the journeys that leave the site are also walked in a
Chromium with the cache on, as a phone's browser has it.
"""

import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command

from kenniscentrum.reports.models import Report
from tests.browser.conftest import CHROMIUM, NEUTRAL_SITE, check_page, new_page
from tests.browser.test_journeys import fill_minimal_report

pytestmark = pytest.mark.django_db(transaction=True)

REPORT_TEXT = "Mijn nicht werkt in een nagelstudio en krijgt haar paspoort niet terug."
THANKS = "Dank je wel. We hebben je melding ontvangen."


@pytest.fixture(scope="module")
def browser_with_cache(browser: Any) -> Iterator[Any]:
    """Chromium with its back-forward cache, which Playwright turns off by default (started by the same Playwright:
    one runs per thread)."""
    cached = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-component-update"],
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield cached
    cached.close()


# (JavaScript on, back-forward cache on): the quick exit as a link without JavaScript, with the script, and with the
# script in a browser that keeps pages for Back.
WAYS = [(False, False), (True, False), (True, True)]
WAY_IDS = ["without-javascript", "with-javascript", "with-back-forward-cache"]


def visitor(request: Any, browser: Any, live_server: Any, javascript: bool, cache: bool) -> Any:
    chosen = request.getfixturevalue("browser_with_cache") if cache else browser
    return new_page(chosen, live_server, javascript=javascript)


def quick_exit(page: Any) -> None:
    page.get_by_role("link", name="Snel deze site verlaten").click()
    page.wait_for_url(NEUTRAL_SITE)


def go_back(page: Any) -> None:
    """Back, as a person presses it. A page that was the answer to a form is not shown again without sending the
    form once more: the browser shows its error page (net::ERR_CACHE_MISS) and a reload sends the form again, which
    the person is taken to do here."""
    try:
        page.go_back(wait_until="load")
    except Exception as error:  # Playwright raises on the browser's own error page
        assert "ERR_CACHE_MISS" in str(error), error
        page.wait_for_url("chrome-error://**")
        with page.expect_navigation():
            page.reload()


def shown(page: Any) -> str:
    """Everything a person sees on the page, typed field values included."""
    return page.evaluate(
        """() => document.body.innerText + "\\n" +
            [...document.querySelectorAll("input, textarea, select")].map((f) => f.value).join("\\n")"""
    )


def send_report(page: Any) -> str:
    page.goto("/melden/")
    fill_minimal_report(page, REPORT_TEXT)
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("heading", name=THANKS).wait_for()
    return str(page.locator(".receipt-code").inner_text())


def open_thread(page: Any, code: str) -> None:
    page.goto("/volgen/")
    page.get_by_label("Je ontvangstcode").fill(code)
    page.get_by_role("button", name="Mijn melding openen").click()
    page.get_by_role("heading", name="Je melding", exact=True).wait_for()


def assert_code_page_in_a_new_tab(page: Any) -> None:
    tab = page.context.new_page()
    tab.goto("/volgen/bericht/")
    tab.get_by_role("heading", name="Je melding volgen").wait_for()
    assert REPORT_TEXT not in shown(tab)


@pytest.mark.parametrize(("javascript", "cache"), WAYS, ids=WAY_IDS)
def test_after_a_quick_exit_back_shows_no_report_and_sending_again_no_code(
    request, browser, live_server, region, javascript, cache
) -> None:
    page = visitor(request, browser, live_server, javascript, cache)
    try:
        code = send_report(page)
        quick_exit(page)
        go_back(page)
        assert REPORT_TEXT not in shown(page) and code not in shown(page), page.url
        # Sending again: the page Back shows (an empty form, typed in again), or the report form a reload sends again.
        if page.get_by_role("button", name="Melding versturen").count():
            fill_minimal_report(page, REPORT_TEXT)
            page.get_by_role("button", name="Melding versturen").click()
        else:
            page.reload(wait_until="load")
        page.wait_for_load_state("load")
        assert code not in shown(page), page.url
        assert_code_page_in_a_new_tab(page)
    finally:
        page.context.close()


@pytest.mark.parametrize(("javascript", "cache"), WAYS, ids=WAY_IDS)
def test_after_a_quick_exit_from_the_thread_back_does_not_show_it(
    request, browser, live_server, region, javascript, cache
) -> None:
    page = visitor(request, browser, live_server, javascript, cache)
    try:
        code = send_report(page)
        open_thread(page, code)
        page.get_by_label("Je bericht").fill("Half getypt bericht over de studio.")
        quick_exit(page)
        go_back(page)
        assert REPORT_TEXT not in shown(page) and "Half getypt" not in shown(page), page.url
        assert code not in shown(page)
        assert page.get_by_role("heading", name="Je melding", exact=True).count() == 0
        assert_code_page_in_a_new_tab(page)
    finally:
        page.context.close()


@pytest.mark.parametrize(("javascript", "cache"), WAYS, ids=WAY_IDS)
def test_after_a_quick_exit_from_the_signals_check_back_shows_no_answers(
    request, browser, live_server, region, javascript, cache
) -> None:
    call_command("load_indicators", stdout=StringIO())
    page = visitor(request, browser, live_server, javascript, cache)
    try:
        page.goto("/signalen/")
        page.get_by_label("Ik maak me zorgen om iemand anders").check()
        page.get_by_role("button", name="Volgende").click()
        page.locator("#signal-G4").check()
        page.get_by_role("button", name="Volgende").click()
        page.locator("#signal-G6").check()
        quick_exit(page)
        # However far back the person goes, no page shows what was answered.
        for _ in range(4):
            go_back(page)
            if not page.url.startswith(live_server.url):
                break
            # No box ticked, and no answer carried in the page (a step sent again would carry them, hidden).
            answers = page.locator("input:checked, input[type=hidden][name=signals], input[type=hidden][name=audience]")
            assert answers.count() == 0, page.url
    finally:
        page.context.close()


def test_escape_three_times_ends_the_visit_too(page, live_server, region) -> None:
    code = send_report(page)
    open_thread(page, code)
    page.locator("main h1").click()
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL_SITE)
    assert_code_page_in_a_new_tab(page)


# The code page in each language, as a person reads it after their session ended.
EXPIRED = {
    "nl": {
        "send": "Bericht versturen",
        "code": "Je ontvangstcode",
        "open": "Mijn melding openen",
        "sent": "Je bericht is verstuurd",
    },
    "pl": {
        "send": "Wyślij wiadomość",
        "code": "Kod potwierdzenia",
        "open": "Otwórz zgłoszenie",
        "sent": "Wiadomość została wysłana",
    },
}


@pytest.mark.parametrize(
    ("language", "switch", "javascript"),
    [("nl", False, True), ("pl", False, True), ("nl", True, True), ("nl", True, False), ("nl", False, False)],
    ids=["nl", "pl", "nl-switch-to-pl", "nl-switch-to-pl-without-javascript", "nl-without-javascript"],
)
def test_a_reply_typed_while_the_session_ended_is_there_after_the_code(
    browser, live_server, region, language, switch, javascript
) -> None:
    page = new_page(browser, live_server, javascript=javascript)
    try:
        code = send_report(page)
        prefix = "" if language == "nl" else f"/{language}"
        page.goto(f"{prefix}/volgen/")
        say = EXPIRED[language]
        page.get_by_label(say["code"]).fill(code)
        page.get_by_role("button", name=say["open"]).click()
        reply = "Ze is gisteren verhuisd naar een adres in Enschede."
        page.locator("textarea").fill(reply)
        Session.objects.all().delete()  # the session ends while the reporter writes
        page.get_by_role("button", name=say["send"]).click()
        page.get_by_role("status").filter(has_text=re.compile(".")).first.wait_for()
        if javascript:
            check_page(page, live_server)
        if switch:
            page.get_by_role("button", name="Polski").click()
            page.wait_for_url("**/pl/**")
            say = EXPIRED["pl"]
        page.get_by_label(say["code"]).fill("AAAA-BBBB-CCCC")  # a wrong code first: the reply stays
        page.get_by_role("button", name=say["open"]).click()
        page.get_by_label(say["code"]).fill(code)
        page.get_by_role("button", name=say["open"]).click()
        page.locator("textarea").wait_for()
        assert page.locator("textarea").input_value() == reply
        if javascript:
            check_page(page, live_server)
        page.get_by_role("button", name=say["send"]).click()
        page.get_by_text(say["sent"]).wait_for()
        assert list(Report.objects.get().messages.values_list("body", flat=True)) == [reply]
    finally:
        page.context.close()
