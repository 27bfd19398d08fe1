"""One true statement about who reads a report (issue 10, item 3), and the privacy statement's facts (item 7)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from kenniscentrum.accounts.models import Role
from kenniscentrum.organisations.models import OrganisationType
from kenniscentrum.reports.readers import ROLE_FOR_VISITORS, who_reads_report
from tests.conftest import make_user, region_file_changed

LANGUAGES = ["nl", "en", "pl", "ro", "bg", "uk"]
# Every public page that tells a visitor who reads a report.
PAGES_THAT_SAY_WHO_READS = [
    "/",
    "/informatie/na-je-melding/",
    "/informatie/privacy/",
    "/informatie/hulp-om-te-stoppen/",
]
# What the pages used to say, and contradicted the code with: a screening team of several organisations, "a
# small team", "the people in our team".
CONTRADICTIONS = [
    "screening", "small team", "klein team", "zespół oceniający", "echipă de evaluare", "екип за оценка",
    "команда з оцінювання", "people in our team", "mensen in ons team",
]  # fmt: skip


def address(language: str, path: str) -> str:
    return path if language == "nl" else f"/{language}{path}"


def test_the_statement_names_exactly_the_roles_the_access_rules_let_read_reports(region) -> None:
    statement = str(who_reads_report())
    for role in Role:
        user = make_user(f"user-{role}", role, OrganisationType.KNOWLEDGE_CENTRE)
        named = role in ROLE_FOR_VISITORS and str(ROLE_FOR_VISITORS[role]) in statement
        assert named == user.handles_reports_and_cases, role


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_that_says_who_reads_a_report_shows_the_one_statement(client, region, language) -> None:
    with translation.override(language):
        statement = str(who_reads_report())
    for path in PAGES_THAT_SAY_WHO_READS:
        page = client.get(address(language, path)).content.decode()
        assert page.count('data-statement="who-reads"') == 1, path
        assert statement in page, path
    for path in [*PAGES_THAT_SAY_WHO_READS, "/informatie/wat-is-mensenhandel/", "/informatie/contact/", "/melden/"]:
        page = client.get(address(language, path)).content.decode().lower()
        assert not [phrase for phrase in CONTRADICTIONS if phrase in page], path


@pytest.fixture
def filled_region(tmp_path: Path, settings) -> Iterator[None]:
    yield from region_file_changed(settings, tmp_path, fill_privacy)


def fill_privacy(data: dict) -> None:
    data["privacy"]["controller"] = {
        "name": "Gemeenschappelijke Regeling Voorbeeld",
        "contact": "privacy@voorbeeld.test",
    }
    data["privacy"]["data_protection_officer"] = {"name": "F. Functionaris", "contact": "fg@voorbeeld.test"}
    data["privacy"]["legal_bases"]["reports"]["art6"] = "art. 6 lid 1 sub e (voorbeeld)"
    data["privacy"]["processors"] = ["Voorbeeld Hosting B.V."]
    data["retention"]["proposal"] = False


def test_the_privacy_statement_says_plainly_what_the_controller_has_not_yet_confirmed(client, db) -> None:
    page = client.get("/en/informatie/privacy/").content.decode()
    # Controller, data protection officer, legal grounds, processors and the retention terms: said once, in the
    # note at the top (tests/knowledge/test_privacy.py), not at every item.
    note = page.split("Still to be confirmed")[1].split("</div>")[0]
    assert note.count("<li>") == 5
    assert "is a department of Zorg- en Veiligheidshuis Twente" in page
    assert "still to be confirmed" not in page
    assert "Politie Oost-Nederland, district Twente" in page and "CoMensha" in page
    assert 'href="https://autoriteitpersoonsgegevens.nl/"' in page
    assert "Reports are read only by these staff of Kenniscentrum Mensenhandel Twente" in page


def test_the_privacy_statement_shows_what_the_region_file_supplies(client, db, filled_region) -> None:
    page = client.get("/en/informatie/privacy/").content.decode()
    assert "Gemeenschappelijke Regeling Voorbeeld is responsible for your data" in page
    assert "privacy@voorbeeld.test" in page and "F. Functionaris, fg@voorbeeld.test" in page
    assert "AVG art. 6: art. 6 lid 1 sub e (voorbeeld)" in page
    assert "Voorbeeld Hosting B.V." in page
    # Only the legal grounds of three purposes are still missing: the note names just that.
    note = page.split("Still to be confirmed")[1].split("</div>")[0]
    assert note.count("<li>") == 1 and "legal ground" in note
