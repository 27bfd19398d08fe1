"""Writing notifications into the outbox, and sending them.

`notify` runs inside the transaction of the event (a receiver of the event's signal), so a notification exists
exactly when its event does. `outbox_send` sends what is due: each row is locked while it is sent (PostgreSQL skips
rows another sender holds), marked sent in the same transaction, or given a later attempt when the SMTP server
fails. Nothing is lost while the server is down, and two senders at once send each message once.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kenniscentrum.accounts.models import User
from kenniscentrum.reports.notices import reporter_notice

from .models import URGENT_KINDS, Mode, Notification, Preference, State

# Waits after a failed attempt: a minute, then longer, at most six hours between attempts.
BACKOFF_MINUTES = [1, 5, 15, 60, 180, 360]
# After this many attempts a notification stays failed until a functional administrator retries it.
MAX_ATTEMPTS = 12
# How many are sent per transaction; a sender goes on until nothing is due.
BATCH = 50


def mode_for(user: User, kind: str) -> str:
    """How `user` wants `kind`: their choice, at once without one; urgent kinds always at once."""
    if kind in URGENT_KINDS:
        return Mode.AT_ONCE
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("mode", flat=True).first()
    return chosen or Mode.AT_ONCE


def notify(kind: str, event: str, link: str, users: Iterable[User]) -> int:
    """One notification of `event` for each user who wants it; a second call for the same event adds none."""
    made = 0
    # Not to an account that may no longer act (inactive, or its organisation inactive): User.may_act.
    for user in {u.pk: u for u in users if u.may_act and u.email}.values():
        mode = mode_for(user, kind)
        if mode == Mode.OFF:
            continue
        made += _create(kind=kind, event=event, link=link, mode=mode, recipient=user)
    return made


def notify_address(kind: str, event: str, link: str, address: str) -> int:
    """One notification of `event` to an address that is not a user's (the region's duty address)."""
    return _create(kind=kind, event=event, link=link, mode=Mode.AT_ONCE, address=address) if address else 0


def notify_reporter(kind: str, event: str, report: Any) -> int:
    """The reporter's one kind of notice; the address stays on the report."""
    return _create(kind=kind, event=event, link="", mode=Mode.AT_ONCE, report=report)


def _create(**fields: object) -> int:
    # A savepoint, so a repeat of the event (the unique constraint) leaves the event's own transaction intact.
    try:
        with transaction.atomic():
            Notification.objects.create(**fields)
    except IntegrityError:
        return 0
    return 1


def _site(link: str) -> str:
    return settings.SITE_URL.rstrip("/") + link


def _message(notification: Notification) -> tuple[str, str]:
    """Subject and text: that there is something, and where; nothing about what."""
    if notification.report is not None:
        return reporter_notice(notification.report, settings.SITE_URL)
    with translation.override(settings.LANGUAGE_CODE):
        if notification.kind in URGENT_KINDS:
            subject = _("Urgent: something new for you")
            text = _("Something urgent has come in. Log in to see it:")
        else:
            subject = _("Something new for you")
            text = _("There is something new for you. Log in to see it:")
        closing = _("This message says nothing about the content on purpose; the platform shows it after you log in.")
    return subject, f"{text}\n{_site(notification.link)}\n\n{closing}\n"


def _address(notification: Notification) -> str:
    if notification.report is not None:
        return notification.report.reporter_email
    return notification.recipient.email if notification.recipient else notification.address


def _failed(notification: Notification, error: Exception, now: datetime) -> None:
    notification.attempts += 1
    notification.last_error = type(error).__name__
    if notification.attempts >= MAX_ATTEMPTS:
        notification.state = State.FAILED
    else:
        wait = BACKOFF_MINUTES[min(notification.attempts, len(BACKOFF_MINUTES)) - 1]
        notification.next_attempt_at = now + timedelta(minutes=wait)
    notification.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])


def _due(now: datetime, since: datetime | None = None) -> list[Notification]:
    """The next batch of notifications to send at once (made at or after `since`, if given), locked for this
    sender."""
    due = Notification.objects.filter(state=State.WAITING, mode=Mode.AT_ONCE, next_attempt_at__lte=now)
    if since is not None:
        due = due.filter(created_at__gte=since)
    due = due.select_related("recipient", "report").order_by("next_attempt_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True, of=("self",))
    return list(due[:BATCH])


def outbox_send(now: datetime | None = None, *, since: datetime | None = None) -> tuple[int, int]:
    """Sends every notification due now (made at or after `since`, if given: the demo's mail server leaves the
    backlog its data made); returns (sent, failed attempts). Stops at the first batch in which the SMTP server could
    not be reached, so a server that is down is tried again on the next run, not hammered."""
    now = now or timezone.now()
    sent = failed = 0
    while True:
        with transaction.atomic():
            batch = _due(now, since)
            if not batch:
                return sent, failed
            smtp = get_connection(fail_silently=False)
            unreachable = False
            for notification in batch:
                if unreachable:
                    _failed(notification, ConnectionError("not tried: server unreachable"), now)
                    failed += 1
                    continue
                if not _address(notification):
                    # The reporter's address was removed since (they asked, or retention): nothing to send.
                    notification.state = State.SENT
                    notification.last_error = "no address"
                    notification.save(update_fields=["state", "last_error"])
                    continue
                subject, body = _message(notification)
                try:
                    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [_address(notification)],
                                 connection=smtp).send()  # fmt: skip
                except (SMTPException, OSError) as error:
                    _failed(notification, error, now)
                    failed += 1
                    unreachable = isinstance(error, OSError)
                    continue
                notification.state = State.SENT
                notification.sent_at = timezone.now()
                notification.attempts += 1
                notification.save(update_fields=["state", "sent_at", "attempts"])
                sent += 1
            smtp.close()
            if unreachable:
                return sent, failed


def digests_send(now: datetime | None = None) -> int:
    """One summary mail per user for the notifications they chose to get daily; returns how many mails."""
    now = now or timezone.now()
    mails = 0
    waiting = Notification.objects.filter(state=State.WAITING, mode=Mode.DIGEST)
    users = waiting.values("recipient").annotate(count=Count("id")).order_by("recipient")
    smtp = get_connection(fail_silently=False)
    for row in users:
        with transaction.atomic():
            rows = list(waiting.filter(recipient=row["recipient"]).select_related("recipient").select_for_update())
            if not rows:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Your daily summary")
                text = ngettext(
                    "There is %(count)d new item for you. Log in to see it:",
                    "There are %(count)d new items for you. Log in to see them:",
                    len(rows),
                ) % {"count": len(rows)}
            try:
                EmailMessage(subject, f"{text}\n{_site('/medewerkers/')}\n", settings.DEFAULT_FROM_EMAIL,
                             [_address(rows[0])], connection=smtp).send()  # fmt: skip
            except (SMTPException, OSError):
                # The rows stay waiting; tomorrow's run sends them with the next day's.
                return mails
            Notification.objects.filter(pk__in=[r.pk for r in rows]).update(state=State.SENT, sent_at=now)
            mails += 1
    smtp.close()
    return mails


def outbox_retry(notifications: Iterable[Notification]) -> int:
    """A functional administrator sends failed notifications again."""
    ids = [n.pk for n in notifications if n.state == State.FAILED]
    return Notification.objects.filter(pk__in=ids).update(
        state=State.WAITING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
