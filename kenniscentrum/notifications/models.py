"""The outbox: every notification is a row written in the transaction of the event that causes it, and sent
afterwards by `manage.py send_notifications`. A notification says only that there is something new and where; no
name, no case content, no reference (someone else may read the mailbox).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.models import ChoiceLabelsModel


class Kind(models.TextChoices):
    NEW_REPORT = "new_report", _("A new report")
    URGENT_REPORT = "urgent_report", _("A report about acute danger or with priority urgent")
    REPORTER_REPLIED = "reporter_replied", _("A reporter answered")
    REFERRAL_RECEIVED = "referral_received", _("A referral to my organisation")
    REFERRAL_ANSWERED = "referral_answered", _("A referral was accepted or declined")
    TASK_ASSIGNED = "task_assigned", _("A task for me or my organisation")
    TASK_DUE = "task_due", _("A task is due tomorrow")
    TASK_OVERDUE = "task_overdue", _("A task is overdue")
    GRANT_ENDING = "grant_ending", _("An organisation's access to a case ends within 7 days")
    TERM_ENDING = "term_ending", _("A report's response term is about to be missed")
    REFLECTION_ENDING = "reflection_ending", _("A reflection period ends within 14 days")
    HANDOVER_RECEIVED = "handover_received", _("A case handed over from another region waits for acceptance")
    # To a reporter who asked for it, not to staff.
    REPORTER_NOTICE = "reporter_notice", _("A reporter's notice that there is a message")


# Sent at once whatever the user chose: someone may be in danger now.
URGENT_KINDS = frozenset({Kind.URGENT_REPORT})


class Mode(models.TextChoices):
    AT_ONCE = "at_once", _("At once")
    DIGEST = "digest", _("In a daily summary")
    OFF = "off", _("Off")


class State(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(ChoiceLabelsModel):
    """One message to one user, or to the region's duty address; `event` names what caused it (kind and object),
    so the same event never makes a second row for the same recipient."""

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="notifications", on_delete=models.CASCADE
    )
    # The region's duty address for urgent reports; empty for a user (their address is read when sending).
    address = models.EmailField(_("address"), blank=True)
    # A reporter's notice: the address is read from the report when sending, so none is copied here, and the row goes
    # with the report when retention deletes it.
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, related_name="+", on_delete=models.CASCADE, verbose_name=_("report")
    )
    event = models.CharField(_("event"), max_length=60)
    # Where to look, as a path of the platform (no reference, no name).
    link = models.CharField(_("link"), max_length=200)
    mode = models.CharField(_("sent"), max_length=10, choices=Mode.choices, default=Mode.AT_ONCE)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.WAITING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # What went wrong, as the kind of error only (an SMTP reply may quote the address).
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["kind", "event", "recipient"], name="one_notification_per_user_event"),
            models.UniqueConstraint(
                fields=["kind", "event", "address"],
                condition=models.Q(recipient__isnull=True, report__isnull=True),
                name="one_notification_per_address_event",
            ),
            models.UniqueConstraint(
                fields=["kind", "event", "report"],
                condition=models.Q(report__isnull=False),
                name="one_notification_per_reporter_event",
            ),
            # A user, an address or a reporter: exactly one.
            models.CheckConstraint(
                condition=(models.Q(recipient__isnull=False) & models.Q(address="") & models.Q(report__isnull=True))
                | (models.Q(recipient__isnull=True) & ~models.Q(address="") & models.Q(report__isnull=True))
                | (models.Q(recipient__isnull=True) & models.Q(address="") & models.Q(report__isnull=False)),
                name="notification_has_one_recipient",
            ),
        ]
        indexes = [models.Index(fields=["state", "mode", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.event} ({self.state})"


class Preference(models.Model):
    """How a user wants one kind of notification; without a row, at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="notification_preferences", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.mode}"
