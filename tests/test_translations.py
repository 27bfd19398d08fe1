"""Every language is complete: each text has a translation, compiled and up to date.

Dutch and English (the staff languages) cover every text. Polish, Romanian, Bulgarian and Ukrainian
cover every text of the public side: `manage.py catalogues` builds their catalogues from the public
sources only.
"""

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings

from kenniscentrum.lib.management.commands.catalogues import catalogues_make, visitor_languages

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["nl", *visitor_languages()]  # English texts are the msgids themselves
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / f"{language}/LC_MESSAGES/django.po"))


def test_the_visitors_languages_are_there_and_staff_work_in_dutch_or_english() -> None:
    assert visitor_languages() == ["pl", "ro", "bg", "uk"]
    assert settings.STAFF_LANGUAGES == ["nl", "en"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_catalogue_has_an_empty_or_fuzzy_entry(language: str) -> None:
    po = catalogue(language)
    assert len(po) > 300
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language: str) -> None:
    wrong = []
    for entry in catalogue(language).translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        wrong += [
            entry.msgid for t in translations if set(PLACEHOLDER.findall(t)) != set(PLACEHOLDER.findall(entry.msgid))
        ]
    assert wrong == []


def test_the_public_catalogues_hold_the_same_texts() -> None:
    texts = {language: {e.msgid for e in catalogue(language)} for language in visitor_languages()}
    assert len({frozenset(t) for t in texts.values()}) == 1
    assert texts["pl"] <= {e.msgid for e in catalogue("nl")}


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / f"{language}/LC_MESSAGES/django.mo"))
    compiled = {e.msgid: e.msgstr for e in mo if not e.msgid_plural}
    translated = {e.msgid: e.msgstr for e in po.translated_entries() if not e.msgid_plural}
    assert compiled == translated, f"run `make messages` to compile the {language} catalogue"


def test_every_text_in_the_code_is_in_the_catalogues(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext is missing; .ci/run installs it")
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    before = {language: {e.msgid for e in catalogue(language)} for language in ("nl", "pl")}
    backup = tmp_path / "locale"
    shutil.copytree(LOCALE, backup)
    try:
        catalogues_make()
        after = {language: {e.msgid for e in catalogue(language) if not e.obsolete} for language in ("nl", "pl")}
    finally:
        shutil.rmtree(LOCALE)
        shutil.copytree(backup, LOCALE)
    assert after["nl"] - before["nl"] == set(), "new texts without a translation: run `make messages`"
    assert after["pl"] - before["pl"] == set(), "new public texts without a translation: run `make messages`"


# The admin's two titles are the only English texts worded differently from their msgid (Django's own strings).
ENGLISH_REWORDED = {"Django site admin", "Django administration"}


def test_an_english_text_is_shown_as_written() -> None:
    """English is the language of the msgids: a filled-in English msgstr that differs from its msgid is a text from
    another entry, left by a merge of catalogues, and the page would show it instead of what the code says."""
    wrong = [
        (entry.msgid, entry.msgstr)
        for entry in catalogue("en")
        if entry.msgstr and entry.msgstr != entry.msgid and entry.msgid not in ENGLISH_REWORDED
    ]
    assert wrong == []
