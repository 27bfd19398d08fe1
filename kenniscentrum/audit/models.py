from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LOGIN = "auth.login", _("Logged in")
    LOGIN_FAILED = "auth.login_failed", _("Failed login")
    LOGIN_LOCKED = "auth.locked_out", _("Login refused: account locked")
    OTP_FAILED = "auth.otp_failed", _("Wrong two-factor code")
    OTP_ENROLLED = "auth.otp_enrolled", _("Two-factor device enrolled")
    ENROLMENT_CODE_ISSUED = "auth.enrolment_code_issued", _("Enrolment code issued")
    ENROLMENT_CODE_USED = "auth.enrolment_code_used", _("Enrolment code used")
    LOGOUT = "auth.logout", _("Logged out")
    ACCESS_DENIED = "access.denied", _("Access denied")
    REPORT_CREATED = "report.created", _("Report created")
    REPORT_VIEWED = "report.viewed", _("Report viewed")
    REPORT_UPDATED = "report.updated", _("Report changed")
    REPORT_TRANSITION = "report.transition", _("Report status changed")
    REPORT_MESSAGE_TO_REPORTER = "report.message_to_reporter", _("Message sent to reporter")
    REPORT_MESSAGE_FROM_REPORTER = "report.message_from_reporter", _("Message received from reporter")
    REPORT_FEEDBACK = "report.feedback_recorded", _("Feedback to reporter recorded")
    ATTACHMENT_DOWNLOADED = "report.attachment_downloaded", _("Attachment downloaded")
    RECEIPT_OPENED = "receipt.opened", _("Report opened with receipt code")
    RECEIPT_FAILED = "receipt.failed", _("Wrong receipt code")
    RECEIPT_THROTTLED = "receipt.throttled", _("Receipt look-up refused: too many attempts")
    ADMIN_CHANGE = "admin.change", _("Administration change")
    AUDIT_VIEWED = "audit.viewed", _("Audit log viewed")
    RETENTION_APPLIED = "retention.applied", _("Retention terms applied")
    CASE_CREATED = "case.created", _("Case opened")
    CASE_VIEWED = "case.viewed", _("Case viewed")
    CASE_CHANGED = "case.changed", _("Case changed")
    CASE_TRANSITION = "case.transition", _("Case status changed")
    CASE_GRANT = "case.grant", _("Access to a case granted or revoked")
    CASE_HANDOVER = "case.handover", _("Case or trajectory handed over between regions")
    DOCUMENT_DOWNLOADED = "case.document_downloaded", _("Case document downloaded")
    COVENANT_DOCUMENT_DOWNLOADED = "covenant.document_downloaded", _("Covenant document downloaded")
    PERSON_VIEWED = "person.viewed", _("Person viewed")
    PERSON_CHANGED = "person.changed", _("Person changed")
    REFERRAL_CHANGED = "referral.changed", _("Referral created or changed")
    REFERRAL_VIEWED = "referral.viewed", _("Referral viewed")
    REFERRAL_POLICE_OVERRIDE = "referral.police_override", _("Referral without consent on the covenant's exception")
    MEETING_VIEWED = "meeting.viewed", _("Meeting viewed")
    MEETING_CHANGED = "meeting.changed", _("Meeting created or changed")
    NOTIFICATION_CHOICES = "notifications.choices", _("Notification choices changed")
    LINK_CHANGED = "linking.changed", _("Identifier recorded or removed")
    LINK_LOOKUP = "linking.lookup", _("Looked up where identifiers were seen")
    CONSULTATION_RECORDED = "consultation.recorded", _("Advice contact recorded")
    API_CALL = "api.call", _("Call to the partner API")
    API_CLIENT_CHANGED = "api.client_changed", _("API client or token changed")
    FIGURES_VIEWED = "insights.viewed", _("Monitor figures viewed")
    FIGURES_EXPORTED = "insights.exported", _("Monitor figures exported")
    FIGURES_RELEASED = "insights.released", _("A year's figures published (release)")
    ACCESS_REQUEST = "privacy.access_request", _("A person's data put together on request (AVG art. 15)")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who did what to which object, and when. Append-only: rows are never changed or deleted.

    `actor_name` keeps the username as it was, so the trail survives a renamed or removed account.
    Public visitors have no actor; nothing about them (no IP address, no user agent) is recorded.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(_("who (as recorded)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_label = models.CharField(_("object"), max_length=100, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # The hash chain (audit/chain.py): the event's place, its predecessor's hash and its own. Empty for the moment
    # between the event's transaction committing and its chaining.
    sequence = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The audit log's list folds repeats: each row looks up the same person's same action on the same object
            # within five minutes before and after it (audit/admin.py RepeatsFilter), by this index.
            models.Index(
                fields=["actor", "action", "object_type", "object_id", "created_at"], name="audit_repeats_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.object_label}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class AuditCheckpoint(models.Model):
    """Where the chain stood before retention deleted the events up to `sequence`: the hash the remaining chain starts
    from, signed with the audit key when one is set (audit/chain.py)."""

    sequence = models.BigIntegerField(unique=True)
    hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"{self.sequence}: {self.hash[:12]}"
