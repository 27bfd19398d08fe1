"""What a visitor reads when a public form refuses what they sent: one clear sentence per problem, in the
project's words and the visitor's language, each linked to its question; nothing said twice."""

import html
import re
from functools import cache
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kenniscentrum.reports.models import Report
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def prefix(language: str) -> str:
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


def token(client: Client, language: str = "nl") -> str:
    return client.get(f"{prefix(language)}/melden/").context["form"].initial["token"]


def management(name: str, total: int) -> dict[str, str]:
    return {f"{name}-TOTAL_FORMS": str(total), f"{name}-INITIAL_FORMS": "0", f"{name}-MIN_NUM_FORMS": "0",
            f"{name}-MAX_NUM_FORMS": "1000"}  # fmt: skip


def summary_entries(page: str) -> list[str]:
    """The items of the error summary, as HTML."""
    start = page.index('id="error-summary"')
    block = page[start : page.index("</ul>", start)]
    return re.findall(r"<li>(.*?)</li>", block, re.S)


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def error_texts(page: str) -> list[str]:
    """Every error message on the page: the summary's items and the messages at the fields and formsets."""
    found = [text(entry) for entry in summary_entries(page)] if 'id="error-summary"' in page else []
    for block in re.findall(r'<div class="error"[^>]*>(.*?)</div>', page, re.S):
        found += [text(p) for p in re.findall(r"<p>(.*?)</p>", block, re.S)]
    found += [text(p) for p in re.findall(r'<p class="error">(.*?)</p>', page, re.S)]
    return found


# --- the error summary --------------------------------------------------------------------------------------


def test_each_entry_of_the_error_summary_is_a_sentence_that_links_to_its_question(client, region) -> None:
    response = client.post("/melden/", {"token": token(client), **management("persons", 2)})
    page = response.content.decode()
    entries = summary_entries(page)
    assert len(entries) >= 3  # the danger question, who you are, what happened
    for entry in entries:
        assert "?:" not in text(entry), entry  # "Wie ben je?: Kies wie je bent" read as no sentence
        target = re.fullmatch(r'<a href="#([\w-]+)">(.+)</a>', entry.strip(), re.S)
        assert target, f"not linked to its question: {entry}"
        # The link leads to something that takes the keyboard: the first answer of a question with options.
        assert re.search(rf'<(input|textarea|select)\b[^>]*\bid="{target.group(1)}"', page), entry
        assert text(target.group(2)).endswith("."), entry
    assert "Geef aan of iemand nu in gevaar is." in [text(entry) for entry in entries]


def test_a_problem_with_a_described_person_is_named_and_linked_in_the_summary(client, region) -> None:
    data = {"token": token(client), **management("persons", 2), "persons-0-description": "x" * 301}
    entries = summary_entries(client.post("/melden/", data).content.decode())
    assert any('href="#id_persons-0-description"' in entry for entry in entries), entries


# --- one message per problem --------------------------------------------------------------------------------


def report(client: Client, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "token": token(client),
        "acute_danger": "no",
        "reporter_role": "concerned",
        "description": "Mijn buurman werkt zeven dagen per week en woont in de loods.",
        "ongoing": "yes",
        "contact_preference": "anonymous",
        "consent_share_identity": "no",
        **management("persons", 2),
        "persons-0-role": "other",
        "persons-1-role": "other",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("number", ["abc", "06-1234", "+31 6 1234 5678 9012 3456 7890"])
def test_a_bad_phone_number_gets_one_message(client, region, number) -> None:
    response = client.post("/melden/", report(client, contact_preference="phone", reporter_phone=number))
    assert list(response.context["form"].errors) == ["reporter_phone"]
    assert len(response.context["form"].errors["reporter_phone"]) == 1
    assert response.context["form"]["reporter_phone"].value() == number  # kept as typed


def test_a_bad_email_address_gets_one_message(client, region) -> None:
    response = client.post("/melden/", report(client, contact_preference="email", reporter_email="jan@"))
    assert len(response.context["form"].errors["reporter_email"]) == 1


def photo() -> SimpleUploadedFile:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, format="PNG")
    return SimpleUploadedFile("foto.png", out.getvalue(), content_type="image/png")


@pytest.mark.parametrize(
    "mistake",
    [{"description": ""}, {"persons-0-description": "x" * 301}, {"persons-0-role": "boss"}],
    ids=["in the form", "in a person only", "a person's role"],
)
def test_choose_your_files_again_is_said_once(client, region, mistake) -> None:
    page = client.post("/melden/", report(client, attachments=photo(), **mistake)).content.decode()
    assert text(page).count("opnieuw") == 1, [t for t in text(page).split(".") if "opnieuw" in t]


# --- the persons on the form agree with its help text -------------------------------------------------------


def person_rows(page: str) -> int:
    return len(re.findall(r"<legend>Persoon \d+</legend>", page))


@pytest.mark.parametrize("button", [{"more_details": "1"}, {"_language": "nl"}], ids=["room for more", "language"])
def test_the_form_never_offers_more_people_than_its_help_says(client, region, button) -> None:
    page = client.get("/melden/").content.decode()
    assert "Beschrijf hier hoogstens twee personen" in page and person_rows(page) == 2
    typed = report(client, **{"persons-0-description": "Marek", "persons-1-description": "Ana"}, **button)
    assert person_rows(client.post("/melden/", typed).content.decode()) == 2
    typed = report(client, **{"persons-0-description": "Marek"}, **button)
    assert person_rows(client.post("/melden/", typed).content.decode()) == 2


def test_a_third_person_sent_anyway_is_refused_with_a_message_and_nothing_is_stored(client, region) -> None:
    data = report(client, **management("persons", 3), **{"persons-2-description": "Derde", "persons-2-role": "other"})
    response = client.post("/melden/", data)
    assert not Report.objects.exists()
    assert response.context["persons"].non_form_errors()
    assert person_rows(response.content.decode()) == 2


