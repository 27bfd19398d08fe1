"""Encryption at rest (issue 16): the reporter's identity and contact details and every stored file are ciphertext in
the database, read back whole through the platform; a wrong or missing key stops the start; rotation moves all of it
to a new key."""

from io import BytesIO, StringIO
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from kenniscentrum.lib.encryption import keys_fit
from kenniscentrum.lib.models import KeyCanary, StoredFile
from kenniscentrum.reports.models import Attachment, Report
from kenniscentrum.startup import key_problems
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL, SAFE = "Rita Reporter", "0612345678", "rita@example.test", "Alleen na 18 uur bellen"


def png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (30, 30), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def stored_report(client) -> Report:
    from tests.reports.test_public_form import valid

    data = valid(client, contact_preference="phone", reporter_name=NAME, reporter_phone=PHONE, reporter_email=EMAIL,
                 contact_safety_note=SAFE, attachments=[])  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    data["attachments"] = [SimpleUploadedFile("foto.png", png(), content_type="image/png")]
    assert client.post("/melden/", data).status_code in (200, 302)
    return Report.objects.get()


def raw_row(report: Report) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reporter_name, reporter_phone, reporter_email, contact_safety_note FROM reports_report "
            "WHERE id = %s",
            [report.pk],
        )
        return cursor.fetchone()


def raw_file() -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM lib_storedfile")
        return bytes(cursor.fetchone()[0])


def test_the_database_holds_ciphertext_and_the_platform_reads_it_back(client, region, intake) -> None:
    report = stored_report(client)
    raw = raw_row(report)
    for plain, stored in zip((NAME, PHONE, EMAIL, SAFE), raw, strict=True):
        assert plain not in stored and stored.startswith("gAAAAA")
    report.refresh_from_db()
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == (NAME, PHONE, EMAIL)
    content = raw_file()
    assert b"PNG" not in content and b"IHDR" not in content
    attachment = Attachment.objects.get()
    staff = logged_in(intake)
    download = staff.get(f"/medewerkers/meldingen/{report.pk}/bijlage/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    page = staff.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert NAME in page and PHONE in page


def test_a_wrong_or_missing_key_stops_the_start(region, settings) -> None:
    keys_fit()  # the key check is written under the demo key
    assert KeyCanary.objects.count() == 1
    settings.DATA_KEYS = [Fernet.generate_key().decode()]
    assert any("does not decrypt with DATA_KEYS" in p for p in key_problems())
    settings.DATA_KEYS = ["not-a-key"]
    assert any("not a Fernet key" in p for p in key_problems())
    settings.DATA_KEYS = []
    assert any("DATA_KEYS is empty" in p for p in key_problems())
    settings.DEBUG = False
    settings.DATA_KEYS = [settings.INSECURE_DATA_KEY]
    assert any("public demo key" in p for p in key_problems())


def test_rotation_moves_every_value_and_file_to_the_new_key(client, region, settings) -> None:
    old = settings.DATA_KEYS[0]
    report = stored_report(client)
    keys_fit()
    before_text, before_file = raw_row(report), raw_file()
    new = Fernet.generate_key().decode()
    settings.DATA_KEYS = [new]
    with pytest.raises(CommandError, match="decrypts with none of DATA_KEYS"):
        call_command("rotate_keys", stdout=StringIO())
    settings.DATA_KEYS = [new, old]
    out = StringIO()
    call_command("rotate_keys", stdout=out)
    assert "5 encrypted values and 1 files are now under the first key" in out.getvalue()  # and the file's name
    after_text, after_file = raw_row(report), raw_file()
    assert all(a != b for a, b in zip(after_text, before_text, strict=True)) and after_file != before_file
    settings.DATA_KEYS = [new]  # the old key removed
    assert key_problems() == []
    report.refresh_from_db()
    assert report.reporter_email == EMAIL
    with Attachment.objects.get().file.open("rb") as f:
        assert f.read() == png()


def test_reports_stored_before_encryption_are_encrypted_by_the_migration(client, region) -> None:
    report = stored_report(client)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reports_report SET reporter_name = %s, reporter_phone = %s WHERE id = %s",
                       [NAME, PHONE, report.pk])  # fmt: skip
    migration = __import__("kenniscentrum.reports.migrations.0016_encrypted_reporter", fromlist=["encrypt_existing"])
    migration.encrypt_existing(apps, SimpleNamespace(connection=connection))
    migration.encrypt_existing(apps, SimpleNamespace(connection=connection))  # twice changes nothing more
    assert raw_row(report)[0].startswith("gAAAAA")
    report.refresh_from_db()
    assert (report.reporter_name, report.reporter_phone) == (NAME, PHONE)


def test_files_stored_on_disk_by_an_earlier_version_move_into_the_database(client, region, settings, tmp_path) -> None:
    stored_report(client)
    attachment = Attachment.objects.get()
    StoredFile.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / attachment.file.name).parent.mkdir(parents=True)
    (tmp_path / attachment.file.name).write_bytes(png())
    (tmp_path / "attachments" / "ander.txt").write_bytes(b"not named by any row")
    migration = __import__("kenniscentrum.lib.migrations.0003_files_into_the_database", fromlist=["x"])
    migration.files_into_the_database(apps, None)
    assert list(StoredFile.objects.values_list("name", flat=True)) == [attachment.file.name]
    with attachment.file.open("rb") as f:
        assert f.read() == png()
