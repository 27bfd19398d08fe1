"""Issue 26, finding 4: with the receipt code the reporter sees what they sent, and adds photos and PDFs later;
staff see the new files on the report."""

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kenniscentrum.reports.models import Report
from tests.browser.conftest import check_page, new_page
from tests.browser.test_journeys import fill_minimal_report, photo, staff_login
from tests.conftest import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def send_report_with_photo(page: Any, tmp_path: Path) -> str:
    page.goto("/melden/")
    fill_minimal_report(page, "Op de camping werken mensen zonder loon.")
    page.get_by_label("Foto's of documenten").set_input_files(photo(tmp_path))
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("heading", name="Dank je wel. We hebben je melding ontvangen.").wait_for()
    return str(page.locator(".receipt-code").inner_text())


def open_report(page: Any, code: str) -> None:
    page.goto("/volgen/")
    page.get_by_label("Je ontvangstcode").fill(code)
    page.get_by_role("button", name="Mijn melding openen").click()
    page.get_by_role("heading", name="Je melding", exact=True).wait_for()


def test_the_reporter_sees_what_was_sent_and_adds_files_staff_see_them(
    browser, page, live_server, region, intake, tmp_path
) -> None:
    reporter = new_page(browser, live_server)
    open_report(reporter, send_report_with_photo(reporter, tmp_path))
    sent = reporter.locator("details.report-sent")
    # Closed at first: someone may be reading along.
    assert not sent.get_by_text("Op de camping werken mensen zonder loon.").is_visible()
    sent.locator("summary").click()
    assert sent.get_by_text("Op de camping werken mensen zonder loon.").is_visible()
    assert sent.get_by_text("bijlage-1.png").is_visible()
    check_page(reporter, live_server)

    pdf = tmp_path / "loonstrook.pdf"
    pdf.write_bytes(pdf_bytes(author="Jan Jansen"))
    other = tmp_path / "tweede.png"
    Image.new("RGB", (40, 20), "green").save(other, format="PNG")
    reporter.get_by_label("Foto's of documenten").set_input_files([pdf, other])
    reporter.get_by_role("button", name="Bericht versturen").click()
    reporter.get_by_text("2 bestanden zijn aan je melding toegevoegd.").wait_for()
    check_page(reporter, live_server)
    reporter.locator("details.report-sent summary").click()
    for name in ("bijlage-1.png", "bijlage-2.pdf", "bijlage-3.png"):
        assert reporter.locator("details.report-sent").get_by_text(name).is_visible(), name
    reporter.context.close()

    reference = Report.objects.get().reference
    staff_login(page, live_server, intake)
    page.goto(f"/medewerkers/meldingen/{Report.objects.get().pk}/")
    page.get_by_role("heading", name=f"Melding {reference}").wait_for()
    assert page.get_by_role("link", name="bijlage-2.pdf").is_visible()
    assert page.get_by_text("later toegevoegd door de melder").first.is_visible()
    check_page(page, live_server)


def test_a_refused_file_is_said_on_the_thread_page(browser, live_server, region, tmp_path) -> None:
    reporter = new_page(browser, live_server)
    open_report(reporter, send_report_with_photo(reporter, tmp_path))
    program = tmp_path / "loonstrook.pdf"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    reporter.get_by_label("Foto's of documenten").set_input_files(program)
    reporter.get_by_role("button", name="Bericht versturen").click()
    reporter.get_by_role("alert").get_by_text("loonstrook.pdf is geen foto", exact=False).wait_for()
    assert reporter.get_by_role("heading", name="Berichten").is_visible()  # the thread is still there
    check_page(reporter, live_server)
    reporter.context.close()


def test_files_are_added_without_javascript(browser, live_server, region, tmp_path) -> None:
    reporter = new_page(browser, live_server, javascript=False)
    open_report(reporter, send_report_with_photo(reporter, tmp_path))
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(pdf_bytes())
    reporter.get_by_label("Foto's of documenten").set_input_files(pdf)
    reporter.get_by_role("button", name="Bericht versturen").click()
    reporter.get_by_text("1 bestand is aan je melding toegevoegd.").wait_for()
    assert Report.objects.get().attachments.filter(added_later=True).count() == 1
    reporter.context.close()
