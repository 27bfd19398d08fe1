"""Finding 4 of issue 26: the reporter sees what they sent, and adds photos and PDFs later, with the checks of the
report form. The report is always the one of the session: no form field can name another."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.notifications.models import Kind, Notification
from kenniscentrum.reports.models import Attachment, Report
from kenniscentrum.reports.services import (
    report_ask_reporter,
    report_change_status,
    report_classify,
    report_close,
)
from tests.conftest import pdf_bytes, submit_report
from tests.reports.test_probe3_uploads import pdf_bomb
from tests.reports.test_public_form import jpeg_with_gps, valid

pytestmark = pytest.mark.django_db
THREAD = "/volgen/bericht/"
FILES = "/volgen/bericht/"  # the thread's one form: a message, files, or both


def png(colour: str = "blue") -> bytes:
    out = BytesIO()
    Image.new("RGB", (30, 20), colour).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def opened(client, code: str) -> None:
    assert client.post("/volgen/", {"code": code})["Location"] == THREAD


def add(client, *files: SimpleUploadedFile, language: str = "", **fields: object):
    prefix = f"/{language}" if language else ""
    return client.post(f"{prefix}{FILES}", {"attachments": list(files), **fields})


def send_report_with_photo(client) -> str:
    """A report from the public form, with a person, a detail and a photo; returns its receipt code."""
    data = valid(
        client,
        attachments=[upload("IMG_0001 Jan de Vries.jpg", jpeg_with_gps(), "image/jpeg")],
        **{
            "details-TOTAL_FORMS": "1",
            "details-INITIAL_FORMS": "0",
            "details-MIN_NUM_FORMS": "0",
            "details-MAX_NUM_FORMS": "20",
            "details-0-kind": "plate",
            "details-0-value": "XX-123-Y",
        },
    )
    response = client.post("/melden/", data)
    assert response.status_code == 200, response.context["form"].errors
    return str(response.context["code"])


def test_the_thread_shows_what_the_reporter_sent(client, region) -> None:
    opened(client, send_report_with_photo(client))
    page = client.get(THREAD).content.decode()
    assert "Mijn buurman werkt zeven dagen per week en woont in de loods." in page
    assert "Marek, ongeveer 30" in page  # the person they described
    assert "XX-123-Y" in page  # the detail they gave
    assert "bijlage-1.jpg" in page  # the photo, by the name it is stored under
    assert "Jan de Vries" not in page  # the name of the file on their phone was never kept


def test_what_was_sent_is_closed_until_the_reporter_opens_it(client, region) -> None:
    """Someone may read along over the reporter's shoulder: the status and messages show, what was sent on request."""
    opened(client, submit_report().code)
    page = client.get(THREAD).content.decode()
    start = page.index('<details class="report-sent"')
    assert "open" not in page[start : page.index(">", start)]
    assert "zeven dagen per week" in page[start:]


def test_the_reporter_sees_only_what_they_typed_never_what_staff_did(client, region, intake) -> None:
    submission = submit_report(place="Camping De Dinkel")
    report = submission.report
    other = submit_report(description="Een heel andere melding over een nagelstudio.")
    report_classify(report=report, forms=["sexual"], municipality=None, place="Loods achter de Hengelosestraat",
                    actor=intake)  # fmt: skip
    report_change_status(report=report, name="start_triage", actor=intake)
    report_close(report=report, name="close_no_action", reason="Intern: geen aanknopingspunten.", actor=intake,
                 feedback_method="not_possible", feedback_note="Intern: melder is anoniem.")  # fmt: skip
    opened(client, submission.code)
    page = client.get(THREAD).content.decode()
    assert "zeven dagen per week" in page
    for staff_only in ("Loods achter de Hengelosestraat", "Intern: geen aanknopingspunten.", report.reference,
                       "Seksuele uitbuiting", other.report.description):  # fmt: skip
        assert staff_only not in page, staff_only


