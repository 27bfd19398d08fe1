"""The public report form: stored before confirmed, bad input answered clearly, nothing lost."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.reports import receipts
from kenniscentrum.reports.models import Attachment, Report
from tests.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def form_page(client) -> dict[str, str]:
    response = client.get("/melden/")
    return {"token": response.context["form"].initial["token"]}


def valid(client, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        **form_page(client),
        "acute_danger": "no",
        "reporter_role": "concerned",
        "description": "Mijn buurman werkt zeven dagen per week en woont in de loods.",
        "suspected_forms": ["labour"],
        "municipality": "",
        "place": "Enschede-Zuid",
        "ongoing": "yes",
        "contact_preference": "anonymous",
        "consent_share_identity": "no",
        "persons-TOTAL_FORMS": "2",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "0",
        "persons-MAX_NUM_FORMS": "10",
        "persons-0-description": "Marek, ongeveer 30",
        "persons-0-role": "possible_victim",
        "persons-0-age": "30",
        "persons-1-description": "",
        "persons-1-role": "other",
        "persons-1-age": "",
    }
    data.update(overrides)
    return data


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (52.0, 13.0, 0.0)}  # GPS info
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_report_is_stored_and_confirmed_with_a_receipt_code(client, region) -> None:
    response = client.post("/melden/", valid(client))
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.channel == "web" and report.status == "new"
    assert report.form_values == ["labour"]
    assert [p.description for p in report.persons.all()] == ["Marek, ongeveer 30"]
    code = response.context["code"]
    assert receipts.normalise_code(code) is not None
    page = response.content.decode()
    assert code in page
    # Only keyed hashes are stored, never the code itself.
    assert report.receipt_digest == receipts.receipt_digest(receipts.normalise_code(code))
    assert receipts.normalise_code(code) not in str(Report.objects.values().get())
    event = AuditEvent.objects.get(action=Action.REPORT_CREATED)
    assert event.actor is None and event.details == {"channel": "web"}


def test_nothing_about_the_visitor_is_stored_beyond_what_they_typed(client, region) -> None:
    client.post("/melden/", valid(client), HTTP_USER_AGENT="SecretBrowser/1.0", REMOTE_ADDR="203.0.113.9")
    stored = str(list(Report.objects.values())) + str(list(AuditEvent.objects.values()))
    assert "203.0.113.9" not in stored
    assert "SecretBrowser" not in stored


def test_acute_danger_puts_112_first_and_the_report_at_the_top(client, region) -> None:
    response = client.post("/melden/", valid(client, acute_danger="yes"))
    page = response.content.decode()
    assert page.index("112") < page.index("<h1>")
    assert Report.objects.get().priority == "urgent"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 10_001}, "description"),
        ({"reporter_role": ""}, "reporter_role"),
        ({"reporter_role": "king"}, "reporter_role"),
        ({"acute_danger": ""}, "acute_danger"),
        ({"municipality": "99999"}, "municipality"),
        ({"municipality": "Enschede'; DROP TABLE reports_report;--"}, "municipality"),
        ({"place": "p" * 201}, "place"),
        ({"contact_preference": "phone", "reporter_phone": ""}, "reporter_phone"),
        ({"contact_preference": "phone", "reporter_phone": "call me maybe"}, "reporter_phone"),
        ({"contact_preference": "email", "reporter_email": "not-an-address"}, "reporter_email"),
        ({"suspected_forms": ["piracy"]}, "suspected_forms"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_what_was_typed(client, region, overrides, field) -> None:
    data = (
        valid(client, place="Hengelo centrum", **overrides) if "place" not in overrides else valid(client, **overrides)
    )
    response = client.post("/melden/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    page = response.content.decode()
    assert "error-summary" in page
    assert 'aria-invalid="true"' in page or 'aria-describedby="id_' in page
    if "place" not in overrides:
        assert 'value="Hengelo centrum"' in page  # the rest of what was typed is still there
    assert "Mijn buurman werkt zeven dagen" in page or overrides.get("description") is not None
    assert Report.objects.count() == 0


def test_an_empty_form_lists_every_required_question(client, region) -> None:
    response = client.post("/melden/", {"token": "t"})
    errors = response.context["form"].errors
    assert {"description", "reporter_role", "acute_danger"} <= set(errors)
    assert Report.objects.count() == 0


def test_html_and_script_are_shown_as_text_never_run(client, region, intake_client) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post("/melden/", valid(client, description=evil, place=evil, when_text=evil))
    report = Report.objects.get()
    assert report.description == evil  # stored as typed
    page = intake_client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    form_page = client.post("/melden/", valid(client, description=evil, reporter_role="")).content.decode()
    assert "<script>alert" not in form_page


def test_a_double_submit_stores_one_report_and_shows_the_same_code(client, region) -> None:
    data = valid(client)
    first = client.post("/melden/", data)
    second = client.post("/melden/", data)
    assert Report.objects.count() == 1
    assert first.context["code"] == second.context["code"]
    assert second.context["duplicate"] is True


def test_anonymous_means_no_contact_details_are_kept(client, region) -> None:
    client.post(
        "/melden/",
        valid(client, contact_preference="anonymous", reporter_name="Jan Jansen", reporter_phone="0612345678"),
    )
    report = Report.objects.get()
    assert (report.reporter_name, report.reporter_phone, report.consent_share_identity) == ("", "", "no")


def test_a_photo_is_stored_without_its_location_and_camera_data(client, region) -> None:
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original
    upload = SimpleUploadedFile("foto.jpg", original, content_type="image/jpeg")
    client.post("/melden/", valid(client, attachments=[upload]))
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as f:
        stored = f.read()
    assert b"PhoneMaker" not in stored
    assert not Image.open(BytesIO(stored)).getexif()
    # Stored and offered under a name from its type, not the one the sender's phone gave it.
    assert attachment.content_type == "image/jpeg" and attachment.original_name == "bijlage-1.jpg"


def test_a_pdf_is_accepted_without_its_author(client, region) -> None:
    original = pdf_bytes(author="Jan Jansen")
    assert b"Jan Jansen" in original
    upload = SimpleUploadedFile("loonstrook Jan Jansen.pdf", original, content_type="application/pdf")
    client.post("/melden/", valid(client, attachments=[upload]))
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    with attachment.file.open("rb") as f:
        stored = f.read()
    assert stored.startswith(b"%PDF-") and b"Jan Jansen" not in stored
    assert attachment.original_name == "bijlage-1.pdf"


def test_a_program_renamed_to_jpg_is_refused(client, region) -> None:
    upload = SimpleUploadedFile("vakantie.jpg", b"MZ\x90\x00" + b"\x00" * 500, content_type="image/jpeg")
    response = client.post("/melden/", valid(client, attachments=[upload]))
    assert "attachments" in response.context["form"].errors
    assert "vakantie.jpg" in response.content.decode()
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_30_mb_upload_is_refused_with_the_limit_named(client, region) -> None:
    upload = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024), content_type="application/pdf")
    response = client.post("/melden/", valid(client, attachments=[upload]))
    errors = response.context["form"].errors["attachments"]
    assert any("10 MB" in e for e in errors)
    assert Report.objects.count() == 0


def test_more_than_five_files_are_refused(client, region) -> None:
    uploads = [SimpleUploadedFile(f"{i}.pdf", pdf_bytes(), content_type="application/pdf") for i in range(6)]
    response = client.post("/melden/", valid(client, attachments=uploads))
    assert "attachments" in response.context["form"].errors


def test_text_in_another_encoding_does_not_break_the_form(client, region) -> None:
    body = "description=caf\xe9&reporter_role=victim".encode("latin-1")
    response = client.post("/melden/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Report.objects.count() == 0


def test_the_form_works_in_english(client, region) -> None:
    page = client.get("/en/melden/").content.decode()
    assert '<html lang="en"' in page
    assert "Make a report" in page
    assert 'formaction="/melden/"' in page  # the switch back to Dutch carries the form


EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TEXT_FIELDS = [
    "description",
    "place",
    "when_text",
    "reporter_name",
    "contact_safety_note",
    "persons-0-description",
    "persons-0-age",
]


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_markup_in_every_text_field_is_escaped_on_the_staff_page(client, region, intake_client, field) -> None:
    evil = EVIL[:30] if field == "persons-0-age" else EVIL
    data = valid(client, contact_preference="phone", reporter_phone="0612345678")
    data[field] = evil
    assert client.post("/melden/", data).status_code == 200
    report = Report.objects.get()
    page = intake_client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_markup_in_messages_is_escaped_on_both_sides(client, region, intake_client, intake) -> None:
    from kenniscentrum.reports.services import report_ask_reporter
    from tests.conftest import submit_report

    submission = submit_report()
    report_ask_reporter(report=submission.report, question=EVIL, actor=intake)
    client.post("/volgen/", {"code": submission.code})
    client.post("/volgen/bericht/", {"body": EVIL + " antwoord"})
    for page in (
        client.get("/volgen/bericht/").content.decode(),
        intake_client.get(f"/medewerkers/meldingen/{submission.report.pk}/").content.decode(),
    ):
        assert "<script>alert" not in page
        assert page.count("&lt;script&gt;") == 2


@pytest.mark.parametrize("path", ["/", "/melden/", "/volgen/", "/en/", "/en/melden/"])
def test_every_public_page_has_the_quick_exit_and_no_store(client, region, path) -> None:
    response = client.get(path)
    page = response.content.decode()
    # The quick exit goes through the platform's own exit (tests/reports/test_quick_exit.py), in the page's language.
    exit_path = "/en/verlaten/" if path.startswith("/en/") else "/verlaten/"
    assert 'class="quick-exit"' in page and f'href="{exit_path}" data-neutral="https://www.weeronline.nl/"' in page
    assert response["Cache-Control"] == "no-store, private"
    assert response["Referrer-Policy"] == "no-referrer"
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp


def test_switching_language_in_the_middle_of_the_form_keeps_what_was_typed(client, region) -> None:
    data = valid(client, _language="pl", **{"persons-0-description": "Marek, ongeveer 30"})
    response = client.post("/pl/melden/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="pl"' in page
    assert "Mijn buurman werkt zeven dagen per week en woont in de loods." in page
    assert 'value="Enschede-Zuid"' in page and 'value="Marek, ongeveer 30"' in page
    assert f'value="{data["token"]}"' in page  # still the same form: sending it later makes one report
    assert not response.context["form"].errors  # nothing was sent yet, so nothing is wrong yet
    assert not Report.objects.exists()
    # The language options on a form page are buttons of that form, posting to the page in that language.
    assert 'form="page-form" formaction="/melden/"' in page


def test_the_confirmation_promises_only_the_configured_term(client, region, monkeypatch) -> None:
    from kenniscentrum.lib import region as region_module

    response = client.post("/melden/", valid(client)).content.decode().lower()
    terms = region_module.region()["response_terms"]
    reading, feedback = terms["triage"]["normal"]["working_days"], terms["feedback_working_days"]
    assert f"binnen {reading} werkdag" in response and f"binnen {feedback} werkdagen" in response
    without = {k: v for k, v in region_module.region().items() if k != "response_terms"}
    monkeypatch.setattr("kenniscentrum.reports.terms.region", lambda: without)
    page = client.post("/melden/", valid(client)).content.decode()
    assert "Iemand van ons team leest je melding." in page and "werkdag" not in page


def test_the_form_fetched_again_after_sending_carries_the_spent_token(client, region) -> None:
    """Back without JavaScript fetches the form again (it is never cached): sending it again unchanged makes no new
    report; changed, it is a new one with its own code (tests/reports/test_probe3_shared_device.py)."""
    data = valid(client)
    client.post("/melden/", data)
    again = client.get("/melden/")
    assert again.context["form"].initial["token"] == data["token"]
    assert "Als je dit formulier ongewijzigd opnieuw verstuurt, bewaren we alleen die eerste melding;" in (
        again.content.decode()
    )
    resend = client.post("/melden/", data)
    assert Report.objects.count() == 1
    assert resend.context["duplicate"] is True
    changed = client.post("/melden/", {**data, "description": "Nog een keer, iets anders geschreven."})
    assert Report.objects.count() == 2 and changed.context["duplicate"] is False
    fresh = client.get("/melden/?nieuw=1")
    assert fresh.context["form"].initial["token"] != data["token"]
    assert "bewaren we alleen die eerste melding" not in fresh.content.decode()


def test_half_an_hour_after_sending_the_form_is_a_new_one(client, region) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kenniscentrum.reports.views_public import LAST_SENT_KEY

    data = valid(client)
    client.post("/melden/", data)
    session = client.session
    session[LAST_SENT_KEY] = {**session[LAST_SENT_KEY], "at": (timezone.now() - timedelta(minutes=31)).isoformat()}
    session.save()
    assert client.get("/melden/").context["form"].initial["token"] != data["token"]
