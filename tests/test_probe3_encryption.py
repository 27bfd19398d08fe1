"""Security probe 3, finding 17: someone who reads the database (a dump, a replica, a stolen disk) finds no
second-factor seed to mint codes with, and no stored file's name; staff still log in, enrol, and see and download
files by name; `rotate_keys` moves the new columns to a new key too."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django_otp.oath import TOTP

from kenniscentrum.accounts.services import enrolment_code_issue, totp_device_for_enrolment
from kenniscentrum.cases.models import Document
from kenniscentrum.organisations.demo import DEMO_COVENANT
from kenniscentrum.organisations.models import Covenant
from kenniscentrum.reports.models import Attachment
from tests.conftest import PASSWORD, logged_in, pdf_bytes
from tests.test_encryption import stored_report

pytestmark = pytest.mark.django_db

SEED_TABLES = ("otp_totp_totpdevice", "accounts_authenticator")


def rows(sql: str, *params: object) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def stored_seeds() -> list[str]:
    """Every TOTP key as the database holds it, read with SQL as a database reader would."""
    tables = connection.introspection.table_names()
    return [key for table in SEED_TABLES if table in tables for (key,) in rows(f"SELECT key FROM {table}")]  # noqa: S608


def code(device) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_a_database_reader_finds_no_second_factor_seed_and_staff_still_log_in(client, intake, admin_user) -> None:
    enrolment_code_issue(user=intake, actor=admin_user)
    device = totp_device_for_enrolment(intake)
    seed = device.bin_key.hex()
    stored = stored_seeds()
    assert stored and all(seed not in value and value.startswith("gAAAAA") for value in stored)
    device.confirmed = True
    device.save()
    client.post("/medewerkers/inloggen/", {"username": intake.username, "password": PASSWORD})
    response = client.post("/medewerkers/inloggen/code/", {"token": code(device)})
    assert response.status_code == 302 and client.get("/medewerkers/meldingen/").status_code == 200


def test_seeds_stored_in_the_clear_by_an_earlier_version_are_moved_and_encrypted(region, intake) -> None:
    from django.apps import apps
    from django_otp.plugins.otp_totp.models import TOTPDevice as PlainDevice

    from kenniscentrum.accounts.models import Authenticator

    Authenticator.objects.filter(user=intake).delete()
    plain = PlainDevice.objects.create(user=intake, name="authenticator", confirmed=True, last_t=42)
    migration = __import__("kenniscentrum.accounts.migrations.0004_authenticator", fromlist=["x"])
    migration.authenticators_encrypted(apps, None)
    assert not PlainDevice.objects.exists()
    moved = Authenticator.objects.get(user=intake)
    assert (moved.key, moved.name, moved.confirmed, moved.last_t) == (plain.key, "authenticator", True, 42)
    assert all(plain.key not in value for value in stored_seeds())


def test_a_case_document_s_name_is_ciphertext_and_staff_still_see_and_download_it_by_name(case, director) -> None:
    staff = logged_in(director)
    upload = SimpleUploadedFile("Paspoort Jan de Vries.pdf", pdf_bytes(), content_type="application/pdf")
    staff.post(f"/medewerkers/casussen/{case.pk}/actie/document/",
               {"document-file": upload, "document-visibility": "internal"})  # fmt: skip
    document = Document.objects.get()
    ((raw_name, path),) = rows("SELECT original_name, file FROM cases_document")
    assert "Jan de Vries" not in raw_name and raw_name.startswith("gAAAAA") and "Jan" not in path
    assert all("Jan" not in name for (name,) in rows("SELECT name FROM lib_storedfile"))
    assert "Paspoort Jan de Vries.pdf" in staff.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    download = staff.get(f"/medewerkers/casussen/{case.pk}/documenten/{document.pk}/")
    assert "Paspoort Jan de Vries.pdf" in download["Content-Disposition"]


def test_a_report_attachment_s_name_is_ciphertext_and_intake_still_sees_it(client, region, intake) -> None:
    report = stored_report(client)
    ((raw_name,),) = rows("SELECT original_name FROM reports_attachment")
    assert raw_name.startswith("gAAAAA") and "bijlage" not in raw_name
    attachment = Attachment.objects.get()
    staff = logged_in(intake)
    assert attachment.original_name in staff.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    download = staff.get(f"/medewerkers/meldingen/{report.pk}/bijlage/{attachment.pk}/")
    assert attachment.original_name in download["Content-Disposition"]


def test_a_covenant_document_s_name_is_ciphertext_and_administrators_still_see_it(admin_user) -> None:
    covenant = Covenant.objects.get(name=DEMO_COVENANT)
    admin = logged_in(admin_user)
    page = admin.get(f"/beheer/organisations/covenant/{covenant.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "document"}
    data["parties"] = [p.pk for p in covenant.parties.all()]
    data["legal_bases"] = covenant.legal_bases
    data["starts_on"] = covenant.starts_on.isoformat()
    data["ends_on"] = covenant.ends_on.isoformat() if covenant.ends_on else ""
    data["document"] = SimpleUploadedFile("Convenant Zorg Twente getekend.pdf", pdf_bytes(), "application/pdf")
    data["_save"] = "1"
    inline = page.context["inline_admin_formsets"][0].formset
    count = str(inline.initial_form_count())  # the covenant's rules as they are
    data.update({f"{inline.prefix}-TOTAL_FORMS": count, f"{inline.prefix}-INITIAL_FORMS": count})
    for i, inline_form in enumerate(inline.initial_forms):
        for name, value in inline_form.initial.items():
            data[f"{inline.prefix}-{i}-{name}"] = value if value is not None else ""
        data[f"{inline.prefix}-{i}-id"] = inline_form.instance.pk
    response = admin.post(f"/beheer/organisations/covenant/{covenant.pk}/change/", data)
    assert response.status_code == 302
    stored = rows("SELECT name FROM lib_storedfile") + rows("SELECT document FROM organisations_covenant")
    assert all("Zorg" not in value for (value,) in stored)
    page = admin.get(f"/beheer/organisations/covenant/{covenant.pk}/change/").content.decode()
    assert "Convenant Zorg Twente getekend.pdf" in page
    download = admin.get(f"/beheer/organisations/covenant/{covenant.pk}/document/")
    assert "Convenant Zorg Twente getekend.pdf" in download["Content-Disposition"]


def test_rotation_moves_the_seeds_and_the_file_names_to_the_new_key(case, director, settings) -> None:
    from kenniscentrum.lib.management.commands.rotate_keys import encrypted_columns

    assert {("accounts_authenticator", "key"), ("reports_attachment", "original_name"),
            ("cases_document", "original_name"), ("organisations_covenant", "document_name")} <= {
        (table, column) for table, columns in encrypted_columns() for column in columns}  # fmt: skip
    attachment = Attachment(report=case.reports.first(), original_name="bijlage-1.png", content_type="image/png",
                            size=3)  # fmt: skip
    attachment.file.save("x.png", ContentFile(b"png"), save=True)
    document = Document(case=case, original_name="Verslag.pdf", content_type="application/pdf", size=3,
                        uploaded_by=director)  # fmt: skip
    document.file.save("x.pdf", ContentFile(b"pdf"), save=True)

    def stored() -> list[str]:
        return stored_seeds() + [name for table in ("cases_document", "reports_attachment")
                                 for (name,) in rows(f"SELECT original_name FROM {table}")]  # noqa: S608  # fmt: skip

    before = stored()
    old, new = settings.DATA_KEYS[0], Fernet.generate_key().decode()
    settings.DATA_KEYS = [new, old]
    call_command("rotate_keys", stdout=StringIO())
    after = stored()
    assert len(after) == 4  # the intake worker's and the director's seeds, and two names
    assert all(a != b and Fernet(new).decrypt(a.encode()) for a, b in zip(after, before, strict=True))
    settings.DATA_KEYS = [new]
    assert Document.objects.get().original_name == "Verslag.pdf"
    assert Attachment.objects.get().original_name == "bijlage-1.png"


def test_names_stored_in_the_clear_by_an_earlier_version_are_encrypted_or_moved_by_the_migrations(case, director):
    from django.apps import apps
    from django.core.files.storage import default_storage

    document = Document(case=case, original_name="x", content_type="application/pdf", size=3, uploaded_by=director)
    document.file.save("x.pdf", ContentFile(b"pdf"), save=True)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_document SET original_name = 'Verslag Jan.pdf'")
    cases = __import__("kenniscentrum.cases.migrations.0015_encrypted_document_name", fromlist=["x"])
    for _ in range(2):  # twice changes nothing more
        cases.encrypt_existing(apps, type("Editor", (), {"connection": connection}))
    assert rows("SELECT original_name FROM cases_document")[0][0].startswith("gAAAAA")
    assert Document.objects.get().original_name == "Verslag Jan.pdf"

    covenant = Covenant.objects.get(name=DEMO_COVENANT)
    old = default_storage.save("covenants/Convenant Zorg.pdf", ContentFile(b"%PDF getekend"))
    Covenant.objects.filter(pk=covenant.pk).update(document=old)
    organisations = __import__("kenniscentrum.organisations.migrations.0004_encrypted_document_name", fromlist=["x"])
    organisations.documents_renamed(apps, None)
    covenant.refresh_from_db()
    assert covenant.document_name == "Convenant Zorg.pdf" and "Zorg" not in covenant.document.name
    assert not default_storage.exists(old)
    with covenant.document.open("rb") as moved:
        assert moved.read() == b"%PDF getekend"
