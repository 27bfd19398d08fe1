"""Probe 3, finding 7: what a form kept in the session holds is encrypted with the data keys. The session table is
plain to whoever reads the database (a dump, the standby, the WAL), so nothing typed is found in a session row, raw or
decoded; the worker and the reporter still get what they typed back."""

import json

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from kenniscentrum.reports.services import report_ask_reporter
from tests.accounts.test_session_end import end_all_sessions, log_in
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db

PASTED = "Mila Zeldzaam belde vanaf 0687654321 over de loods in Hengelo."
REPORTER = "Reinout Tweehuis"


def session_rows() -> list[str]:
    """Every session row as the database holds it, and decoded as Django would (signed, not encrypted)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        raw = [row[0] for row in cursor.fetchall()]
    return raw + [json.dumps(SessionStore().decode(data), ensure_ascii=False) for data in raw]


def test_pasted_text_kept_across_an_ended_session_is_not_in_the_session_table(client, case, director) -> None:
    log_in(client, director)
    page = f"/medewerkers/casussen/{case.pk}/ontdaan/"
    end_all_sessions()
    client.post(page, {"text": PASTED})
    rows = session_rows()
    assert rows and not [row for row in rows if "Zeldzaam" in row or "0687654321" in row]
    log_in(client, director, page)
    assert PASTED in client.get(page).content.decode()


def test_reporter_details_typed_at_intake_are_not_in_the_session_table(client, intake) -> None:
    log_in(client, intake)
    end_all_sessions()
    client.post("/medewerkers/meldingen/nieuw/", {"reporter_name": REPORTER, "reporter_phone": "0611223344"})
    rows = session_rows()
    assert rows and not [row for row in rows if REPORTER in row or "0611223344" in row]


def test_a_reporters_reply_kept_for_after_the_code_is_not_in_the_session_table(client, region, intake) -> None:
    submission = submit_report()
    report_ask_reporter(report=submission.report, question="Welke straat?", actor=intake)
    reply = "De Hengelosestraat, het tweede huis."
    client.post("/volgen/", {"code": submission.code, "reply": reply})
    rows = session_rows()
    assert rows and not [row for row in rows if "Hengelosestraat" in row]
    assert client.get("/volgen/bericht/").context["form"]["body"].value() == reply


def test_what_was_kept_under_a_key_no_longer_given_is_lost_not_an_error(settings) -> None:
    from cryptography.fernet import Fernet

    from kenniscentrum.lib.sessions import session_keep, session_take

    session = SessionStore()
    session_keep(session, "kept", {"text": PASTED})
    settings.DATA_KEYS = [Fernet.generate_key().decode()]
    assert session_take(session, "kept") is None and "kept" not in session
