"""Checks the audit log's hash chain and names what is wrong with it (audit/chain.py); changes nothing. Exits 1 when
anything is: a broken link, an unsigned retention checkpoint while a key is known, an event without a place in the
chain, or, with --anchors, an anchored head the chain no longer holds. Run it from cron after `audit_anchor`."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kenniscentrum.audit.chain import read_anchors, verify


class Command(BaseCommand):
    help = "Checks the audit log's hash chain, and with --anchors FILE... that it still holds every anchored head."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--anchors", nargs="+", metavar="FILE", help="files of audit_anchor lines, kept outside")

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = None
        if options["anchors"]:
            try:
                anchors = read_anchors({name: Path(name).read_text(encoding="utf-8") for name in options["anchors"]})
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"The anchors file cannot be read: {exc}") from exc
        verdict = verify(anchors)
        if verdict.pending:
            self.stdout.write(f"{verdict.pending} events written in the last minutes are still being chained.")
        if verdict.intact:
            against = f", against {verdict.anchors} anchors" if anchors else ""
            self.stdout.write(f"The audit chain is intact: {verdict.checked} events checked{against}.")
            return
        for problem in verdict.problems:
            self.stderr.write(f"{problem}.")
        sys.exit(1)
