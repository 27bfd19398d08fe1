"""Dutch is complete: every interface text has a Dutch translation, compiled and up to date."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_the_dutch_catalogue_has_no_empty_or_fuzzy_entry() -> None:
    po = polib.pofile(str(LOCALE / "nl/LC_MESSAGES/django.po"))
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_its_source() -> None:
    for language in ("nl", "en"):
        po = polib.pofile(str(LOCALE / f"{language}/LC_MESSAGES/django.po"))
        mo = polib.mofile(str(LOCALE / f"{language}/LC_MESSAGES/django.mo"))
        compiled = {e.msgid: e.msgstr for e in mo if not e.msgid_plural}
        translated = {e.msgid: e.msgstr for e in po.translated_entries() if not e.msgid_plural}
        assert compiled == translated, f"run `make messages` to compile the {language} catalogue"


def test_every_text_in_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext is missing; .ci/run installs it")
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    before = {e.msgid for e in polib.pofile(str(LOCALE / "nl/LC_MESSAGES/django.po"))}
    backup = tmp_path / "locale"
    shutil.copytree(LOCALE, backup)
    try:
        call_command(
            "makemessages",
            locale=["nl"],
            ignore_patterns=[".venv/*", "tests/*"],
            no_location=True,
            verbosity=0,
        )
        after = {e.msgid for e in polib.pofile(str(LOCALE / "nl/LC_MESSAGES/django.po")) if not e.obsolete}
    finally:
        shutil.rmtree(LOCALE)
        shutil.copytree(backup, LOCALE)
    assert after - before == set(), "new texts without a Dutch translation: run `make messages` and translate them"
