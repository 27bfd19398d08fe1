"""Reporter privacy on a shared device: the form fetched again after sending carries the spent token (so Back and send
again shows the same code and stores nothing twice), but only the same report gets that code back. Anyone who opens
/melden/ on the same browser afterwards and sends something else gets a new report with its own code, never the
first reporter's code, and so never their thread at /volgen/."""

import pytest
from django.test import Client

from kenniscentrum.reports import receipts
from kenniscentrum.reports.models import Report
from tests.reports.test_public_form import valid

pytestmark = pytest.mark.django_db
NOTICE = "Als je dit formulier ongewijzigd opnieuw verstuurt, bewaren we alleen die eerste melding"


def test_the_next_person_on_the_browser_never_gets_the_first_reporters_code(client: Client, region) -> None:
    first = client.post("/melden/", valid(client, description="Mijn zus moet haar paspoort inleveren."))
    code = first.context["code"]
    # Someone else on the same browser, within the half hour: the form they get carries the spent token.
    other = client.post("/melden/", valid(client, description="Iets heel anders, om de code te zien."))
    assert other.status_code == 200 and other.context["duplicate"] is False
    assert other.context["code"] != code and code not in other.content.decode()
    assert Report.objects.count() == 2
    # The second report is stored under its own token: its code opens it, not the first.
    second = Report.objects.exclude(description__startswith="Mijn zus").get()
    assert second.receipt_digest == receipts.receipt_digest(receipts.normalise_code(other.context["code"]) or "")
    follow = Client()
    follow.post("/volgen/", {"code": other.context["code"]})
    assert "paspoort" not in follow.get("/volgen/bericht/").content.decode()


def test_back_and_send_again_unchanged_still_shows_the_same_code_and_stores_nothing_twice(client, region) -> None:
    data = valid(client)
    first = client.post("/melden/", data)
    page = client.get("/melden/")
    assert page.context["form"].initial["token"] == data["token"] and NOTICE in page.content.decode()
    again = client.post("/melden/", {**data, "token": page.context["form"].initial["token"]})
    assert again.context["duplicate"] is True and again.context["code"] == first.context["code"]
    assert Report.objects.count() == 1


def test_a_changed_resend_is_a_new_report_and_its_own_resend_is_its_duplicate(client, region) -> None:
    data = valid(client)
    first = client.post("/melden/", data)
    changed = {**data, "description": data["description"] + " Ik vergat: er wonen ook kinderen."}
    second = client.post("/melden/", changed)
    assert second.context["duplicate"] is False and second.context["code"] != first.context["code"]
    assert "een nieuwe, aparte melding met een eigen code" in second.content.decode()
    # The form fetched again now carries the second report's token; sending that one again is its duplicate.
    token = client.get("/melden/").context["form"].initial["token"]
    assert token != data["token"]
    third = client.post("/melden/", {**changed, "token": token})
    assert third.context["duplicate"] is True and third.context["code"] == second.context["code"]
    assert Report.objects.count() == 2


def test_a_changed_form_kept_in_a_second_tab_sent_again_is_its_own_duplicate_not_a_third_report(client, region) -> None:
    """The re-test: the second person's page still held the first report's token, so each send of the same changed
    page made one more report. The changed report's token follows from the spent token and its content."""
    data = valid(client)
    client.post("/melden/", data)
    changed = {**data, "description": "Iets anders, in een tweede tabblad dat het oude formulier nog had."}
    second = client.post("/melden/", changed)
    again = client.post("/melden/", changed)  # the same kept page, sent once more
    assert again.context["duplicate"] is True and again.context["code"] == second.context["code"]
    assert Report.objects.count() == 2
    # Other content on that page is yet another report, with its own code.
    other = client.post("/melden/", {**data, "description": "Weer iets anders."})
    assert other.context["code"] not in (second.context["code"],) and Report.objects.count() == 3


def test_the_stored_content_digest_is_keyed_not_the_text(client, region) -> None:
    client.post("/melden/", valid(client))
    report = Report.objects.get()
    assert len(report.content_digest) == 64 and report.description not in report.content_digest
