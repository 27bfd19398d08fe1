"""Staff intake of a report heard by phone, e-mail, walk-in or from a partner: in the reporter's language, and in
staff wording (about the reporter, in the third person)."""

import re

import pytest

from kenniscentrum.reports.models import Report, StandardReply
from tests.reports.test_standard_replies import TEXTS

pytestmark = pytest.mark.django_db

INTAKE = "/medewerkers/meldingen/nieuw/"


def intake_data(client, **changes: str) -> dict[str, str]:
    """A phone report as a worker fills it in after the call."""
    token = client.get(INTAKE).context["form"].initial["token"]
    data = {
        "token": token,
        "channel": "phone",
        "received_at": "2026-03-01T14:30",
        "language": "pl",
        "acute_danger": "no",
        "reporter_role": "victim",
        "description": "Belt namens zichzelf: werkt in een kas, de baas houdt haar paspoort.",
        "contact_preference": "anonymous",
        "consent_share_identity": "no",
        "ongoing": "yes",
        "persons-TOTAL_FORMS": "0",
        "persons-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_reporters_language_is_recorded_at_intake(intake_client, region) -> None:
    response = intake_client.post(INTAKE, intake_data(intake_client))
    assert response.status_code == 200
    assert Report.objects.get().language == "pl"
    page = intake_client.get(f"/medewerkers/meldingen/{Report.objects.get().pk}/").content.decode()
    assert "<dd>Pools</dd>" in page


def test_a_language_that_is_not_offered_is_refused_and_what_was_typed_stays(intake_client, region) -> None:
    response = intake_client.post(INTAKE, intake_data(intake_client, language="xx"))
    assert response.status_code == 200 and not Report.objects.exists()
    assert "language" in response.context["form"].errors
    assert "de baas houdt haar paspoort" in response.content.decode()


def test_the_language_asked_is_the_reporters_not_the_workers(intake_client, region) -> None:
    """Without a choice nothing is assumed from the worker's own screen language: the worker must choose."""
    response = intake_client.post(INTAKE, intake_data(intake_client, language=""))
    assert "language" in response.context["form"].errors and not Report.objects.exists()
    choices = dict(response.context["form"].fields["language"].choices)
    assert {"nl", "en", "pl", "ro", "bg", "uk"} <= set(choices)


# Words that speak to the reporter or as the reporter, per staff language.
SPOKEN_TO_OR_AS_REPORTER = {
    "": re.compile(r"\b(je|jij|jou|jouw|jezelf|u|uw|ik|mij|mijn)\b", re.I),
    "/en": re.compile(r"\b(you|your|yourself|I|me|my)\b"),
}


def form_texts(html: str) -> list[str]:
    """The words the worker reads on the form: labels, legends, help, choices and error messages."""
    form = html.split('<form method="post" enctype="multipart/form-data"', 1)[1].split("</form>", 1)[0]
    form = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", form, flags=re.S)
    form = re.sub(r'<textarea[^>]*>.*?</textarea>|value="[^"]*"', " ", form, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", form)
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_intake_form_speaks_about_the_reporter_in_the_third_person(intake_client, region, prefix) -> None:
    blank = intake_client.get(prefix + INTAKE).content.decode()
    refused = intake_client.post(
        prefix + INTAKE,
        intake_data(
            intake_client,
            description="",
            reporter_role="",
            acute_danger="",
            contact_preference="phone",
            **{
                "persons-TOTAL_FORMS": "2",
                "details-TOTAL_FORMS": "1",
                "details-INITIAL_FORMS": "0",
                "details-0-kind": "phone",
                "details-0-value": "12",
            },
        ),  # fmt: skip
    ).content.decode()
    assert "details-0-value" in refused and not Report.objects.exists()
    for page in (blank, refused):
        assert len(form_texts(page)) > 60  # the intake form itself, not the logout button
        spoken_to = [line for line in form_texts(page) if SPOKEN_TO_OR_AS_REPORTER[prefix].search(line)]
        assert spoken_to == [], spoken_to
    if not prefix:
        assert "Schrijf op wat de melder vertelde." in refused


def test_a_standard_reply_in_the_reporters_language_shows_the_dutch_text_beside_it(intake_client, region) -> None:
    reply = StandardReply.objects.create(title="Waar gebeurt het?", texts=TEXTS)
    intake_client.post(INTAKE, intake_data(intake_client))
    report = Report.objects.get()
    page = intake_client.get(f"/medewerkers/meldingen/{report.pk}/", {"standaard": reply.pk}).content.decode()
    question = page.split('id="action-ask_reporter"')[1].split("</form>")[0]
    assert TEXTS["pl"] in question  # what is sent, to read and change
    assert TEXTS["nl"] in question  # what it says, for a worker who does not read Polish
    # In English the worker sees the English text beside it.
    page = intake_client.get(f"/en/medewerkers/meldingen/{report.pk}/", {"standaard": reply.pk}).content.decode()
    question = page.split('id="action-ask_reporter"')[1].split("</form>")[0]
    assert TEXTS["pl"] in question and TEXTS["en"] in question and TEXTS["nl"] not in question


def test_a_reply_in_the_staff_language_is_not_shown_twice(intake_client, region) -> None:
    reply = StandardReply.objects.create(title="Waar gebeurt het?", texts=TEXTS)
    intake_client.post(INTAKE, intake_data(intake_client, language="nl"))
    report = Report.objects.get()
    page = intake_client.get(f"/medewerkers/meldingen/{report.pk}/", {"standaard": reply.pk}).content.decode()
    assert TEXTS["nl"] in page and "translation-check" not in page
