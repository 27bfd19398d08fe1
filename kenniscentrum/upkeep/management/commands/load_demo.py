from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kenniscentrum.accounts.demo import DEMO_PASSWORD, DEMO_USERS, demo_secret, demo_users_create
from kenniscentrum.accounts.models import User
from kenniscentrum.cases.models import Case
from kenniscentrum.insights import publication
from kenniscentrum.insights.figures import figures_refresh
from kenniscentrum.linking.demo import demo_links_create
from kenniscentrum.notifications.receivers import notify_due
from kenniscentrum.reports import receipts
from kenniscentrum.reports.demo import (
    DEMO_RECEIPT_TOKEN,
    demo_consultations_create,
    demo_reports_create,
    demo_standard_replies_create,
)
from kenniscentrum.reports.models import Report
from kenniscentrum.upkeep.demo_cases import demo_cases_create


class Command(BaseCommand):
    help = (
        "Loads the region, the indicators, one demo account per role, a few hundred synthetic reports and about sixty "
        "cases, and prints how many of each are in the database."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reports", type=int, default=300)
        parser.add_argument("--cases", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "load_demo makes accounts with a public password: it runs only with DEMO_MODE=1 (make demo)."
            )
        call_command("load_region", stdout=self.stdout)
        call_command("load_indicators", stdout=self.stdout)
        demo_users_create()
        demo_standard_replies_create()
        if not Report.objects.exists():
            demo_reports_create(options["reports"])
            # A year before those, closed long ago: retention deletes these reports below, and the monitor keeps
            # what they counted for.
            demo_reports_create(max(options["reports"] // 4, 1), seed=2023, days_back=(735, 1095), receipt=False)
        if not Case.objects.exists():
            demo_cases_create(options["cases"])
            demo_links_create()
            # The morning's daily run, so the outbox holds what falls due: tasks, ending access, a reflection period.
            notify_due()
            demo_consultations_create()
            # The night's runs: retention (the oldest year's closed reports go, their figures stay), then the count.
            call_command("apply_retention", stdout=self.stdout)
            figures_refresh()
            # The completed years, published in order, as the centre does each January (insights/publication.py).
            director = User.objects.get(username="regie")
            while (year := publication.next_releasable()) is not None:
                publication.make_release(year, director)
        self.stdout.write(f"{Report.objects.count()} reports and {Case.objects.count()} cases in the database.\n")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, full_name, role, _org in DEMO_USERS:
            self.stdout.write(f"  {username:12} {role.value:17} TOTP key {demo_secret(username)}  ({full_name})")
        code = receipts.format_code(receipts.code_from_token(DEMO_RECEIPT_TOKEN))
        self.stdout.write(f"Follow up a demo report as its reporter at http://127.0.0.1:8000/volgen/ with code {code}")
        self.stdout.write(
            "Log in at http://127.0.0.1:8000/medewerkers/inloggen/ . For the second step, add the TOTP key to an\n"
            "authenticator app, or print the current codes with: make demo-codes\n"
            "The demo's notifications wait in the outbox; make demo-mail in a second terminal sends them to a\n"
            "local mail server that writes each one to var/mail/."
        )
