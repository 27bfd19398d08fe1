from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kenniscentrum.accounts.demo import DEMO_USERS, demo_code


class Command(BaseCommand):
    help = "Prints the current two-factor codes of the demo accounts (DEMO_MODE only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Only available with DEMO_MODE=1: real accounts keep their codes on their own phones.")
        for username, *_ in DEMO_USERS:
            self.stdout.write(f"{username:12} {demo_code(username)}")
