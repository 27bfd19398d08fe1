from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kenniscentrum.accounts.models import User
from kenniscentrum.accounts.services import enrolment_code_issue


class Command(BaseCommand):
    help = (
        "Issues a one-time enrolment code for each named account and prints it (the two-factor login is reset). "
        "For a centre with a single functional administrator: on the server, outside the web, and audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="+")

    def handle(self, *args: Any, **options: Any) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=options["usernames"])}
        missing = [name for name in options["usernames"] if name not in users]
        if missing:
            raise CommandError(f"No such account: {', '.join(missing)}")
        for username, user in users.items():
            code, record = enrolment_code_issue(user=user, actor=None, via="manage.py")
            self.stdout.write(f"{username:20} valid until {record.expires_at:%Y-%m-%d %H:%M} UTC  {code}")