# --- no message of Django's own in any public form, in any language -----------------------------------------


def lazy_ids(message: object) -> list[str]:
    """The English message id(s) behind one of Django's lazy messages (singular and plural)."""
    kw = getattr(message, "_kw", {}) or {}
    args = getattr(message, "_args", ()) or ()
    return [str(text) for text in [*args, kw.get("singular"), kw.get("plural")] if isinstance(text, str)]


def django_message_ids() -> set[str]:
    """Every message of Django's form fields, formsets and validators, as its English message id."""
    import inspect

    from django import forms
    from django.core import validators

    ids: set[str] = set()
    classes = [c for module in (forms.fields, forms.models, forms.formsets) for _n, c in inspect.getmembers(module)]
    for cls in classes:
        for message in getattr(cls, "default_error_messages", {}).values() if inspect.isclass(cls) else []:
            ids.update(lazy_ids(message))
    for _name, value in inspect.getmembers(validators):
        messages = getattr(value, "messages", None)
        for message in [getattr(value, "message", None), *(messages.values() if isinstance(messages, dict) else [])]:
            ids.update(lazy_ids(message))
    return ids


@cache
def django_messages() -> list[re.Pattern[str]]:
    """Django's own error messages, in English and in Django's catalogue of every language of the site, as patterns
    (a placeholder matches any text)."""
    ids = django_message_ids()
    texts = set(ids)
    for language in LANGUAGES:
        path = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(path)):
            if entry.msgid in ids:
                texts |= {entry.msgstr, *entry.msgstr_plural.values()}
    patterns = []
    for message in texts - {""}:
        literals = re.split(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}", message)
        patterns.append(re.compile(".+?".join(re.escape(part) for part in literals)))
    return patterns


def djangos(messages: list[str]) -> list[str]:
    return [message for message in messages if any(pattern.search(message) for pattern in django_messages())]


def every_wrong_answer(client: Client, language: str) -> dict[str, object]:
    """The report form with every answer wrong in a way a field can tell."""
    empty = SimpleUploadedFile("leeg.pdf", b"", content_type="application/pdf")
    return {
        "token": token(client, language),
        "acute_danger": "maybe",
        "reporter_role": "king",
        "description": "x" * 10_001,
        "suspected_forms": ["dancing"],
        "municipality": "abc",
        "residence_municipality": "999999",
        "place": "a\x00b",
        "when_text": "x" * 201,
        "ongoing": "always",
        "attachments": empty,
        "contact_preference": "pigeon",
        "reporter_name": "x" * 201,
        "reporter_phone": "bel me",
        "reporter_email": "jan@",
        "contact_safety_note": "x" * 501,
        "email_notice": "perhaps",
        "consent_share_identity": "later",
        **management("persons", 2),
        "persons-0-description": "x" * 301,
        "persons-0-role": "boss",
        "persons-0-age": "x" * 31,
        "persons-1-role": "",
        **management("details", 2),
        "details-0-kind": "horoscope",
        "details-0-value": "Ram",
        "details-1-kind": "phone",
        "details-1-value": "x" * 301,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_form_answers_with_a_message_of_djangos_own(client, region, language) -> None:
    at = prefix(language)
    pages = {
        "report, empty": client.post(f"{at}/melden/", {}),
        "report, all wrong": client.post(f"{at}/melden/", every_wrong_answer(client, language)),
        "report, too many persons": client.post(
            f"{at}/melden/", report(client, **management("persons", 11), **management("details", 21))
        ),
        "receipt code, empty": client.post(f"{at}/volgen/", {"code": ""}),
        "receipt code, too long": client.post(f"{at}/volgen/", {"code": "7KQ2" * 11, "reply": "x" * 5001}),
    }
    reporter = Client()
    reporter.post("/volgen/", {"code": submit_report().code})
    pages["message, empty"] = reporter.post(f"{at}/volgen/bericht/", {"body": " "})
    pages["message, too long"] = reporter.post(f"{at}/volgen/bericht/", {"body": "x" * 5001})
    pages["message, null"] = reporter.post(f"{at}/volgen/bericht/", {"body": "a\x00b"})
    leaks = {}
    for name, response in pages.items():
        messages = error_texts(response.content.decode())
        assert messages, f"{name}: no error shown"
        if found := djangos(messages):
            leaks[name] = found
    assert not leaks


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_signals_check_answers_with_no_message_of_djangos_own(client, region, language) -> None:
    response = client.post(f"{prefix(language)}/signalen/vragen/", {"audience": "alien", "sector": "spy"})
    messages = error_texts(response.content.decode())
    assert messages and not djangos(messages)


def test_the_check_for_djangos_messages_finds_them() -> None:
    """The test above would see a message of Django's, in English and translated, and not the project's own."""
    assert djangos(["Ensure this value has at most 200 characters (it has 201)."])
    assert djangos(["Voer een geldig e-mailadres in."])
    assert djangos(["Te polje jest wymagane.", "To pole jest wymagane."])
    assert not djangos(["Vertel ons wat er is gebeurd."])


def test_a_detail_that_is_not_recognised_says_what_to_do_and_not_that_it_was_kept(client, region) -> None:
    data = report(client, **management("details", 1), **{"details-0-kind": "phone", "details-0-value": "bel me"})
    page = client.post("/melden/", data).content.decode()
    assert not Report.objects.exists()
    messages = [message for message in error_texts(page) if "telefoonnummer" in message]
    assert messages and all("bewaard als tekst" not in message for message in messages)  # it is not, yet
    assert "Bewaar het zoals ik het typte" in messages[0]
