"""A visitor asks the centre a question without reporting: stored before it is confirmed, once per form, in the
staff's queue and advice list, answered in the thread the visitor opens with the receipt code."""

import re

import pytest

from kenniscentrum.cases.models import Case
from kenniscentrum.insights.figures import contributions
from kenniscentrum.reports import receipts
from kenniscentrum.reports.models import Consultation, Report
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db

QUESTION = "Mag mijn werkgever mijn paspoort bewaren?"


def valid(client, path: str = "/vraag/", **overrides) -> dict[str, object]:
    token = client.get(path).context["form"].initial["token"]
    data: dict[str, object] = {"token": token, "description": QUESTION, "contact_preference": "anonymous"}
    data.update(overrides)
    return data


def test_a_question_without_a_report_is_stored_and_confirmed_with_a_receipt_code(client, region) -> None:
    response = client.post("/vraag/", valid(client))
    assert response.status_code == 200
    question = Report.objects.get()
    assert (question.kind, question.description, question.reporter_role) == ("question", QUESTION, "unknown")
    # Stored before it is confirmed: the code on the page opens the stored question.
    assert receipts.receipt_digest(response.context["code"].replace("-", "")) == question.receipt_digest
    assert response.context["code"] in response.content.decode()


def test_only_the_question_is_required(client, region) -> None:
    response = client.post("/vraag/", valid(client, description="  "))
    assert response.status_code == 400 and not Report.objects.exists()
    page = response.content.decode()
    assert "Schrijf je vraag op." in response.context["form"].errors["description"]
    assert 'href="#id_description"' in page


def test_bad_input_gets_a_message_in_the_visitors_language_and_keeps_what_was_typed(client, region) -> None:
    data = valid(
        client, "/pl/vraag/", contact_preference="email", reporter_email="niet-een-adres", reporter_role="victim"
    )
    response = client.post("/pl/vraag/", data)
    assert response.status_code == 400 and not Report.objects.exists()
    page = response.content.decode()
    assert QUESTION in page and 'value="niet-een-adres"' in page
    assert re.search(r'<input[^>]*value="victim"[^>]*checked', page)
    # The message is in Polish, not in English.
    assert "Enter a valid email address" not in page and "e-mail" in page.lower()


def test_a_chosen_way_back_needs_its_number_or_address(client, region) -> None:
    response = client.post("/vraag/", valid(client, contact_preference="phone", reporter_phone=""))
    assert response.status_code == 400
    assert "reporter_phone" in response.context["form"].errors and not Report.objects.exists()


def test_a_double_submit_stores_one_question_and_shows_the_same_code(client, region) -> None:
    data = valid(client)
    first = client.post("/vraag/", data)
    second = client.post("/vraag/", data)
    assert Report.objects.count() == 1
    assert first.context["code"] == second.context["code"] and second.context["duplicate"] is True


def test_nothing_about_the_visitor_is_stored_that_they_did_not_type(client, region) -> None:
    # Typed an e-mail address, then chose to stay anonymous: the address is not kept.
    client.post("/vraag/", valid(client, reporter_email="anna@example.test", reporter_phone="0612345678"))
    question = Report.objects.get()
    assert (question.reporter_email, question.reporter_phone, question.reporter_name) == ("", "", "")
    assert question.contact_safety_note == "" and question.place == "" and question.acute_danger == "unknown"


def test_staff_see_the_question_in_the_queue_and_the_advice_list_and_answer_it(client, region, intake_client) -> None:
    code = client.post("/vraag/", valid(client)).context["code"]
    question = Report.objects.get()
    queue = intake_client.get("/medewerkers/meldingen/").content.decode()
    assert question.reference in queue and "Vraag" in queue.split(question.reference)[1][:300]
    advice = intake_client.get("/medewerkers/adviesvragen/").content.decode()
    assert f'href="/medewerkers/meldingen/{question.pk}/"' in advice
    detail = intake_client.get(f"/medewerkers/meldingen/{question.pk}/").content.decode()
    assert QUESTION in detail and "Vraag via de website" in detail
    # Answered like a report closed with advice: the answer goes into the visitor's thread.
    intake_client.post(f"/medewerkers/meldingen/{question.pk}/actie/start_triage/", {})
    answer = "Nee, je paspoort is van jou. Je werkgever mag het niet houden."
    intake_client.post(
        f"/medewerkers/meldingen/{question.pk}/actie/close_advised/",
        {"close_advised-reason": "Vraag beantwoord", "close_advised-feedback_method": "receipt_message",
         "close_advised-message_to_reporter": answer},
    )  # fmt: skip
    question.refresh_from_db()
    assert question.status == "advised"
    # The visitor reads the answer with the code, like after a report.
    assert client.post("/volgen/", {"code": code}).status_code == 302
    assert answer in client.get("/volgen/bericht/").content.decode()


def test_an_answered_question_leaves_the_advice_list_of_open_questions(client, region, intake_client) -> None:
    client.post("/vraag/", valid(client))
    question = Report.objects.get()
    question.status, question.closed_at = "advised", question.received_at
    question.save()
    advice = intake_client.get("/medewerkers/adviesvragen/").content.decode()
    assert f'href="/medewerkers/meldingen/{question.pk}/"' not in advice


def test_the_monitor_counts_a_question_as_an_advice_contact_not_as_a_report(client, region) -> None:
    submit_report()
    client.post("/vraag/", valid(client, reporter_role="professional"))
    counts = contributions(Report.objects.all(), Case.objects.all(), Consultation.objects.all())
    reports = sum(n for cell, n in counts.items() if cell.measure == "reports")
    advice = sum(n for cell, n in counts.items() if cell.measure == "consultations")
    professional = sum(n for cell, n in counts.items() if cell.measure == "consultations.asker"
                       and cell.value == "professional")  # fmt: skip
    assert (reports, advice, professional) == (1, 1, 1)


def test_the_contact_page_leads_to_the_question_form_in_every_language(client, region) -> None:
    for prefix in ("", "/en", "/pl", "/ro", "/bg", "/uk"):
        page = client.get(f"{prefix}/informatie/contact/").content.decode()
        assert f'href="{prefix}/vraag/"' in page, prefix
        assert client.get(f"{prefix}/vraag/").status_code == 200


def test_a_phone_number_nobody_can_call_is_refused_as_on_the_report_form(client, region) -> None:
    """The tester chose "by phone" and typed "abc": the question was taken, and the visitor would wait for a call
    that cannot come."""
    response = client.post("/vraag/", valid(client, contact_preference="phone", reporter_phone="abc"))
    assert response.status_code == 400 and not Report.objects.exists()
    assert len(response.context["form"].errors["reporter_phone"]) == 1
    assert 'value="abc"' in response.content.decode()


def test_asking_a_question_does_not_make_the_report_form_say_a_report_was_sent(client, region) -> None:
    assert client.post("/vraag/", valid(client)).status_code == 200
    page = client.get("/melden/")
    assert page.context["just_sent"] is None


@pytest.mark.parametrize(("language", "optional"), [("", "(niet verplicht)"), ("en", "(optional)")])
def test_who_are_you_is_marked_optional_once(client, region, language, optional) -> None:
    page = client.get(f"/{language}/vraag/" if language else "/vraag/").content.decode()
    legend = re.search(r"<legend>((?:Wie ben je|Who are you).*?)</legend>", page)
    assert legend and legend.group(1).count(optional) == 1, legend
