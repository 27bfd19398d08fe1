"""Counts the monitor's figures again from the records; run it nightly, after apply_retention (README)."""

from typing import Any

from django.core.management.base import BaseCommand

from kenniscentrum.insights.figures import figures_refresh


class Command(BaseCommand):
    help = "Counts the monitor's figures again from the records; the figures kept after retention stay."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = figures_refresh()
        self.stdout.write(f"{rows} figures counted from the records.")
