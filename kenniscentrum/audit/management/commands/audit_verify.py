"""Checks the audit log's hash chain and names the first broken link (audit/chain.py). Exits 1 when it is broken."""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from kenniscentrum.audit.chain import verify


class Command(BaseCommand):
    help = "Checks the audit log's hash chain; names the first event where it is broken."

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify()
        if verdict.pending:
            self.stdout.write(f"{verdict.pending} events were not chained yet and are now.")
        if verdict.intact:
            self.stdout.write(f"The audit chain is intact: {verdict.checked} events checked.")
            return
        self.stderr.write(
            f"The audit chain is broken at event {verdict.broken_at}: {verdict.reason}. "
            f"{verdict.checked} events before it are intact."
        )
        sys.exit(1)
