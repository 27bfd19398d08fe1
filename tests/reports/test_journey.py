"""The whole reporting-point journey, as the people involved walk it, with the audit trail it leaves."""

import pytest
from django.test import Client

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.reports.models import Report

pytestmark = pytest.mark.django_db


def test_report_receipt_question_answer_close_with_feedback(region, intake, intake_client) -> None:
    visitor = Client()
    # 1. An anonymous visitor reports.
    form = visitor.get("/melden/")
    response = visitor.post(
        "/melden/",
        {
            "token": form.context["form"].initial["token"],
            "acute_danger": "no",
            "reporter_role": "victim",
            "description": "Ik moet elke dag in een kas werken en krijg mijn loon niet.",
            "suspected_forms": ["labour"],
            "ongoing": "yes",
            "contact_preference": "anonymous",
            "consent_share_identity": "no",
            "persons-TOTAL_FORMS": "0",
            "persons-INITIAL_FORMS": "0",
        },
    )
    code = response.context["code"]
    report = Report.objects.get()

    # 2. Intake finds it in the queue.
    queue = intake_client.get("/medewerkers/meldingen/")
    assert report.reference in queue.content.decode()
    base = f"/medewerkers/meldingen/{report.pk}"
    assert intake_client.get(base + "/").status_code == 200

    # 3. Intake asks the reporter a question.
    intake_client.post(base + "/actie/start_triage/")
    intake_client.post(base + "/actie/ask_reporter/", {"ask_reporter-question": "Waar staat de kas?"})
    assert Report.objects.get().status == "awaiting_reporter"

    # 4. The reporter opens the report with the receipt and answers.
    visitor.post("/volgen/", {"code": code})
    thread = visitor.get("/volgen/bericht/").content.decode()
    assert "Waar staat de kas?" in thread
    visitor.post("/volgen/bericht/", {"body": "In Rijssen, aan de rand van het dorp."})
    assert Report.objects.get().status == "in_triage"

    # 5. Intake sees the answer and closes with advice, readable with the receipt.
    assert "In Rijssen, aan de rand van het dorp." in intake_client.get(base + "/").content.decode()
    intake_client.post(
        base + "/actie/close_advised/",
        {
            "close_advised-reason": "Advies gegeven, doorverwijzing naar Arbeidsinspectie besproken.",
            "close_advised-feedback_method": "receipt_message",
            "close_advised-message_to_reporter": "U kunt de Arbeidsinspectie bellen op 0800-5151.",
        },
    )
    report = Report.objects.get()
    assert report.status == "advised" and report.feedback_method == "receipt_message"
    assert "0800-5151" in visitor.get("/volgen/bericht/").content.decode()

    # The audit trail, in order.
    actions = list(AuditEvent.objects.filter(object_id=str(report.pk)).order_by("id").values_list("action", flat=True))
    assert actions == [
        Action.REPORT_TRANSITION,  # submitted -> new
        Action.REPORT_CREATED,
        Action.REPORT_VIEWED,
        Action.REPORT_TRANSITION,  # start triage
        Action.REPORT_MESSAGE_TO_REPORTER,
        Action.REPORT_TRANSITION,  # awaiting reporter
        Action.RECEIPT_OPENED,
        Action.REPORT_MESSAGE_FROM_REPORTER,
        Action.REPORT_TRANSITION,  # back in triage
        Action.REPORT_VIEWED,
        Action.REPORT_MESSAGE_TO_REPORTER,
        Action.REPORT_FEEDBACK,
        Action.REPORT_TRANSITION,  # advised
    ]
    staff_events = AuditEvent.objects.filter(object_id=str(report.pk), actor=intake)
    assert staff_events.count() == 8
    assert (
        not AuditEvent.objects.filter(object_id=str(report.pk), actor__isnull=True)
        .exclude(
            action__in=[
                Action.REPORT_TRANSITION,
                Action.REPORT_CREATED,
                Action.RECEIPT_OPENED,
                Action.REPORT_MESSAGE_FROM_REPORTER,
            ]
        )
        .exists()
    )
