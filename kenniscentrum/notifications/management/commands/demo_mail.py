import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kenniscentrum.notifications.models import Notification, State
from kenniscentrum.notifications.services import outbox_send


class MailFolder:
    """An SMTP server's handler that writes every message it receives to a file, for reading the demo's mail."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        number = len(list(self.folder.glob("*.eml"))) + 1
        (self.folder / f"{number:05d}.eml").write_bytes(envelope.content)
        return "250 OK"


class Command(BaseCommand):
    help = (
        "Demo only: a local SMTP server that writes each mail to var/mail/, and the outbox sent every 30 seconds. "
        "Run it beside `make demo` (make demo-mail) to read the notifications the demo sends."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="send what is due once and stop")
        parser.add_argument("--folder", default="", help="where the mail goes (default var/mail/)")
        parser.add_argument(
            "--backlog", action="store_true", help="also send what was waiting before it started (the demo data's)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("demo_mail is for the demo only (DEMO_MODE=1).")
        from aiosmtpd.controller import Controller

        folder = Path(options["folder"] or Path(settings.BASE_DIR) / "var" / "mail")
        controller = Controller(MailFolder(folder), hostname=settings.EMAIL_HOST, port=settings.EMAIL_PORT)
        controller.start()
        self.stdout.write(f"Mail of the demo goes to {folder}/ (one .eml file per message; open it with any editor).")
        # The demo data leaves hundreds of notifications in the outbox; sent at once they bury the one a click in the
        # demo makes. Without --backlog only what is made from now on is sent, and the backlog waits.
        since = None if options["backlog"] else timezone.now()
        if since is not None:
            waiting = Notification.objects.filter(state=State.WAITING, created_at__lt=since).count()
            self.stdout.write(f"{waiting} notifications made before now wait in the outbox; --backlog sends them.")
        try:
            while True:
                sent, failed = outbox_send(since=since)
                if sent or failed:
                    self.stdout.write(f"{sent} sent, {failed} to be tried again.")
                if options["once"]:
                    return
                time.sleep(30)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
