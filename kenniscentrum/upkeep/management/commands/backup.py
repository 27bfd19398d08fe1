"""Writes one encrypted archive of the database and the stored files (upkeep/backup.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from kenniscentrum.upkeep.backup import backup


class Command(BaseCommand):
    help = "Writes one encrypted archive (database, files, manifest with hashes) under the key in BACKUP_KEY."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, help="the archive to write")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = backup(Path(options["out"]))
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"{rows} rows and {len(manifest['files'])} files written to {options['out']}.")
