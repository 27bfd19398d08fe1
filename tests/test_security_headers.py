"""Security headers and cookies, as a browser receives them."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PAGES = ["/", "/melden/", "/volgen/", "/en/", "/medewerkers/inloggen/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_strict_policy(client, region, path) -> None:
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_only_over_https(client, region) -> None:
    assert "Strict-Transport-Security" not in client.get("/")
    secure = client.get("/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_csrf_cookie_is_strict_and_hidden_from_scripts(client, region) -> None:
    client.get("/melden/")
    cookie = client.cookies["csrftoken"]
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Strict"
    # Ends with the browser: nothing of this site stays on a device that someone else may check.
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_the_session_cookie_is_hidden_from_scripts_and_secure(client, intake) -> None:
    client.post("/medewerkers/inloggen/", {"username": "ilse", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["secure"]
    # Lax, not Strict: a staff member following a link from an e-mail must arrive logged in.
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends with the browser


def test_a_public_visitor_gets_no_cookie_but_csrf_until_they_follow_up(region) -> None:
    client = Client()
    client.get("/")
    assert set(client.cookies) == set()
    client.get("/melden/")
    assert set(client.cookies) == {"csrftoken"}
