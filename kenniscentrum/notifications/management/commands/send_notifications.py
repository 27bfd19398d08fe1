from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kenniscentrum.notifications.receivers import notify_due, notify_terms_ending
from kenniscentrum.notifications.services import digests_send, outbox_send


class Command(BaseCommand):
    help = (
        "Sends the notifications that are due (run every minute by cron or a systemd timer; docs/notifications.md). "
        "--daily also writes the day's notices (tasks due tomorrow or overdue, access ending) and sends the daily "
        "summaries (run once a day)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--daily", action="store_true", help="the once-a-day notices and summaries as well")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["daily"]:
            made = notify_due()
            mails = digests_send()
            self.stdout.write(f"{made} notices of what falls due; {mails} daily summaries sent.")
        notify_terms_ending()
        sent, failed = outbox_send()
        self.stdout.write(f"{sent} sent, {failed} to be tried again.")
