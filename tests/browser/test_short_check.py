"""Issue 26, finding 7: someone worried about themselves does the signals check on a phone, in a few short pages,
and the report form it fills speaks to them as the check did ("you"), in Dutch and in Polish."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from kenniscentrum.indicators.check import CHECK_MOST, STEP_MOST
from kenniscentrum.indicators.models import Indicator
from kenniscentrum.reports.models import Report
from tests.browser.conftest import check_page, new_page

PHONE = 390  # CSS pixels: a common phone's width

SAY = {
    "nl": {
        "start": "Signalen checken",
        "audience": "Ik maak me zorgen om mezelf",
        "next": "Volgende",
        "questions": "Wat herken je bij jezelf?",
        "show": "Laat zien wat dit kan betekenen",
        "report": "Doe een melding met deze antwoorden",
        "form": "Melding doen",
    },
    "pl": {
        "start": "Sprawdź sygnały",
        "audience": "Martwię się o siebie",
        "next": "Dalej",
        "questions": "Co z tego dotyczy Pana/Pani?",
        "show": "Pokaż, co to może oznaczać",
        "report": "Złóż zgłoszenie z tymi odpowiedziami",
        "form": "Złóż zgłoszenie",
    },
}
# One signal ticked on each of the first pages: forced sex, a passport kept away, threats with nude photos.
TICKED = ["G1", "G6", "V3"]


def fits(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("language", SAY)
def test_worried_about_yourself_on_a_phone_through_to_the_report(browser, live_server, region, language) -> None:
    call_command("load_indicators", stdout=StringIO())
    say = SAY[language]
    page = new_page(browser, live_server, width=PHONE, height=800)
    try:
        page.goto("/" if language == "nl" else f"/{language}/")
        page.get_by_role("link", name=say["start"]).first.click()
        page.get_by_label(say["audience"]).check()
        page.get_by_role("button", name=say["next"]).click()
        asked = 0
        pages = 0
        while not page.get_by_role("button", name=say["show"]).count():
            page.get_by_role("group", name=say["questions"]).wait_for()
            check_page(page, live_server)
            fits(page)
            boxes = page.locator('input[name="signals"][type="checkbox"]')
            assert boxes.count() <= STEP_MOST
            asked += boxes.count()
            pages += 1
            for code in TICKED:
                if page.locator(f"#signal-{code}").count():
                    page.locator(f"#signal-{code}").check()
            page.get_by_role("button", name=say["next"]).click()
            page.locator("main h1").wait_for()
        # A few short pages, not 75 signals.
        assert asked <= CHECK_MOST and pages <= 4, (asked, pages)
        check_page(page, live_server)
        page.get_by_role("button", name=say["show"]).click()
        page.get_by_role("button", name=say["report"]).wait_for()
        check_page(page, live_server)
        fits(page)
        page.get_by_role("button", name=say["report"]).click()
        page.get_by_role("heading", name=say["form"], exact=True).wait_for()
        check_page(page, live_server)
        fits(page)
        carried = page.locator("main .notice li").all_inner_texts()
        # The report form lists the signals as the check asked them: to you, not about "hij/zij".
        expected = [getattr(Indicator.objects.get(code=code), f"you_{language}") for code in TICKED]
        assert sorted(carried) == sorted(expected)
        assert not [text for text in carried if "hij/zij" in text or "zijn/haar" in text]
        assert Report.objects.count() == 0  # filling in is not sending
    finally:
        page.context.close()


def test_enter_on_the_last_page_of_the_check_shows_the_result(browser, live_server, region) -> None:
    """The tester pressed Enter on a radio button of "Two last questions": the page came back instead of the result,
    because the page's default button sends the form to its own address and only the visible button went on."""
    call_command("load_indicators", stdout=StringIO())
    say = SAY["nl"]
    page = new_page(browser, live_server)
    try:
        page.goto("/signalen/")
        page.get_by_label(say["audience"]).check()
        page.get_by_label(say["audience"]).press("Enter")
        while not page.get_by_role("button", name=say["show"]).count():
            page.get_by_role("group", name=say["questions"]).wait_for()
            page.locator('input[name="signals"]').first.press("Enter")
            page.locator("main h1").wait_for()
        page.locator('input[name="acute"]').first.check()
        page.locator('input[name="acute"]').first.press("Enter")
        page.get_by_role("button", name=say["report"]).wait_for()
        assert page.url.endswith("/signalen/uitslag/"), page.url
    finally:
        page.context.close()
