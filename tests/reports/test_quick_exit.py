"""The quick exit (issue 26, finding 1): a link to the platform's own exit, which ends the visit on the server and
leaves for the neutral site; and a reply typed while the session ended reaches the thread (finding 3)."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from kenniscentrum.lib.sessions import session_keep
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.views_public import LAST_SENT_KEY, PENDING_REPLY_KEY
from tests.conftest import submit_report
from tests.reports.test_public_form import valid

pytestmark = pytest.mark.django_db


def open_thread(client: Client, code: str) -> None:
    assert client.post("/volgen/", {"code": code})["Location"] == "/volgen/bericht/"


def test_the_exit_ends_the_visit_and_leaves_for_the_neutral_site(client, region) -> None:
    open_thread(client, submit_report().code)
    session = client.session
    session_keep(session, PENDING_REPLY_KEY, "Een half bericht.")
    session.save()
    client.get("/melden/")  # the form page sets the CSRF cookie
    response = client.get("/verlaten/")
    assert response.status_code == 302 and response["Location"] == settings.QUICK_EXIT_URL
    assert Session.objects.count() == 0  # the opened report and the kept reply are gone from the server
    assert client.get("/volgen/bericht/")["Location"] == "/volgen/"


def test_the_exit_is_never_cached_clears_the_browsers_copies_and_drops_the_form_cookie(client, region) -> None:
    client.get("/melden/")
    assert settings.CSRF_COOKIE_NAME in client.cookies
    response = client.get("/verlaten/")
    assert "no-store" in response["Cache-Control"]
    assert response["Clear-Site-Data"] == '"cache"'
    # Without its CSRF cookie, a form the browser sends again from its history is refused.
    dropped = response.cookies[settings.CSRF_COOKIE_NAME]
    assert dropped.value == "" and dropped["max-age"] == 0


def test_after_the_exit_sending_the_report_again_gives_no_code(region) -> None:
    client = Client(enforce_csrf_checks=True)
    token = client.get("/melden/").cookies[settings.CSRF_COOKIE_NAME].value
    data = {**valid(client), "csrfmiddlewaretoken": token}
    sent = client.post("/melden/", data)
    assert sent.context["code"]
    client.get("/verlaten/")
    # Back and reload sends the browser's copy of the form again: refused, nothing shown.
    again = client.post("/melden/", data)
    assert again.status_code == 403 and sent.context["code"] not in again.content.decode()
    # And from a fresh form page (a new CSRF cookie), the same form token: the session that sent it is gone.
    token = client.get("/melden/").cookies[settings.CSRF_COOKIE_NAME].value
    again = client.post("/melden/", {**data, "csrfmiddlewaretoken": token})
    assert again.status_code == 409 and sent.context["code"] not in again.content.decode()
    assert Report.objects.count() == 1


def test_after_the_exit_the_form_is_a_new_one(client, region) -> None:
    data = valid(client)
    client.post("/melden/", data)
    assert LAST_SENT_KEY in client.session
    client.get("/verlaten/")
    form = client.get("/melden/")
    assert form.context["form"].initial["token"] != data["token"] and form.context["just_sent"] is None


def test_a_visitor_who_only_read_gets_no_session_from_the_exit(client, region) -> None:
    response = client.get("/pl/verlaten/")
    assert response["Location"] == settings.QUICK_EXIT_URL
    assert (
        settings.SESSION_COOKIE_NAME not in response.cookies
        or response.cookies[settings.SESSION_COOKIE_NAME].value == ""
    )
    assert Session.objects.count() == 0


def test_every_public_page_links_the_exit_and_names_the_neutral_site_for_the_script(client, region) -> None:
    page = client.get("/en/melden/").content.decode()
    assert 'href="/en/verlaten/"' in page and f'data-neutral="{settings.QUICK_EXIT_URL}"' in page


def test_the_code_page_at_the_threads_address_carries_the_reply_to_the_thread(client, region) -> None:
    """The code page the thread shows when the session ended posts to the thread's address (its button and its
    language switch): the code opens the report with the reply there to send."""
    submission = submit_report()
    reply = "Ze is gisteren verhuisd."
    shown = client.post("/volgen/bericht/", {"body": reply})
    assert shown.context["kept_reply"] is True
    switched = client.post("/pl/volgen/bericht/", {"code": "", "reply": reply, "_language": "pl"})
    assert switched.status_code == 200 and f'value="{reply}"' in switched.content.decode()
    wrong = client.post("/volgen/bericht/", {"code": "AAAA-BBBB-CCCC", "reply": reply})
    assert wrong.status_code == 400 and f'value="{reply}"' in wrong.content.decode()
    assert client.post("/pl/volgen/bericht/", {"code": submission.code, "reply": reply})["Location"] == (
        "/pl/volgen/bericht/"
    )
    assert client.get("/pl/volgen/bericht/").context["form"]["body"].value() == reply
