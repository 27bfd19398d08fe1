"""Findings of the security probe of the running platform (issue 9), each kept fixed by a test that failed before.

The receipt look-up, login, enrolment, demo, audit and case findings have their tests beside the features
(tests/reports/test_followup.py, tests/accounts/test_login.py, tests/reports/test_demo.py,
tests/audit/test_audit.py, tests/cases/test_probe_findings.py); the rest are here.
"""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from PIL import Image

from kenniscentrum.accounts.models import Authenticator
from kenniscentrum.audit.models import AuditEvent
from kenniscentrum.lib.models import StoredFile
from kenniscentrum.lib.uploads import TooLargeUpload
from kenniscentrum.organisations.models import Organisation
from kenniscentrum.reports import services as report_services
from kenniscentrum.reports.models import Attachment, Report
from kenniscentrum.startup import startup_problems
from tests.conftest import logged_in, pdf_bytes
from tests.reports.test_public_form import valid

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def attach(client, *files: tuple[str, bytes]):
    uploads = [SimpleUploadedFile(name, content, content_type="application/octet-stream") for name, content in files]
    return client.post("/melden/", valid(client, attachments=uploads))


# Uploads (findings 8 and 9)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("loonstrook.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>"),
        ("foto.pdf", b"%PDF-1.7\r\n@echo off\r\ndel /q C:\\*\r\n"),
        ("start.bat", b"@echo off\r\nstart calc.exe\r\n"),
        ("formulier.pdf", pdf_bytes(javascript="app.alert('hallo');")),
    ],
    ids=["html-behind-a-pdf-header", "batch-file-renamed-to-pdf", "batch-file", "pdf-with-javascript"],
)
def test_files_that_are_not_a_clean_pdf_or_photo_are_refused_and_the_text_is_kept(
    client, region, name, content
) -> None:
    response = attach(client, (name, content))
    assert response.status_code == 200
    assert name in str(response.context["form"].errors["attachments"])
    assert "Enschede-Zuid" in response.content.decode()  # what was typed stays on the page
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_an_image_too_large_to_decode_is_refused_from_its_header(client, region, monkeypatch) -> None:
    out = BytesIO()
    Image.new("L", (6000, 5000)).save(out, format="PNG")  # 30 megapixels in a small file
    decoded = []
    original_load = Image.Image.load

    def spy(self):  # observes decoding, changes nothing
        decoded.append(self.size)
        return original_load(self)

    monkeypatch.setattr(Image.Image, "load", spy)
    response = attach(client, ("groot.png", out.getvalue()))
    assert "groot.png" in str(response.context["form"].errors["attachments"])
    assert (6000, 5000) not in decoded
    assert not Report.objects.exists()


def test_one_submission_cannot_make_the_server_decode_more_than_its_budget(client, region) -> None:
    def photo() -> bytes:
        out = BytesIO()
        Image.new("L", (5000, 4000)).save(out, format="PNG")  # 20 megapixels each, allowed on its own
        return out.getvalue()

    response = attach(client, *[(f"{i}.png", photo()) for i in range(3)])
    errors = str(response.context["form"].errors["attachments"])
    assert "50" in errors  # the budget, named
    assert not Report.objects.exists()


def test_a_jpeg_comment_is_not_stored(client, region) -> None:
    out = BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, format="JPEG", comment=b"Gemaakt door Jan Jansen")
    attach(client, ("foto.jpg", out.getvalue()))
    with Attachment.objects.get().file.open("rb") as stored:
        assert b"Jan Jansen" not in stored.read()


def test_a_file_too_large_is_dropped_while_it_streams_in_and_the_form_comes_back(client, region, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    response = attach(client, ("groot.pdf", b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)))
    errors = response.context["form"].errors["attachments"]
    assert any("1 MB" in e for e in errors)
    upload = response.wsgi_request.FILES["attachments"]
    # Only its size is known: what came past the limit was dropped as it arrived, never stored.
    assert isinstance(upload, TooLargeUpload) and upload.size > settings.ATTACHMENT_MAX_BYTES
    assert "Enschede-Zuid" in response.content.decode()


def test_a_body_past_the_ceiling_is_refused_before_it_is_read(client, region, settings) -> None:
    settings.REQUEST_MAX_BYTES = 1024 * 1024
    response = attach(client, ("groot.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)))
    assert response.status_code == 413
    assert "Te veel om in één keer te versturen" in response.content.decode()
    assert not Report.objects.exists()


# Nothing half-stored (finding 13)


def test_a_crash_while_storing_a_report_leaves_no_file(client, region, monkeypatch) -> None:
    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_services, "_audit_transition", crash)
    out = BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="PNG")
    with pytest.raises(RuntimeError):
        attach(client, ("foto.png", out.getvalue()))
    assert not Report.objects.exists()
    assert not StoredFile.objects.exists()


