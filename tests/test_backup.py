"""Backup and restore: the round trip into an empty database gives the same counts, the same files and an audit
chain that verifies; a wrong key, a changed byte and a database that is not empty are refused."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from kenniscentrum.audit.chain import verify
from kenniscentrum.reports.models import Attachment, Report
from kenniscentrum.upkeep.backup import counts
from tests.conftest import submit_report


@pytest.fixture
def key(monkeypatch) -> str:
    value = Fernet.generate_key().decode()
    monkeypatch.setenv("BACKUP_KEY", value)
    return value


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_whole(key, case, tmp_path) -> None:
    report = submit_report(description="Met een foto").report
    attachment = Attachment(report=report, original_name="foto.png", content_type="image/png", size=3)
    attachment.file.save("foto.png", ContentFile(b"png-bytes"))
    name = attachment.file.name
    before = counts()
    assert before["reports.report"] == 2 and before["cases.case"] == 1 and before["audit.auditevent"] > 0
    archive = tmp_path / "backup.kcb"
    out = StringIO()
    call_command("backup", out=str(archive), stdout=out)
    assert "1 files" in out.getvalue()
    assert b"Met een foto" not in archive.read_bytes() and b"png-bytes" not in archive.read_bytes()

    call_command("flush", interactive=False, verbosity=0)
    default_storage.delete(name)
    assert not Report.objects.exists() and not default_storage.exists(name)
    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert counts() == before
    with default_storage.open(name, "rb") as restored:
        assert restored.read() == b"png-bytes"
    assert Report.objects.get(pk=report.pk).description == "Met een foto"
    assert verify().intact and "The audit chain verifies" in out.getvalue()

    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(archive), stdout=StringIO())


@pytest.mark.django_db
def test_a_wrong_key_a_changed_byte_or_no_key_is_refused(key, region, tmp_path, monkeypatch) -> None:
    submit_report()
    archive = tmp_path / "backup.kcb"
    call_command("backup", out=str(archive), stdout=StringIO())
    monkeypatch.setenv("BACKUP_KEY", Fernet.generate_key().decode())
    with pytest.raises(CommandError, match="cannot be read with this BACKUP_KEY"):
        call_command("restore", str(archive), stdout=StringIO())
    monkeypatch.setenv("BACKUP_KEY", key)
    data = bytearray(archive.read_bytes())
    data[200] ^= 1
    changed = tmp_path / "changed.kcb"
    changed.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("restore", str(changed), stdout=StringIO())
    monkeypatch.delenv("BACKUP_KEY")
    with pytest.raises(Exception, match="Set BACKUP_KEY"):
        call_command("backup", out=str(tmp_path / "x.kcb"), stdout=StringIO())