def test_the_reporter_adds_a_pdf_and_a_photo_later(client, region, intake) -> None:
    submission = submit_report()
    report_ask_reporter(report=submission.report, question="Heeft u een loonstrook?", actor=intake)
    opened(client, submission.code)
    response = add(
        client,
        upload("loonstrook Jan.pdf", pdf_bytes(author="Jan Jansen"), "application/pdf"),
        upload("foto.jpg", jpeg_with_gps(), "image/jpeg"),
    )
    assert response.status_code == 302 and response["Location"] == THREAD
    report = Report.objects.get(pk=submission.report.pk)
    added = list(report.attachments.all())
    assert [a.original_name for a in added] == ["bijlage-1.pdf", "bijlage-2.jpg"]
    assert all(a.added_later for a in added)
    with added[0].file.open("rb") as stored:
        assert b"Jan Jansen" not in stored.read()  # the PDF's metadata is gone
    with added[1].file.open("rb") as stored:
        assert b"PhoneMaker" not in stored.read()  # and the photo's camera and location
    # Audited, back in triage, and the intake team hears of it (an e-mail that says nothing about what).
    assert AuditEvent.objects.filter(action=Action.REPORT_UPDATED, object_id=str(report.pk), actor=None).exists()
    assert report.status == "in_triage"
    assert Notification.objects.filter(kind=Kind.REPORTER_REPLIED, recipient=intake).exists()
    page = client.get(THREAD).content.decode()
    assert "2 bestanden zijn aan je melding toegevoegd." in page
    assert "bijlage-1.pdf" in page and "bijlage-2.jpg" in page


def test_files_after_a_message_tell_staff_again(client, region, intake) -> None:
    opened(client, submit_report().code)
    client.post(THREAD, {"body": "Ik stuur zo een foto."})
    add(client, upload("foto.png", png(), "image/png"))
    assert Notification.objects.filter(kind=Kind.REPORTER_REPLIED, recipient=intake).count() == 2


def test_staff_see_the_files_added_later_on_the_report(client, region, intake_client) -> None:
    submission = submit_report()
    opened(client, submission.code)
    add(client, upload("foto.png", png(), "image/png"))
    page = intake_client.get(f"/medewerkers/meldingen/{submission.report.pk}/").content.decode()
    assert "bijlage-1.png" in page
    assert "later toegevoegd door de melder" in page


def refused(response, says: str) -> None:
    """The thread is shown again with the message, and nothing was stored."""
    assert response.status_code == 400
    page = response.content.decode()
    assert says in page, page
    assert "zeven dagen per week" in page  # the thread is still there, with what was sent
    assert not Attachment.objects.exists()


def test_a_file_too_large_is_refused_and_nothing_is_stored(client, region, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    opened(client, submit_report().code)
    refused(add(client, upload("groot.pdf", b"%PDF-" + b"x" * 5000)), "groot.pdf is te groot")


def test_a_program_named_pdf_is_refused(client, region) -> None:
    opened(client, submit_report().code)
    refused(add(client, upload("loonstrook.pdf", b"MZ\x90\x00" + b"\x00" * 500)), "loonstrook.pdf is geen foto")


def test_a_pdf_bomb_is_refused(client, region) -> None:
    opened(client, submit_report().code)
    refused(add(client, upload("bom.pdf", pdf_bomb())), "bom.pdf kost te veel werk om te controleren")


def test_one_bad_file_keeps_the_good_ones_out_too(client, region) -> None:
    opened(client, submit_report().code)
    refused(add(client, upload("goed.png", png()), upload("slecht.pdf", b"MZ")), "slecht.pdf is geen foto")


def test_more_files_at_once_than_the_form_takes_are_refused(client, region) -> None:
    opened(client, submit_report().code)
    files = [upload(f"{n}.png", png()) for n in range(6)]
    refused(add(client, *files), "Je kunt hoogstens 5 bestanden meesturen.")


def test_a_report_holds_a_limited_number_of_files_in_all(client, region, settings) -> None:
    settings.REPORT_ATTACHMENT_MAX_COUNT = 2
    opened(client, submit_report().code)
    assert add(client, upload("een.png", png("red")))["Location"] == THREAD
    response = add(client, upload("twee.png", png("green")), upload("drie.png", png("blue")))
    assert response.status_code == 400
    assert "Een melding kan hoogstens 2 bestanden hebben; bij de jouwe is er nog plaats voor 1." in (
        response.content.decode()
    )
    assert Attachment.objects.count() == 1


def test_an_empty_upload_asks_for_a_file(client, region) -> None:
    opened(client, submit_report().code)
    refused(client.post(FILES, {}), "Schrijf een bericht, of kies foto")


def test_the_same_files_sent_twice_are_stored_once(client, region) -> None:
    opened(client, submit_report().code)
    add(client, upload("foto.png", png(), "image/png"))
    again = add(client, upload("foto.png", png(), "image/png"))
    assert again.status_code == 302
    assert Attachment.objects.count() == 1
    assert "Je had deze bestanden al toegevoegd" in client.get(THREAD).content.decode()


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "is not a photo"),
        ("pl", "nie jest zdjęciem"),
        ("uk", "не є фотографією"),
    ],
)
def test_the_message_is_in_the_visitors_language(client, region, language, says) -> None:
    opened(client, submit_report().code)
    response = add(client, upload("x.pdf", b"MZ"), language=language)
    assert response.status_code == 400 and says in response.content.decode()


