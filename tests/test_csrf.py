"""Forms keep working under Referrer-Policy: no-referrer, without weakening CSRF protection."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def post_login(client: Client, **headers: str):
    client.get("/medewerkers/inloggen/")
    token = client.cookies["csrftoken"].value
    return client.post(
        "/medewerkers/inloggen/", {"username": "x", "password": "y", "csrfmiddlewaretoken": token}, **headers
    )


def test_a_same_origin_post_with_a_null_origin_is_accepted() -> None:
    client = Client(enforce_csrf_checks=True)
    response = post_login(client, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 200  # the login form answers (wrong password), not a CSRF 403


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none", ""])
def test_a_null_origin_from_elsewhere_is_refused(site: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = post_login(client, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE=site)
    assert response.status_code == 403
    assert "Het formulier kon niet worden verstuurd" in response.content.decode()


def test_the_token_is_still_required() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/medewerkers/inloggen/")
    response = client.post(
        "/medewerkers/inloggen/",
        {"username": "x", "password": "y"},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("language", ["", "/pl"])
def test_a_refused_public_form_keeps_the_quick_exit_in_reach(region, language: str) -> None:
    """After the quick exit, Back sends the report form again without its cookie: the refusal is a page of the site,
    in the visitor's language, with the quick exit and the way home (Django's own page had neither)."""
    response = Client(enforce_csrf_checks=True).post(f"{language}/melden/", {"description": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert re.search(r'class="quick-exit" href="(/pl)?/verlaten/"', page)
    assert 'class="site-name" href="/' in page
    assert ('lang="pl"' in page.split(">")[1]) == bool(language)
