"""Issue 26, finding 7: a worried person was asked 75 signals. The check asks a short, curated set that a visitor
can answer on a phone in a few minutes, keeps every legal element and form it covered, and speaks to the visitor in
the same person from the first question to the report form, in plain words."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from kenniscentrum.indicators.check import CHECK_MOST, STEP_MOST, check_steps
from kenniscentrum.indicators.models import Indicator
from tests.indicators.test_check import shown_codes, walk

pytestmark = pytest.mark.django_db

AUDIENCES = ["victim", "concerned", "professional"]
# What the check covered before it was shortened (75 signals for someone worried about another person): every legal
# element of art. 273f Sr and every form of exploitation the catalogue has a list for. None of them may be lost.
COVERED_BEFORE = {
    "victim": {"act", "means", "purpose", "vulnerability"},
    "concerned": {"act", "means", "purpose", "vulnerability", "context"},
    "professional": {"act", "means", "purpose", "vulnerability", "context"},
}
FORMS_BEFORE = {"sexual", "labour", "criminal"}


@pytest.fixture
def catalogue(region) -> None:
    call_command("load_indicators", stdout=StringIO())


def test_the_figure_is_what_a_phone_can_take() -> None:
    assert CHECK_MOST <= 25 and STEP_MOST <= 8


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_audience_is_asked_a_short_check_in_short_steps(client, catalogue, audience) -> None:
    pages = walk(client, audience)
    codes = shown_codes(pages)
    assert 0 < len(codes) <= CHECK_MOST, len(codes)
    for page in pages:
        assert len(re.findall('type="checkbox"', page.content.decode())) <= STEP_MOST
    # Every step a visitor meets holds signals, and the check still ends with the two closing questions.
    assert "signalen/uitslag/" in pages[-1].content.decode()


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_short_check_keeps_every_legal_element_and_form_it_covered(client, catalogue, audience) -> None:
    signals = Indicator.objects.filter(code__in=shown_codes(walk(client, audience)))
    elements = {element for signal in signals for element in signal.elements}
    forms = {form for signal in signals for form in signal.forms}
    assert elements >= COVERED_BEFORE[audience]
    assert forms >= FORMS_BEFORE


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_signal_in_the_check_names_its_published_source(catalogue, audience) -> None:
    for step in check_steps(audience):
        for signal in step.signals:
            assert signal.all_sources and all(publisher for publisher, _url in signal.all_sources), signal.code


def test_near_duplicates_are_one_question_with_all_their_sources(client, catalogue) -> None:
    html = "".join(page.content.decode() for page in walk(client, "concerned"))
    # Four lists publish money and expensive things, or changes in looks: each is asked once.
    assert html.count("dure spullen") + html.count("dure kleding") <= 1
    # The merged question keeps the sources of the lists it stands for.
    for publisher in ["Zorg- en Veiligheidshuis Zeeland", "Maak het zichtbaar", "Meldpunt Loverboyproblematiek Twente"]:
        assert publisher in html


@pytest.mark.parametrize("audience", ["concerned", "professional"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_questions_about_someone_else_are_whole_sentences_not_fragments(client, catalogue, audience, prefix) -> None:
    pages = walk(client, audience, prefix=prefix)
    labels = [t for p in pages for t in re.findall(r'<label for="signal-\w+">([^<]+)</label>', p.content.decode())]
    assert labels
    for label in labels:
        assert label[0].isupper(), label
        assert "hij/zij" not in label.lower() and "zijn/haar" not in label and "/" not in label, label


def ticked_on_the_report_form(client, audience: str, codes: list[str], prefix: str = "") -> str:
    """The check's result, then the button that makes a report of it: the report form as the visitor sees it."""
    result = client.post(
        f"{prefix}/signalen/uitslag/",
        {"audience": audience, "sector": "", "signals": codes, "minor": "unknown", "acute": "no"},
    ).content.decode()
    carried = {
        "from_check": "1",
        "check_audience": audience,
        "check_signals": re.findall(r'name="check_signals" value="(\w+)"', result),
        "check_forms": re.findall(r'name="check_forms" value="(\w+)"', result),
        "check_acute": "no",
    }
    return client.post(f"{prefix}/melden/", carried).content.decode()


def test_the_report_form_speaks_to_you_as_the_check_did(client, catalogue) -> None:
    page = ticked_on_the_report_form(client, "victim", ["G1", "G6"])
    assert "Je wordt gedwongen seks te hebben tegen je zin" in page
    assert "hij/zij" not in page and "gedwongen wordt seks" not in page
    english = ticked_on_the_report_form(client, "victim", ["G1"], prefix="/en")
    assert "You are forced to have sex against your will" in english


def test_the_report_form_speaks_about_the_other_person_as_the_check_did(client, catalogue) -> None:
    page = ticked_on_the_report_form(client, "concerned", ["G1", "G6"])
    assert "hij/zij" not in page and "zijn/haar" not in page
    question = Indicator.objects.get(code="G1").they_nl
    assert question and question in page


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_result_names_the_legal_elements_in_plain_words(client, catalogue, audience) -> None:
    codes = ["G1", "G6", "G12", "V8"]
    page = client.post(
        "/signalen/uitslag/",
        {"audience": audience, "sector": "", "signals": codes, "minor": "unknown", "acute": "no"},
    ).content.decode()
    for jargon in ["Oogmerk", "Middel (", "Handeling (", "hij/zij"]:
        assert jargon not in page, jargon


def test_the_last_questions_ask_about_you_when_you_are_worried_about_yourself(client, catalogue) -> None:
    yourself = walk(client, "victim")[-1].content.decode()
    other = walk(client, "concerned")[-1].content.decode()
    assert "Ben je jonger dan 18?" in yourself and "de persoon om wie het gaat" not in yourself
    assert "Is de persoon om wie het gaat jonger dan 18?" in other


def test_each_publisher_is_named_once_on_a_page(client, catalogue) -> None:
    for step in check_steps("concerned"):
        publishers = [publisher for publisher, _url in step.sources]
        assert len(publishers) == len(set(publishers)), step.key


def test_the_checks_wording_keeps_the_register_and_words_of_the_public_side(catalogue) -> None:
    """The signals the check asks read like the pages around them (docs/translations.md): formal in Polish, Romanian,
    Bulgarian and Ukrainian, without a form for one gender only, ș and ț with a comma below."""
    from tests.test_terms import BG_INFORMAL, PL_INFORMAL, PL_ONE_GENDER, RO_INFORMAL, UK_INFORMAL

    rules = {
        "pl": [PL_INFORMAL, PL_ONE_GENDER, r"\w\((-?a|-?ła)\)"],
        "ro": [RO_INFORMAL, r"[şţŞŢ]"],
        "bg": [BG_INFORMAL],
        "uk": [UK_INFORMAL, r"сигнал"],
    }
    wrong = []
    for question in Indicator.objects.exclude(check_step=""):
        for language, patterns in rules.items():
            for text in [getattr(question, f"you_{language}"), getattr(question, f"they_{language}")]:
                wrong += [(question.code, language, text) for p in patterns if re.search(p, text, re.IGNORECASE)]
    assert wrong == []
