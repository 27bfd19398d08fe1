"""A session that ends under a worker's hands: said on the login page, nothing typed lost, no 405 page."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP

from kenniscentrum.accounts.models import Authenticator
from kenniscentrum.cases.models import Note
from kenniscentrum.cases.services import case_open_from_report
from tests.conftest import PASSWORD, submit_report

pytestmark = pytest.mark.django_db
TYPED = "Mila belde vanochtend: ze durft niet terug naar het adres in Hengelo."


@pytest.fixture
def case(region, intake, director):
    case = case_open_from_report(report=submit_report().report, title="Werkers in een loods", actor=intake)
    case.director = director
    case.save(update_fields=["director"])
    return case


def log_in(client: Client, user, next_url: str = ""):
    address = "/medewerkers/inloggen/" + (f"?next={next_url}" if next_url else "")
    client.post(address, {"username": user.username, "password": PASSWORD})
    # A code is taken once; a second login in the same 30 seconds stands for one some minutes later.
    Authenticator.objects.filter(user=user).update(last_t=-1)
    device = Authenticator.objects.get(user=user)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    return client.post("/medewerkers/inloggen/code/", {"token": code})


def end_all_sessions() -> None:
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


def test_a_form_sent_after_the_session_ended_is_kept_and_filled_in_again(client, case, director) -> None:
    log_in(client, director)
    page = f"/medewerkers/casussen/{case.pk}/"
    assert client.get(page).status_code == 200
    end_all_sessions()
    response = client.post(f"{page}actie/note/", {"note-body": TYPED, "note-visibility": "shared"})
    # Back to the case page after logging in, not to the address that only takes the form.
    assert response.status_code == 302 and response["Location"] == f"/medewerkers/inloggen/?next={page}"
    login_page = client.get(response["Location"]).content.decode()
    assert "Je sessie is beëindigd: er is 30 minuten niets verstuurd" in login_page
    assert "Wat je aan het versturen was, is bewaard" in login_page
    assert not Note.objects.filter(body=TYPED).exists()  # nothing was sent without the worker seeing it
    after = log_in(client, director, page)
    assert after["Location"] == page
    shown = client.get(page).content.decode()
    assert "staat hieronder weer ingevuld" in shown and TYPED in shown and 'id="unsent-form"' in shown
    # Shown once: a reload does not bring it back.
    assert TYPED not in client.get(page).content.decode()


def test_another_user_on_the_same_browser_gets_nothing_of_it(client, case, director, intake) -> None:
    log_in(client, director)
    end_all_sessions()
    page = f"/medewerkers/casussen/{case.pk}/"
    client.post(f"{page}actie/note/", {"note-body": TYPED, "note-visibility": "shared"})
    log_in(client, intake, page)
    assert TYPED not in client.get(page).content.decode()


def test_a_login_never_lands_on_an_address_that_only_takes_a_form(client, case, director) -> None:
    page = f"/medewerkers/casussen/{case.pk}/"
    response = log_in(client, director, f"{page}actie/note/")
    assert response["Location"] == page
    assert client.get(response["Location"]).status_code == 200


def test_the_login_page_says_nothing_of_an_ended_session_to_someone_who_just_arrives(client, region) -> None:
    page = client.get("/medewerkers/meldingen/", follow=True).content.decode()
    assert "Je sessie is beëindigd" not in page


def test_logging_out_by_typing_the_address_shows_a_button(client, director) -> None:
    log_in(client, director)
    page = client.get("/medewerkers/uitloggen/")
    assert page.status_code == 200 and "Je bent ingelogd als" in page.content.decode()
    assert client.post("/medewerkers/uitloggen/")["Location"] == "/medewerkers/inloggen/"
    assert client.get("/medewerkers/uitloggen/")["Location"] == "/medewerkers/inloggen/"


def test_the_session_can_be_extended_without_leaving_the_page(client, director) -> None:
    log_in(client, director)
    assert client.post("/medewerkers/sessie/verlengen/").status_code == 204
    assert client.get("/medewerkers/sessie/verlengen/").status_code == 405
