"""Closing a report: the form claims no feedback to the reporter that was not recorded (finding 13)."""

import pytest

from kenniscentrum.reports.services import report_change_status, report_record_feedback
from tests.browser_forms import page_forms
from tests.conftest import logged_in, submit_report

pytestmark = pytest.mark.django_db


def close_form(client, report):
    page = client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    return next(f for f in page_forms(page) if f.action.endswith("/actie/close_advised/"))


def selected_label(form, name):
    control = next(c for c in form.controls if c["attrs"].get("name") == name)
    chosen = [o for o in control["options"] if "selected" in o["attrs"]] or control["options"][:1]
    return chosen[0]["text"].strip()


def test_nothing_recorded_preselects_nothing_and_closing_asks_for_the_feedback(intake) -> None:
    report = submit_report().report
    report_change_status(report=report, name="start_triage", actor=intake)
    client = logged_in(intake)
    form = close_form(client, report)
    assert form.sent()["close_advised-feedback_method"] == [""]
    assert "recorded" not in selected_label(form, "close_advised-feedback_method").lower()
    assert "vastgelegd" not in selected_label(form, "close_advised-feedback_method").lower()
    sent = {**form.sent(), "close_advised-reason": ["Advies gegeven."]}
    answer = client.post(form.action, sent)
    assert answer.status_code == 400
    report.refresh_from_db()
    assert report.status == "in_triage"
    assert "Advies gegeven." in answer.content.decode()


def test_recorded_feedback_is_named_and_kept_when_closing(intake) -> None:
    report = submit_report().report
    report_change_status(report=report, name="start_triage", actor=intake)
    report_record_feedback(report=report, method="phone", note="Gebeld.", actor=intake)
    client = logged_in(intake)
    form = close_form(client, report)
    assert "telefonisch" in selected_label(form, "close_advised-feedback_method").lower()
    sent = {**form.sent(), "close_advised-reason": ["Advies gegeven."]}
    assert client.post(form.action, sent).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.feedback_method, report.feedback_note) == ("advised", "phone", "Gebeld.")
