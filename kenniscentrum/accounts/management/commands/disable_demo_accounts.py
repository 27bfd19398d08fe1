from typing import Any

from django.core.management.base import BaseCommand

from kenniscentrum.accounts.demo import demo_accounts_disable


class Command(BaseCommand):
    help = "Locks the demo accounts (no password, no two-factor device), so a server with DEBUG off may start."

    def handle(self, *args: Any, **options: Any) -> None:
        count = demo_accounts_disable()
        self.stdout.write(f"{count} demo accounts locked.")