def test_a_language_button_on_the_page_after_an_error_keeps_the_message(client, region) -> None:
    """After a refused file the page's address is the upload's; its language buttons still carry the message."""
    opened(client, submit_report().code)
    add(client, upload("x.pdf", b"MZ"))
    response = client.post(f"/en{FILES}", {"_language": "en", "body": "Half geschreven bericht"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Half geschreven bericht" in page and "Your report" in page
    assert not Attachment.objects.exists()


def test_a_session_for_one_report_cannot_add_files_to_another(client, region) -> None:
    mine, theirs = submit_report(), submit_report(description="Een andere melding.")
    opened(client, mine.code)
    pk = theirs.report.pk
    add(client, upload("foto.png", png(), "image/png"), report=pk, report_id=pk, receipt_report_id=pk)
    assert not theirs.report.attachments.exists()
    assert mine.report.attachments.count() == 1


def test_without_an_open_report_nothing_is_stored(client, region) -> None:
    submit_report()
    response = add(client, upload("foto.png", png(), "image/png"))
    # The code page, which says the files must be chosen again once the report is open.
    assert response.status_code == 200 and "receipt" not in response.content.decode().lower()
    assert "Je bestanden zijn niet toegevoegd" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_message_and_a_photo_sent_together_both_arrive(client, region) -> None:
    """The tester typed a message, chose a photo and pressed the message button: the photo was dropped without a
    word (two forms on one page). The thread has one form now."""
    submission = submit_report()
    opened(client, submission.code)
    response = add(client, upload("foto.png", png(), "image/png"), body="Hier is de foto van het busje.")
    assert response.status_code == 302
    report = Report.objects.get(pk=submission.report.pk)
    assert report.attachments.count() == 1
    assert report.messages.filter(body="Hier is de foto van het busje.").exists()


def test_a_refused_file_keeps_the_message_typed_beside_it(client, region) -> None:
    """A bad file with a message: neither is sent, and the page gives the message back as typed."""
    submission = submit_report()
    opened(client, submission.code)
    response = add(client, upload("evil.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"), body="Bericht C")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bericht C</textarea>" in page
    assert "Kies de bestanden opnieuw" in page  # in the error summary
    assert not Report.objects.get(pk=submission.report.pk).messages.exists()


def test_choose_files_again_is_said_only_after_files_were_refused(client, region) -> None:
    opened(client, submit_report().code)
    page = client.get(THREAD).content.decode()
    assert "bestanden opnieuw" not in page


def test_the_thread_with_what_was_sent_is_never_cached(client, region) -> None:
    opened(client, submit_report().code)
    assert "no-store" in client.get(THREAD)["Cache-Control"]
