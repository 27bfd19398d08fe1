"""The indicator catalogue: every published signal with its source, and nothing invented."""

import hashlib
import importlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.indicators.models import Audience, CheckStep, Indicator, IndicatorList, LegalElement
from kenniscentrum.lib.vocabulary import ExploitationForm
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "kenniscentrum" / "indicators" / "data" / "indicators.json"
# The domain reference the published texts were checked against (docs/sources.md says what it holds). It lies
# beside a developer's checkout, not in the repository; the fingerprint below carries the check into every run.
REFERENCE = Path(settings.BASE_DIR).parent / "shared" / "domain" / "REFERENCE.md"
CHECKED = Path(__file__).with_name("published_texts.sha256")


@pytest.fixture
def catalogue() -> None:
    call_command("load_indicators", stdout=StringIO())


def test_every_list_is_loaded_with_all_its_codes(catalogue) -> None:
    expected = {
        "general": [f"G{i}" for i in range(1, 15)],
        "labour_nla": [f"A{i}" for i in range(1, 13)],
        "sexual_zeeland": [f"S{i}" for i in range(1, 30)],
        "youth_school": [f"Y{i}" for i in range(1, 30)],
        "twente_environment": [f"T{i}" for i in range(1, 13)],
        "criminal_vt_utrecht": [f"C{i}" for i in range(1, 6)],
        "ilo_forced_labour": [f"ILO{i}" for i in range(1, 12)],
    }
    for key, codes in expected.items():
        assert list(Indicator.objects.filter(indicator_list__key=key).values_list("code", flat=True)) == codes
    assert Indicator.objects.count() == 120


def test_truncated_lists_and_texts_stay_marked(catalogue) -> None:
    truncated_lists = set(IndicatorList.objects.filter(truncated=True).values_list("key", flat=True))
    assert truncated_lists == {"sexual_zeeland", "youth_school", "twente_environment", "criminal_vt_utrecht"}
    assert set(Indicator.objects.filter(truncated=True).values_list("code", flat=True)) == {"S29", "Y29", "T12", "C5"}


def test_every_indicator_is_complete_and_uses_known_values(catalogue) -> None:
    for indicator in Indicator.objects.select_related("indicator_list"):
        assert indicator.text_nl and indicator.text_en, indicator.code
        assert indicator.forms and set(indicator.forms) <= set(ExploitationForm.values), indicator.code
        assert indicator.audiences and set(indicator.audiences) <= set(Audience.values), indicator.code
        assert indicator.element in LegalElement.values, indicator.code
        assert indicator.indicator_list.source


def test_the_ilo_indicators_bear_on_means_or_purpose(catalogue) -> None:
    elements = dict(Indicator.objects.filter(code__startswith="ILO").values_list("code", "element"))
    assert elements["ILO2"] == LegalElement.MEANS  # deception
    assert elements["ILO8"] == LegalElement.PURPOSE  # withholding of wages


