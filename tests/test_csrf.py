"""Forms keep working under Referrer-Policy: no-referrer, without weakening CSRF protection."""

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
