"""Brings an encrypted archive back into an empty database and the file storage (upkeep/backup.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kenniscentrum.audit.chain import verify
from kenniscentrum.upkeep.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restores a `backup` archive into an empty, migrated database; checks hashes, counts and the audit chain."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = restore(Path(options["archive"]))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        verdict = verify()
        rows = sum(restored.counts.values())
        self.stdout.write(f"{rows} rows and {restored.files} files restored; the counts match the archive's.")
        if not verdict.intact:
            raise CommandError(f"The restored audit log does not verify: {'; '.join(verdict.problems)}.")
        self.stdout.write(f"The audit chain verifies: {verdict.checked} events.")