def published_texts() -> list[tuple[str, str]]:
    """(code, Dutch text) of every signal quoted from a published list (not those in the project's own words)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return [(i["code"], i["nl"]) for lst in data["lists"] if not lst.get("own_words") for i in lst["indicators"]]


def fingerprint(texts: list[tuple[str, str]]) -> str:
    return hashlib.sha256(json.dumps(sorted(texts), ensure_ascii=False).encode()).hexdigest()


def test_nothing_is_invented_every_dutch_text_is_as_published() -> None:
    """Every quoted signal is word for word in the domain reference. Where the reference is at hand the texts are
    checked against it and the fingerprint must be the one recorded; elsewhere (CI) the fingerprint proves the texts
    are still the ones checked. Changing a quoted text fails here until someone checks it against the reference and
    records the new fingerprint (`published_texts.sha256`)."""
    texts = published_texts()
    if REFERENCE.exists():
        reference = REFERENCE.read_text(encoding="utf-8")
        for code, text in texts:
            assert text.rstrip(" …") in reference, code
            assert f"| {code} |" in reference, code
    assert fingerprint(texts) == CHECKED.read_text(encoding="utf-8").split()[0]


def test_signals_in_the_projects_own_words_each_name_their_public_source() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    own = [i for lst in data["lists"] if lst.get("own_words") for i in lst["indicators"]]
    assert own and all(item["publisher"] for item in own)


def test_loading_twice_changes_nothing(catalogue) -> None:
    before = list(Indicator.objects.values_list("pk", "code", "text_nl"))
    call_command("load_indicators", stdout=StringIO())
    assert list(Indicator.objects.values_list("pk", "code", "text_nl")) == before


def test_the_text_follows_the_language(catalogue) -> None:
    indicator = Indicator.objects.get(code="G6")
    with translation.override("en"):
        assert indicator.text == "no access to own passport"
    with translation.override("nl"):
        assert "paspoort" in indicator.text


def test_a_functional_admin_edits_an_indicator_and_it_is_audited(catalogue, admin_user) -> None:
    indicator = Indicator.objects.get(code="G6")
    client = logged_in(admin_user)
    page = client.get(f"/beheer/indicators/indicator/{indicator.pk}/change/")
    assert page.status_code == 200
    response = client.post(
        f"/beheer/indicators/indicator/{indicator.pk}/change/",
        {
            "indicator_list": indicator.indicator_list_id,
            "code": "G6",
            "text_nl": indicator.text_nl,
            "text_en": indicator.text_en,
            "forms": ["labour", "sexual"],
            "element": "means",
            "audiences": ["professional"],
            "active": "on",
            "order": indicator.order,
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (sorted(indicator.forms), indicator.audiences) == (["labour", "sexual"], ["professional"])
    assert AuditEvent.objects.filter(action=Action.ADMIN_CHANGE, object_id=str(indicator.pk)).exists()


def test_the_short_check_is_data_with_a_reason_for_every_signal() -> None:
    """The check's short set is chosen in the data file (issue 26, finding 7): each signal names its page and why it
    was kept; a near-duplicate is asked as a signal that is in the set; each is worded for everyone it is asked of."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    items = {i["code"]: i for lst in data["lists"] for i in lst["indicators"]}
    asked = {code: item for code, item in items.items() if "check" in item}
    assert asked
    for code, item in asked.items():
        assert item["check"]["step"] in CheckStep.values and len(item["check"]["why"]) > 40, code
        assert not item["truncated"] and "asked_as" not in item and "same_as" not in item, code
        for language in ["nl", "en", "pl", "ro", "bg", "uk"]:
            if "victim" in item["audiences"]:
                assert item["you"][language], (code, language)
            if {"concerned", "professional"} & set(item["audiences"]):
                assert item["they"][language], (code, language)
    for code, item in items.items():
        if "asked_as" in item:
            assert item["asked_as"] in asked and "check" not in item, code


def test_an_existing_catalogue_gets_the_short_check_when_it_migrates(catalogue) -> None:
    """A database loaded before the short check had no set: `migrate` gives it the set, the wording and the merges,
    and leaves an administrator's edit of another signal alone."""
    from django.apps import apps

    migration = importlib.import_module("kenniscentrum.indicators.migrations.0006_short_check_and_plain_questions")
    Indicator.objects.update(check_step="", asked_as=None, they_nl="", they_en="")
    Indicator.objects.filter(code="T1").update(text_pl="edited by an administrator")
    migration.short_check(apps, None)
    assert set(Indicator.objects.exclude(check_step="").values_list("code", flat=True)) >= {"G1", "G8", "V5", "S18"}
    assert Indicator.objects.get(code="G14").asked_as.code == "G8"
    assert Indicator.objects.get(code="G1").they_nl.startswith("Wordt gedwongen")
    assert Indicator.objects.get(code="T1").text_pl == "edited by an administrator"
