"""Knowledge pages: every page in every language, safe to render, with links that lead somewhere."""

import re
from io import StringIO
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.core.management import call_command

from kenniscentrum.indicators.models import Indicator
from kenniscentrum.knowledge.pages import PAGES, PAGES_DIR, page_parse, page_render

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _ in settings.LANGUAGES]
SLUGS = [slug for slug, _ in PAGES]


def prefix(language: str) -> str:
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


@pytest.fixture
def catalogue(region) -> None:
    call_command("load_indicators", stdout=StringIO())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_exists_in_every_language_with_a_title_and_summary(language) -> None:
    for slug in SLUGS:
        header, body = page_parse((PAGES_DIR / slug / f"{language}.md").read_text(encoding="utf-8"))
        assert header["title"] and header["summary"] and len(body) > 200, (slug, language)
    assert sorted(p.name for p in PAGES_DIR.iterdir()) == sorted(SLUGS), "a page folder is missing from PAGES"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_page_is_served_in_its_language_and_its_links_work(client, catalogue, language) -> None:
    index = client.get(f"{prefix(language)}/informatie/")
    assert index.status_code == 200
    for slug in SLUGS:
        url = f"{prefix(language)}/informatie/{slug}/"
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.context["page"]
        assert page.language == language, url
        assert page.title in index.content.decode()
        for href in re.findall(r'href="([^"#]+)"', page.html):
            if href.startswith(("http", "tel:")):
                continue
            target = urljoin(url, href)
            assert target.startswith(prefix(language) + "/"), (url, href)
            assert client.get(target).status_code == 200, (url, href)


def test_the_signals_page_lists_each_form_with_its_signals_in_the_visitors_language(client, catalogue) -> None:
    page = client.get("/pl/informatie/signalen/").content.decode()
    g6 = Indicator.objects.get(code="G6")
    assert "Wyzysk w pracy" in page and g6.text_pl in page
    # The labour inspectorate publishes the same signal (A4): shown once, with both publishers as sources.
    assert page.count(g6.text_pl) == 1 and Indicator.objects.get(code="A4").text_pl not in page
    assert ">Nederlandse Arbeidsinspectie</a>" in page
    # For organ removal, surrogacy and the form the region adds (serious disadvantage at work) we have no list
    # yet; the page says so for each, in the visitor's language, instead of inventing one.
    assert page.count("nie mamy jeszcze listy sygnałów") == 3
    assert "Poważne pokrzywdzenie w pracy" in page


def test_the_privacy_page_shows_the_retention_terms_from_the_region_file(client, catalogue) -> None:
    page = client.get("/en/informatie/privacy/").content.decode()
    assert "24 months after it was closed" in page and "5 years after it was closed" in page
    assert "Not stored at all" in page


def test_the_contact_page_lists_the_channels_including_comensha(client, catalogue) -> None:
    page = client.get("/informatie/contact/").content.decode()
    for number in ("112", "0900-8844", "0800-5151", "0800-7000", "0800-2000"):
        assert f'href="tel:{number}"' in page
    assert "https://www.comensha.nl" in page


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ro", "bg", "uk"])
def test_no_public_page_shows_working_notes_truncations_or_a_signal_twice(client, catalogue, language) -> None:
    from django.utils import translation

    paths = ["/", "/melden/", "/signalen/", "/volgen/", "/informatie/"] + [f"/informatie/{slug}/" for slug, _ in PAGES]
    with translation.override(language):
        texts = [i.text for i in Indicator.objects.filter(active=True)]
    for path in paths:
        page = client.get(path if language == "nl" else f"/{language}{path}").content.decode()
        assert "REFERENCE" not in page and "§" not in page and "…" not in page, path
        lines = [line.strip() for line in re.sub(r"<[^>]+>", "\n", page).splitlines()]
        assert not [text for text in texts if lines.count(text) > 1], path


def test_an_unknown_page_is_not_found(client) -> None:
    assert client.get("/informatie/bestaat-niet/").status_code == 404
    assert client.get("/informatie/..%2Fsettings/").status_code == 404


def test_a_page_file_cannot_add_scripts_styles_or_event_handlers() -> None:
    html = page_render(
        '<script>alert(1)</script>\n\n<p style="color:red" onclick="x()">Tekst</p>\n\n'
        "[link](javascript:alert(1)) <img src=x onerror=alert(1)> <iframe src=//evil></iframe>"
    )
    assert "<script" not in html and "style=" not in html and "onclick" not in html
    assert "javascript:" not in html and "<img" not in html and "<iframe" not in html
    assert "Tekst" in html


def test_a_page_without_a_header_is_refused() -> None:
    with pytest.raises(ValueError):
        page_parse("# Title\n\nText")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_quote_the_report_forms_choices_as_the_form_shows_them(language) -> None:
    from django.utils import translation

    from kenniscentrum.lib.vocabulary import ReporterRole

    with translation.override(language):
        professional, perpetrator = str(ReporterRole.PROFESSIONAL.label), str(ReporterRole.PERPETRATOR.label)
    assert professional in (PAGES_DIR / "professionals" / f"{language}.md").read_text(encoding="utf-8")
    assert perpetrator in (PAGES_DIR / "hulp-om-te-stoppen" / f"{language}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["", "/en", "/pl", "/ro", "/bg", "/uk"])
def test_the_pages_say_we_have_no_list_yet_and_name_both_bodies_for_the_reflection_period(
    client, region, language
) -> None:
    forms = client.get(f"{language}/informatie/vormen-van-uitbuiting/").content.decode()
    for claim in ("geen gepubliceerde lijst", "no published list", "opublikowanej listy", "listă publicată",
                  "публикуван списък", "опублікованого списку"):  # fmt: skip
        assert claim not in forms  # the police did publish signals (2014): the list is ours to make
    help_page = client.get(f"{language}/informatie/hulp-voor-slachtoffers/").content.decode()
    assert "Schiphol" not in help_page and "Схипхол" not in help_page and "Схіпгол" not in help_page
    assert "Marechaussee" in help_page or "жандармерия" in help_page.lower() or "жандармерія" in help_page.lower()


@pytest.mark.parametrize("language", ["nl", "en", "pl", "ro", "bg", "uk"])
def test_the_facts_the_field_asked_for_are_on_the_pages(client, catalogue, language) -> None:
    def get(slug: str) -> str:
        return client.get(f"{prefix(language)}/informatie/{slug}/").content.decode()

    # The act element is not only recruitment, transport or housing (art. 273f lid 1 sub 4).
    assert "273f" in get("wat-is-mensenhandel") and ", 4)" not in get("wat-is-mensenhandel")
    forms = get("vormen-van-uitbuiting")
    assert "pooierboy" in forms.lower() and "lovergirls" in forms
    help_page = get("hulp-voor-slachtoffers")
    article = help_page.split("<article", 1)[1].split("</article>", 1)[0]
    # Help, forced crime, reflection period, EU and temporary protection, our help, and where to go.
    assert article.count("<h2>") == 6
    assert 'href="https://www.fairwork.nu' in help_page
    contact = get("contact")
    assert 'href="tel:0334481186">033 448 11 86</a>' in contact and 'href="https://www.fairwork.nu"' in contact


def test_signals_of_dependence_point_to_means_and_vulnerability(catalogue) -> None:
    for code in ("G13", "A10", "A11"):
        indicator = Indicator.objects.get(code=code)
        assert set(indicator.elements) == {"means", "vulnerability"}, code
    assert "means" in Indicator.objects.get(code="G12").elements
