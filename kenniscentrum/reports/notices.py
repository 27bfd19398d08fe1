"""The one e-mail a reporter may get: that there is a message, in their language. Never what it says, never the
receipt code (someone else may read the mailbox). Sent by the notifications app when staff write the reporter."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Report


def reporter_notice(report: Report, site_url: str) -> tuple[str, str]:
    """Subject and text of the notice, in the language the reporter wrote in."""
    with translation.override(report.language):
        link = site_url.rstrip("/") + reverse("reports:followup_start")
        subject = _("There is a message for you")
        text = _("There is a message for you. Read it with your receipt code on this page:")
        closing = _("This e-mail says nothing about the message on purpose.")
    return subject, f"{text}\n{link}\n\n{closing}\n"
