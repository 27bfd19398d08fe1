"""What a reporter sent, as they read it again with the receipt code: what they typed, and the files they sent.

Only what the reporter gave, never what staff did with it: the forms of exploitation, the municipalities and the
place are left out because staff change them at triage (`report_classify`), the signals because staff set them, and
staff notes, the decision, the reference and any case are not read here at all. The contact details are shown as the
way of contact only: whoever holds the code must not learn from this page who reported.
"""

from typing import Any

from django.http import HttpRequest

from kenniscentrum.lib.panels import panels

from .models import Report


def report_sent(request: HttpRequest, report: Report) -> dict[str, Any]:
    """The context of includes/report_sent.html for `report`; the details given come from linking's panel."""
    return {
        "sent_persons": report.persons.all(),
        "sent_files": report.attachments.all(),
        "sent_panels": panels("report_sent", request, report),
    }
