"""The privacy statement says once, at the top, what the centre has yet to confirm; the items read cleanly."""

import re
from collections.abc import Iterator

import pytest

from tests.conftest import region_file_changed

pytestmark = pytest.mark.django_db

# The note's heading in each language, and the old per-item words that must not come back.
STILL_TO_CONFIRM = {
    "nl": "Nog te bevestigen",
    "en": "Still to be confirmed",
    "pl": "Do potwierdzenia",
    "ro": "De confirmat",
    "bg": "Предстои потвърждение",
    "uk": "Ще має бути підтверджено",
}


@pytest.mark.parametrize("language", list(STILL_TO_CONFIRM))
def test_what_is_yet_to_be_confirmed_is_said_once_at_the_top(client, region, language) -> None:
    prefix = "" if language == "nl" else f"/{language}"
    page = client.get(f"{prefix}/informatie/privacy/").content.decode()
    article = page.split('<article class="knowledge-body"')[1].split("</article>")[0]
    words = STILL_TO_CONFIRM[language]
    assert article.lower().count(words.lower()) == 1, language
    # At the top: before the page's first heading of its own text.
    assert article.index(words) < article.index("<h2>")
    assert 'class="to-confirm"' not in article


def test_the_note_lists_each_fact_the_region_file_does_not_give(client, region) -> None:
    page = client.get("/en/informatie/privacy/").content.decode()
    note = page.split("Still to be confirmed")[1].split("</div>")[0]
    for item in ("the controller", "data protection officer", "legal ground", "processors", "a proposal"):
        assert item in note, item


@pytest.fixture
def confirmed(settings, tmp_path) -> Iterator[None]:
    def change(data: dict) -> None:
        privacy = data["privacy"]
        privacy["controller"] = {"name": "Example Controller", "contact": "privacy@example.test", "source": "test"}
        privacy["data_protection_officer"] = {"name": "A. Officer", "contact": "fg@example.test", "source": "test"}
        for bases in privacy["legal_bases"].values():
            bases.update({"art6": "art. 6(1)(e)", "art9": "art. 9(2)(g)", "art10": "art. 10", "source": "test"})
        privacy["processors"] = ["Example Hosting"]
        data["retention"]["proposal"] = False

    yield from region_file_changed(settings, tmp_path, change)


def test_once_everything_is_confirmed_the_note_is_gone_and_the_facts_are_shown(client, region, confirmed) -> None:
    page = client.get("/en/informatie/privacy/").content.decode()
    assert "Still to be confirmed" not in page and "still to be confirmed" not in page
    for fact in ("Example Controller", "A. Officer", "art. 6(1)(e)", "Example Hosting"):
        assert fact in page


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ro", "bg", "uk"])
def test_a_rights_request_is_sent_with_the_question_form_not_the_report_form(client, region, language) -> None:
    """Asking to see or erase one's data is not a report: the page sends it to the question form, which does not
    ask what happened."""
    page = client.get("/informatie/privacy/" if language == "nl" else f"/{language}/informatie/privacy/")
    html = page.content.decode()
    main = html[html.index("<main") :]
    assert "/vraag/" in main
    assert not re.search(r'href="[^"]*melden/"', main[: main.index("</article>")])
