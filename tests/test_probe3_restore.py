"""Probe 3, finding 18: a restore never writes the decrypted database dump to disk; it is loaded from memory."""

import tempfile
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.commands import loaddata

from kenniscentrum.reports.models import Report
from tests.conftest import submit_report

SECRET = "Zeldzaamwoord in de loods aan de Haven"


@pytest.mark.django_db(transaction=True)
def test_the_plain_dump_never_touches_the_temporary_directory(region, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BACKUP_KEY", Fernet.generate_key().decode())
    submit_report(description=SECRET)
    archive = tmp_path / "backup.kcb"
    call_command("backup", out=str(archive), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setenv("TMPDIR", str(temporary))
    seen: list[str] = []
    load = loaddata.Command.loaddata

    def watching(self, fixture_labels):  # observes the temporary directory while the dump is loaded
        seen.extend(str(path) for path in temporary.rglob("*"))
        seen.extend(label for label in fixture_labels if Path(label).exists())
        return load(self, fixture_labels)

    monkeypatch.setattr(loaddata.Command, "loaddata", watching)
    call_command("restore", str(archive), stdout=StringIO())
    assert Report.objects.get().description == SECRET  # restored
    assert seen == []  # no file of the dump, in the temporary directory or anywhere loaddata was pointed at
    assert list(temporary.rglob("*")) == []
