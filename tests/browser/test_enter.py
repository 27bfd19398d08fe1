"""Issue 26, finding 2: Enter sends the form it is typed in. The language buttons in the header carry what was
typed to another language, and came first in the document, so they were every public form's default button: Enter
on the report form went to /en/ and dropped the photo, Enter on the code page switched the language and opened
nothing."""

import re
from pathlib import Path
from typing import Any

import pytest

from kenniscentrum.reports.models import Report
from tests.browser.conftest import check_page
from tests.browser.test_journeys import fill_minimal_report, photo

FORM_PAGES = ["/melden/", "/volgen/", "/signalen/", "/en/melden/", "/pl/volgen/", "/uk/signalen/"]
TEXT_FIELD = "#page-form input[type=text], #page-form input:not([type])"


def default_button(page: Any) -> dict[str, Any]:
    """The page form's default button as the browser takes it: the first submit button in the document whose form
    is the page form (the HTML rule for implicit submission)."""
    return page.evaluate(
        """() => {
            const form = document.getElementById("page-form");
            const first = [...document.querySelectorAll("button, input")].find(
                (b) => (b.type === "submit" || b.type === "image") && b.form === form);
            return {formaction: first.getAttribute("formaction"), name: first.name, value: first.value};
        }"""
    )


@pytest.mark.parametrize("path", FORM_PAGES)
def test_every_public_forms_default_button_sends_the_form(page, live_server, region, path) -> None:
    page.goto(path)
    assert page.locator("#page-form").count() == 1, path
    found = default_button(page)
    # Not a language button (those have a formaction and the switch's name), not "Back".
    assert found["formaction"] is None and found["name"] == "", (path, found)
    # Out of sight and out of the tab order: only Enter uses it.
    box = page.locator(".default-submit").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0, box
    assert page.locator(".default-submit").get_attribute("tabindex") == "-1"


def test_enter_in_the_report_form_sends_the_report_with_its_photo(page, live_server, region, tmp_path: Path) -> None:
    page.goto("/melden/")
    fill_minimal_report(page, "Op de camping werken mensen zonder loon.")
    page.get_by_label("Foto's of documenten").set_input_files(photo(tmp_path))
    page.locator(TEXT_FIELD).first.press("Enter")
    page.get_by_role("heading", name="Dank je wel. We hebben je melding ontvangen.").wait_for()
    assert not re.search(r"/(en|pl|uk|ro|bg)/", page.url)
    assert Report.objects.get().attachments.count() == 1


@pytest.mark.parametrize("language", ["", "pl/", "uk/"])
def test_enter_on_the_code_page_opens_the_report(page, live_server, region, language) -> None:
    page.goto("/melden/")
    fill_minimal_report(page, "Op de camping werken mensen zonder loon.")
    page.get_by_role("button", name="Melding versturen").click()
    code = page.locator(".receipt-code").inner_text()
    page.goto(f"/{language}volgen/")
    field = page.locator(TEXT_FIELD).first
    field.fill(code)
    field.press("Enter")
    page.locator("textarea").first.wait_for()  # the thread, with its reply field
    assert page.url.endswith(f"/{language}volgen/bericht/") or "/bericht/" in page.url, page.url
    check_page(page, live_server)
