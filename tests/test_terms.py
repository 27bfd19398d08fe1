"""The visitors' languages keep their glossary (docs/translations.md): one register, one word per concept.

A worried reader who meets "message" and "report" as the same word, or is addressed as a friend in one
sentence and as a stranger in the next, stops trusting the page. These checks read every translated text
of the public side: the catalogues and the knowledge pages.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
PAGES = Path(settings.BASE_DIR) / "kenniscentrum" / "knowledge" / "pages"


def texts(language: str, *, pages: bool = True) -> list[tuple[str, str]]:
    """(English msgid or page name, translated text) for every public text in the language."""
    po = polib.pofile(str(LOCALE / f"{language}/LC_MESSAGES/django.po"))
    pairs = []
    for entry in po.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        pairs += [(entry.msgid, t) for t in translations]
    if pages:
        pairs += [(f"page {page.parent.name}", page.read_text()) for page in sorted(PAGES.glob(f"*/{language}.md"))]
    return pairs


def offending(language: str, pattern: str, *, unless_english: str | None = None, case: bool = False) -> list[str]:
    found = re.compile(pattern, 0 if case else re.IGNORECASE)
    excused = re.compile(unless_english, re.IGNORECASE) if unless_english else None
    return [
        english[:60] + " -> " + found.search(text).group(0)  # type: ignore[union-attr]
        for english, text in texts(language)
        if found.search(text) and not (excused and excused.search(english))
    ]


# Ukrainian: formal "ви" (lower case) everywhere; "звернення" is a report, "повідомлення" only a message.
UK_INFORMAL = r"(?<![\w'])(ти|тебе|тобі|тобою|твій|твоя|твоє|твої|твого|твоєї|твоєму|твоїм|твоїх|твоєю)(?![\w'])"
UK_CAPITAL = r"(?<=[\w,;:] )(Ви|Вас|Вам|Ваш\w*)(?!\w)"  # a capital only where a sentence starts


def test_ukrainian_addresses_the_reader_formally_and_consistently() -> None:
    assert offending("uk", UK_INFORMAL) == []
    assert offending("uk", UK_CAPITAL, case=True) == []


def test_ukrainian_says_right_now_as_people_say_it() -> None:
    assert offending("uk", r"просто зараз") == []


def test_ukrainian_keeps_message_and_report_apart() -> None:
    # "повідомлення" is what the reader receives or writes back (a message, a voicemail), never the report.
    assert offending("uk", r"повідомлен", unless_english=r"message|voicemail|notice|notif") == []
    assert offending("uk", r"звернен") != []


def test_ukrainian_names_the_receipt_code_one_way() -> None:
    uses = [text for english, text in texts("uk", pages=False) if re.search(r"receipt code", english, re.I)]
    assert uses and all(re.search(r"код\w* звернення", text, re.I) for text in uses)
    assert offending("uk", r"код\w* підтвердження") == []


# Polish: impersonal or "Pan/Pani" forms, never "ty"; gender-neutral, never one form for one sex only.
PL_INFORMAL = (
    r"(?<!\w)(twój|twoja|twoje|twojego|twojej|twoim|twoich|twoją|ciebie|cię|tobą|tobie"
    r"|jesteś|wiesz|masz|możesz|chcesz|musisz)(?!\w)"
)
PL_ONE_GENDER = r"(?<!\w)(profesjonalistą|profesjonalista|zgłaszający|zgłaszającego|zgłaszającemu)(?!\w)"


def test_polish_does_not_address_the_reader_as_ty() -> None:
    assert offending("pl", PL_INFORMAL) == []


def test_polish_does_not_translate_word_for_word() -> None:
    assert offending("pl", r"przejdź przez sygnały|pomoc, aby przestać") == []


def test_polish_wording_is_not_for_one_gender_only() -> None:
    # "zalogowany(-a)" and "wprowadził(a)" read as an afterthought for women; say it without a gender.
    assert offending("pl", r"\w\((-?a|-?ła)\)") == []
    assert offending("pl", PL_ONE_GENDER) == []


# Romanian: "dumneavoastră" throughout, and ș/ț with a comma below.
RO_INFORMAL = r"(?<!\w)(tu|tău|tale|tine|ești|îți|ți|poți|știi|vrei|ai văzut|ai scris|ai ales)(?!\w)"


def test_romanian_addresses_the_reader_formally() -> None:
    assert offending("ro", RO_INFORMAL) == []


def test_romanian_writes_s_and_t_with_a_comma_below() -> None:
    assert offending("ro", r"[şţŞŢ]") == []


# Bulgarian: formal "вие" (lower case); "сигнал" is the report, "признак" the sign in the check.
BG_INFORMAL = r"(?<!\w)(ти|теб|тебе|твой|твоя|твое|твоите|твоят|имаш|можеш|искаш)(?!\w)"
BG_CAPITAL = r"(?<=[\w,;:] )(Вие|Ви|Вас|Ваш\w*)(?!\w)"  # a capital only where a sentence starts


def test_bulgarian_addresses_the_reader_formally_and_consistently() -> None:
    assert offending("bg", BG_INFORMAL) == []
    assert offending("bg", BG_CAPITAL, case=True) == []


def test_bulgarian_keeps_the_report_and_the_signs_apart() -> None:
    # "подайте сигнал" is how Bulgarians report to an authority, so a sign of trafficking is "признак".
    signs = [text for english, text in texts("bg", pages=False) if re.search(r"\bsignals?\b", english)]
    assert signs and all(re.search(r"призна[кц]", text, re.I) for text in signs)


# A possessive may stand between the words: "codul meu de confirmare", "кода ви за потвърждение".
@pytest.mark.parametrize(
    ("language", "term"),
    [("pl", r"kod\w* potwierdzenia"), ("ro", r"cod\w*( \w+)? de confirmare"), ("bg", r"код\w*( \w+)? за потвърждение")],
)
def test_the_receipt_code_has_one_name(language: str, term: str) -> None:
    uses = [text for english, text in texts(language, pages=False) if re.search(r"receipt code", english, re.I)]
    assert uses and all(re.search(term, text, re.I) for text in uses)
