from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Nobody misses anything: e-mail notices of new reports, replies, referrals, tasks and ending access. It sits
    above the apps whose events it hears, which send signals and import nothing of it."""

    name = "kenniscentrum.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from kenniscentrum.cases.signals import handover_received, task_assigned
        from kenniscentrum.referrals.signals import referral_stepped
        from kenniscentrum.reports.signals import message_to_reporter, report_received, reporter_replied

        from . import receivers

        report_received.connect(receivers.on_report_received, dispatch_uid="notifications.report_received")
        reporter_replied.connect(receivers.on_reporter_replied, dispatch_uid="notifications.reporter_replied")
        referral_stepped.connect(receivers.on_referral_stepped, dispatch_uid="notifications.referral_stepped")
        message_to_reporter.connect(receivers.on_message_to_reporter, dispatch_uid="notifications.message_to_reporter")
        task_assigned.connect(receivers.on_task_assigned, dispatch_uid="notifications.task_assigned")
        handover_received.connect(receivers.on_handover_received, dispatch_uid="notifications.handover_received")
