"""The Dutch side speaks to its reader with "je", never with "u": a worried visitor reads one voice, not two."""

import re
from io import StringIO

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from kenniscentrum.knowledge.pages import PAGES, PAGES_DIR
from kenniscentrum.reports import receipts
from tests.conftest import submit_report

# "u", "uw", "uzelf" as whole words; "uur", "uit", "juist" and "Twente" are not the reader.
FORMAL = re.compile(r"(?<![\w'’-])(u|uw|uzelf|uwe)(?![\w'’-])", re.IGNORECASE)


def formal_words(text: str) -> list[str]:
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in FORMAL.finditer(text)]


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_formal_pattern_finds_u_and_uw_and_nothing_else() -> None:
    assert formal_words("Als u dat weet") and formal_words("Uw melding") and formal_words("voor uzelf")
    assert not formal_words("Binnen een uur, uit Twente, 24 uur per dag, juist nu, u-bocht")


def test_no_dutch_text_in_the_catalogue_says_u_or_uw() -> None:
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    formal = {entry.msgid: formal_words(entry.msgstr) for entry in catalogue if formal_words(entry.msgstr)}
    assert not formal


def test_no_dutch_knowledge_page_says_u_or_uw() -> None:
    formal = {}
    for slug, _block in PAGES:
        if found := formal_words((PAGES_DIR / slug / "nl.md").read_text(encoding="utf-8")):
            formal[slug] = found
    assert not formal


@pytest.mark.django_db
def test_no_dutch_public_page_says_u_or_uw(client, region) -> None:
    """Every public page as a visitor sees it, with the data each shows (signals, channels, errors)."""
    call_command("load_indicators", stdout=StringIO())
    pages = {url: client.get(url) for url in ["/", "/informatie/", "/melden/", "/volgen/", "/signalen/"]}
    pages |= {f"/informatie/{slug}/": client.get(f"/informatie/{slug}/") for slug, _block in PAGES}
    pages["/melden/ with errors"] = client.post("/melden/", {"token": receipts.new_submission_token()})
    pages["/volgen/ with a wrong code"] = client.post("/volgen/", {"code": "7KQ2-M9XD-4HRX"})
    for audience in ("concerned", "victim", "professional", "perpetrator"):
        pages[f"/signalen/vragen/ {audience}"] = client.post("/signalen/vragen/", {"audience": audience})
    sent = client.post("/melden/", {**submit_answers(client), "contact_preference": "email",
                                    "reporter_email": "rita@example.nl"})  # fmt: skip
    pages["/melden/ sent"] = sent
    reporter = Client()
    reporter.post("/volgen/", {"code": submit_report().code})
    pages["/volgen/bericht/"] = reporter.get("/volgen/bericht/")
    formal = {}
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        if found := formal_words(visible_text(response.content.decode())):
            formal[name] = found
    assert not formal, "\n".join(f"{name}: {found}" for name, found in formal.items())


def submit_answers(client: Client) -> dict[str, str]:
    return {
        "token": client.get("/melden/").context["form"].initial["token"],
        "acute_danger": "no",
        "reporter_role": "concerned",
        "description": "Mijn buurman werkt zeven dagen per week en woont in de loods.",
        "ongoing": "yes",
        "consent_share_identity": "no",
        "persons-TOTAL_FORMS": "0",
        "persons-INITIAL_FORMS": "0",
    }
