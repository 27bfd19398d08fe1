"""Six languages on the public side, two for staff; chosen by a link, kept in the address, never in a cookie."""

import re
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from kenniscentrum.indicators.models import Indicator
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
PUBLIC_PAGES = ["/", "/melden/", "/volgen/", "/signalen/", "/informatie/", "/informatie/privacy/"]


def language_links(page: str) -> list[str]:
    nav = page[page.index('class="language-switch"') :]
    nav = nav[: nav.index("</nav>")]
    # Links, or on a form page buttons that carry the form to the other language.
    return re.findall(r'<(?:a|button) [^>]*?\blang="(\w+)"', nav)


@pytest.mark.parametrize("language", ["pl", "ro", "bg", "uk"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_in_the_visitors_language_without_a_cookie(client, region, language, path) -> None:
    response = client.get(f"/{language}{path}")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}" dir="ltr">' in page
    assert language_links(page) == ["nl", "en", "pl", "ro", "bg", "uk"]
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_language_switch_names_each_language_in_itself(client, region) -> None:
    page = client.get("/uk/").content.decode()
    for name in ("Nederlands", "English", "Polski", "Română", "Български", "Українська"):
        assert f">{name}</a>" in page
    assert 'href="/ro/" lang="ro" hreflang="ro"' in page


def test_texts_are_translated_not_left_in_english(client, region) -> None:
    assert "Zgłoś handel ludźmi lub poproś o pomoc" in client.get("/pl/").content.decode()
    assert "Semnalați traficul de persoane" in client.get("/ro/").content.decode()
    assert "Подайте сигнал за трафик на хора" in client.get("/bg/").content.decode()
    assert "Повідомте про торгівлю людьми" in client.get("/uk/").content.decode()


@pytest.mark.parametrize("path", ["/pl/medewerkers/meldingen/", "/ro/medewerkers/inloggen/", "/bg/beheer/"])
def test_staff_pages_in_a_visitor_language_lead_to_the_dutch_page(client, region, path) -> None:
    response = client.get(path + "?status=open")
    assert response.status_code == 302
    assert response["Location"] == path[3:] + "?status=open"


def test_staff_pages_offer_only_dutch_and_english(intake) -> None:
    page = logged_in(intake).get("/en/medewerkers/meldingen/").content.decode()
    assert language_links(page) == ["nl", "en"]


def test_the_check_shows_the_signals_in_the_visitors_language(client, region) -> None:
    call_command("load_indicators", stdout=StringIO())
    page = client.post("/pl/signalen/vragen/", {"audience": "concerned"}).content.decode()
    assert Indicator.objects.get(code="G3").they_pl in page
    assert "<h1>Praca, pieniądze i seks</h1>" in page and "Krok 1 z 5" in page


def test_every_indicator_and_list_has_a_text_in_every_language(region) -> None:
    call_command("load_indicators", stdout=StringIO())
    missing = []
    for indicator in Indicator.objects.select_related("indicator_list"):
        for code, _ in settings.LANGUAGES:
            if not getattr(indicator, f"text_{code}") or not getattr(indicator.indicator_list, f"title_{code}"):
                missing.append((indicator.code, code))
    assert missing == []


def test_the_layout_is_ready_for_right_to_left(client, region, settings) -> None:
    # A region that adds Arabic gets mirrored pages without touching templates or styles.
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    page = client.get("/ar/signalen/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    css = (settings.BASE_DIR / "kenniscentrum/static/css/site.css").read_text()
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert (
        re.findall(
            r"\b(?:margin|padding|border)-(?:left|right)\b|\b(?:left|right)\s*:|text-align:\s*(?:left|right)", rules
        )
        == []
    )


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("nl", "29 november 2026 15:05", "29-11-2026"),
        ("en", "29 November 2026, 15:05", "29/11/2026"),
        ("pl", "29 listopada 2026, 15:05", "29.11.2026"),  # the month in the genitive
        ("ro", "29 noiembrie 2026, 15:05", "29.11.2026"),  # month names in lower case
        ("bg", "29 ноември 2026 г., 15:05", "29.11.2026 г."),
        ("uk", "29 листопада 2026 р., 15:05", "29.11.2026"),
    ],
)
def test_dates_are_written_in_each_languages_own_way(language, long, short) -> None:
    moment = datetime(2026, 11, 29, 14, 5, tzinfo=UTC)
    template = Template('{{ moment|date:"DATETIME_FORMAT" }}|{{ moment|date:"SHORT_DATE_FORMAT" }}')
    with translation.override(language):
        assert template.render(Context({"moment": moment})) == f"{long}|{short}"


def test_templates_write_dates_only_in_the_named_formats() -> None:
    templates = Path(settings.BASE_DIR) / "kenniscentrum" / "templates"
    literal = [
        (path.name, found)
        for path in templates.rglob("*.html")
        for found in re.findall(r'\|date:"([^"]*)"', path.read_text(encoding="utf-8"))
        if not found.endswith("_FORMAT")
    ]
    assert literal == []