def test_retention_removes_files_no_row_refers_to_and_ended_sessions(client, region) -> None:
    out = BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="PNG")
    attach(client, ("foto.png", out.getvalue()))
    kept = Attachment.objects.get().file.name
    default_storage.save("attachments/2026/01/verweesd.png", ContentFile(b"x"))
    day_ago = timezone.now() - timedelta(days=2)
    StoredFile.objects.update(created_at=day_ago)
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    call_command("apply_retention", stdout=StringIO())
    assert list(StoredFile.objects.values_list("name", flat=True)) == [kept]
    assert not Session.objects.filter(session_key="x" * 32).exists()


# The double-submit answer belongs to the session that submitted (finding 16)


def test_a_form_token_posted_from_another_session_does_not_show_the_receipt_code(region) -> None:
    reporter = Client()
    data = valid(reporter)
    first = reporter.post("/melden/", data)
    code = first.context["code"]
    again = reporter.post("/melden/", data)
    assert again.context["code"] == code and again.context["duplicate"]  # a double click still shows it
    stranger = Client()
    response = stranger.post("/melden/", data)
    assert response.status_code == 409
    assert code not in response.content.decode()
    assert Report.objects.count() == 1


# Input that used to give a 500 (finding 12)


def test_year_one_and_huge_ids_are_answered_with_a_message(region, intake, director) -> None:
    client = logged_in(intake)
    page = client.get("/medewerkers/meldingen/nieuw/")
    for moment in ("0001-01-01T00:00", "0001-01-01T01:00"):
        response = client.post(
            "/medewerkers/meldingen/nieuw/",
            {"token": page.context["form"].initial["token"], "channel": "phone", "received_at": moment},
        )
        assert response.status_code == 200 and "received_at" in response.context["form"].errors
        assert f'value="{moment}"' in response.content.decode()
    assert not Report.objects.exists()

    meetings = logged_in(director)
    police = Organisation.objects.get(type="police")
    for data in (
        {"type": "screening", "held_at": "0001-01-01T00:00", "organisations": [police.pk]},
        {"type": "screening", "held_at": "2026-03-01T10:00", "organisations": ["9" * 30]},
        {"type": "screening", "held_at": "2026-03-01T10:00", "organisations": ["-1", "abc"]},
    ):
        response = meetings.post("/medewerkers/overleggen/nieuw/", data)
        assert response.status_code == 400 and response.context["form"].errors

    report = Report.objects.create(reference="M-2026-00001", description="x", received_at=timezone.now())
    for case in ("abc", "9" * 30, ""):
        response = client.post(f"/medewerkers/meldingen/{report.pk}/casus/", {"do": "link", "case": case})
        assert response.status_code == 400 and response.context["error"]


# Safe start (findings 2 and 15)


def test_the_server_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG")}
    env["DEBUG"] = "0"
    run = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-c", "import kenniscentrum.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode != 0
    assert "SECRET_KEY is not set" in run.stderr
    assert "DATA_KEYS holds the public demo key" in run.stderr


def test_the_server_refuses_to_start_while_demo_accounts_exist(intake, settings) -> None:
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.RECEIPT_CODE_KEY = settings.SECRET_KEY
    settings.DATA_KEYS = [Fernet.generate_key().decode()]
    assert startup_problems() == []
    Authenticator.objects.filter(user=intake).update(name="demo")
    assert any("demo accounts" in problem for problem in startup_problems())
    call_command("disable_demo_accounts", stdout=StringIO())
    assert startup_problems() == []
    intake.refresh_from_db()
    assert not intake.is_active and not intake.has_usable_password()


def test_static_files_are_served_with_debug_off(client) -> None:
    assert not settings.DEBUG
    response = client.get("/static/js/quick-exit.js")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


# Small ones (finding 17)


def test_an_unknown_staff_page_in_another_language_is_a_404_not_a_loop(client) -> None:
    response = client.get("/pl/medewerkers/bestaat-niet/?a=1", follow=True)
    assert response.redirect_chain == [("/medewerkers/bestaat-niet/?a=1", 302)]
    assert response.status_code == 404


def test_options_and_trace_are_not_answered_like_get(region, intake) -> None:
    client = logged_in(intake)
    before = AuditEvent.objects.count()
    for method in ("options", "trace"):
        response = client.generic(method.upper(), "/medewerkers/meldingen/")
        assert response.status_code == 405
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert client.generic("PUT", "/melden/").status_code == 405
    assert AuditEvent.objects.count() == before


def test_a_bad_request_gets_the_platforms_own_page(client) -> None:
    response = client.get("/", HTTP_HOST="aanvaller.example")
    assert response.status_code == 400
    assert "Verzoek niet begrepen" in response.content.decode()


def test_reading_the_public_pages_and_trying_a_code_leave_no_session_behind(client, region) -> None:
    client.get("/melden/")
    client.get("/volgen/")
    client.post("/volgen/", {"code": "AAAA-BBBB-CCCC"})
    assert not Session.objects.exists()


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite only; runs in the SQLite pass of CI"
)
def test_concurrent_submissions_on_sqlite_are_all_stored(tmp_path) -> None:
    """Real threads against a file-based SQLite database with the production settings (WAL, IMMEDIATE)."""
    script = ROOT / "tests" / "sqlite_concurrency.py"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrency.sqlite3'}", "MEDIA_ROOT": str(tmp_path)}
    run = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "stored 24 of 24" in run.stdout, run.stdout
