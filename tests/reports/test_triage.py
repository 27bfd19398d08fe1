"""Staff triage: the queue, the report page and its actions, the workflow table and its guards."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.lib.vocabulary import ReportStatus
from kenniscentrum.lib.workflow import STAFF
from kenniscentrum.organisations.models import Municipality, Organisation
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.services import report_change_status, report_close
from kenniscentrum.reports.workflow import CASE, REPORT_FLOW, REPORTER
from tests.conftest import logged_in, pdf_bytes, submit_report

pytestmark = pytest.mark.django_db


def act(client, report: Report, action: str, data: dict | None = None):
    prefixed = {f"{action}-{k}": v for k, v in (data or {}).items()}
    return client.post(f"/medewerkers/meldingen/{report.pk}/actie/{action}/", prefixed)


def test_the_queue_shows_open_reports_oldest_first(intake_client, region) -> None:
    first, second = submit_report().report, submit_report().report
    closed = submit_report().report
    Report.objects.filter(pk=closed.pk).update(status=ReportStatus.CLOSED_NO_ACTION, closed_at=timezone.now())
    response = intake_client.get("/medewerkers/meldingen/")
    assert [r.pk for r in response.context["page"]] == [first.pk, second.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "all"}, {"enschede", "hengelo", "closed"}),
        ({"status": "closed_no_action"}, {"closed"}),
        ({"municipality": "HENGELO"}, {"hengelo"}),
        ({"form": "sexual"}, {"hengelo"}),
        ({"priority": "urgent"}, {"hengelo"}),
        ({"channel": "phone"}, {"enschede"}),
        ({"assignee": "me"}, {"enschede"}),
        ({"assignee": "none"}, {"hengelo"}),
    ],
)
def test_the_queue_filters(intake_client, intake, region, query, expected) -> None:
    hengelo = Municipality.objects.get(cbs_code="GM0164")
    reports = {
        "enschede": submit_report().report,
        "hengelo": submit_report(municipality=hengelo, forms=["sexual"], acute_danger="yes").report,
        "closed": submit_report().report,
    }
    Report.objects.filter(pk=reports["enschede"].pk).update(assignee=intake, channel="phone")
    Report.objects.filter(pk=reports["closed"].pk).update(
        status=ReportStatus.CLOSED_NO_ACTION, closed_at=timezone.now()
    )
    if query.get("municipality") == "HENGELO":
        query = {"municipality": str(hengelo.pk)}
    page = intake_client.get("/medewerkers/meldingen/", query)
    names = {name for name, r in reports.items() if r.pk in {x.pk for x in page.context["page"]}}
    assert names == expected


def test_an_invalid_filter_is_reported_and_left_out(intake_client, region) -> None:
    submit_report()
    response = intake_client.get("/medewerkers/meldingen/", {"priority": "galactic", "municipality": "abc"})
    assert response.status_code == 200
    assert "priority" in response.context["filter_form"].errors
    assert len(response.context["page"]) == 1


def test_the_queue_pages_by_25(intake_client, region) -> None:
    for _ in range(30):
        submit_report()
    response = intake_client.get("/medewerkers/meldingen/", {"page": "2"})
    assert len(response.context["page"]) == 5
    assert intake_client.get("/medewerkers/meldingen/", {"page": "abc"}).status_code == 200


def test_reading_a_report_is_audited(intake_client, intake, region) -> None:
    report = submit_report().report
    response = intake_client.get(f"/medewerkers/meldingen/{report.pk}/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=Action.REPORT_VIEWED, actor=intake, object_id=str(report.pk)).count() == 1


def test_another_or_unknown_report_id_answers_404(intake_client, partner, region) -> None:
    report = submit_report().report
    assert intake_client.get(f"/medewerkers/meldingen/{report.pk + 1000}/").status_code == 404
    # A partner user may not open a report at all (403 for the role, audited).
    assert logged_in(partner).get(f"/medewerkers/meldingen/{report.pk}/").status_code == 403
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, actor=partner).exists()


def test_an_attachment_of_another_report_is_not_served_under_this_one(intake_client, client, region) -> None:
    page = client.get("/melden/")
    data = {
        "token": page.context["form"].initial["token"],
        "acute_danger": "no",
        "reporter_role": "victim",
        "description": "Zie bijlage.",
        "contact_preference": "anonymous",
        "consent_share_identity": "no",
        "ongoing": "unknown",
        "persons-TOTAL_FORMS": "0",
        "persons-INITIAL_FORMS": "0",
        "attachments": [SimpleUploadedFile("a.pdf", pdf_bytes(), content_type="application/pdf")],
    }
    client.post("/melden/", data)
    with_file = Report.objects.get()
    other = submit_report().report
    attachment = with_file.attachments.get()
    ok = intake_client.get(f"/medewerkers/meldingen/{with_file.pk}/bijlage/{attachment.pk}/")
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content).startswith(b"%PDF-")
    assert ok["Content-Disposition"] == 'attachment; filename="bijlage-1.pdf"'
    assert intake_client.get(f"/medewerkers/meldingen/{other.pk}/bijlage/{attachment.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action=Action.ATTACHMENT_DOWNLOADED).count() == 1


def triage(client, report: Report, **changes: object):
    """The report page's triage form as sent: the report's own values, with `changes`."""
    data = {
        "suspected_forms": report.form_values, "municipality": report.municipality_id or "",
        "residence_municipality": report.residence_municipality_id or "", "place": report.place,
        "priority": report.priority, "assignee": report.assignee_id or "",
    }  # fmt: skip
    return act(client, report, "triage", {**data, **changes})


def test_assign_priority_and_classify(intake_client, intake, region) -> None:
    report = submit_report().report
    borne = Municipality.objects.get(cbs_code="GM0147")
    response = triage(
        intake_client, report, assignee=intake.pk, priority="high", suspected_forms=["criminal", "labour"],
        municipality=borne.pk, place="Zuid",
    )  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.assignee, report.priority, report.municipality, report.place) == (
        intake,
        "high",
        borne,
        "Zuid",
    )
    assert sorted(report.form_values) == ["criminal", "labour"]
    assert AuditEvent.objects.filter(action=Action.REPORT_UPDATED).count() == 4


def test_assigning_to_someone_outside_the_centre_is_refused(intake_client, partner, region) -> None:
    report = submit_report().report
    response = triage(intake_client, report, assignee=partner.pk)
    assert response.status_code == 400
    assert "triage" == response.context["failed"]
    assert Report.objects.get().assignee is None


def test_an_unknown_action_is_404(intake_client, region) -> None:
    report = submit_report().report
    assert intake_client.post(f"/medewerkers/meldingen/{report.pk}/actie/delete/").status_code == 404


def test_closing_without_a_reason_keeps_the_typed_message(intake_client, region) -> None:
    report = submit_report().report
    act(intake_client, report, "start_triage")
    response = act(
        intake_client,
        report,
        "close_advised",
        {"reason": "", "feedback_method": "receipt_message", "message_to_reporter": "Bel ons gerust."},
    )
    assert response.status_code == 400
    assert "Bel ons gerust." in response.content.decode()
    assert Report.objects.get().status == ReportStatus.IN_TRIAGE


def test_closing_needs_a_record_of_feedback(intake, region) -> None:
    report = submit_report().report
    report_change_status(report=report, name="start_triage", actor=intake)
    with pytest.raises(ValidationError):
        report_close(report=report, name="close_no_action", reason="Geen signalen.", actor=intake)
    report_close(
        report=report,
        name="close_no_action",
        reason="Geen signalen.",
        actor=intake,
        feedback_method="not_possible",
        feedback_note="Anoniem, code nooit gebruikt.",
    )
    assert Report.objects.get().status == ReportStatus.CLOSED_NO_ACTION


def test_feedback_not_possible_needs_the_reason(intake_client, region) -> None:
    report = submit_report().report
    response = act(intake_client, report, "feedback", {"feedback_method": "not_possible", "feedback_note": ""})
    assert response.status_code == 400
    assert Report.objects.get().feedback_method == ""


def test_forwarding_names_the_organisation_and_reason(intake_client, region) -> None:
    report = submit_report(acute_danger="yes").report
    police = Organisation.objects.get(type="police")
    response = act(
        intake_client,
        report,
        "forward",
        {
            "forwarded_to": police.pk,
            "reason": "Acuut gevaar",
            "feedback_method": "not_possible",
            "feedback_note": "Anoniem",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.forwarded_to, report.decision_reason) == (
        ReportStatus.FORWARDED,
        police,
        "Acuut gevaar",
    )
    assert report.closed_at is not None


def test_a_transition_not_in_the_table_is_refused(intake, region) -> None:
    report = submit_report().report
    with pytest.raises(ValidationError):
        report_change_status(report=report, name="reopen", actor=intake, reason="x")
    assert Report.objects.get().status == ReportStatus.NEW


@pytest.mark.parametrize(
    "steps",
    [
        ["start_triage", "ask_reporter", "reporter_replied", "close_advised", "reopen", "close_no_action"],
        ["forward", "reopen", "ask_reporter", "forward"],
        ["start_triage", "close_no_action", "reporter_replied", "close_advised"],
    ],
)
def test_whole_scenarios_follow_the_table_with_one_history_row_each(intake, region, steps) -> None:
    report = submit_report().report
    report.feedback_method = "receipt_message"
    report.save()
    expected = [ReportStatus.NEW]
    for name in steps:
        by = REPORTER if name == "reporter_replied" else STAFF
        report_change_status(report=report, name=name, actor=intake, reason="reden", by=by)
        expected.append(REPORT_FLOW[name].target)
    assert [row.to_status for row in report.transitions.all()] == expected
    assert [row.from_status for row in report.transitions.all()][1:] == expected[:-1]


def test_every_state_is_reachable_and_the_case_steps_are_taken_from_case_management() -> None:
    targets = {t.target for t in REPORT_FLOW.transitions.values()} | {ReportStatus.NEW}
    assert set(ReportStatus) == targets
    by_case = {t.target for t in REPORT_FLOW.transitions.values() if CASE in t.by}
    assert by_case == {ReportStatus.CASE_OPENED, ReportStatus.LINKED_TO_CASE}


def test_staff_enter_a_phone_report_and_get_a_code_for_the_reporter(intake_client, intake, region) -> None:
    page = intake_client.get("/medewerkers/meldingen/nieuw/")
    data = {
        "token": page.context["form"].initial["token"],
        "channel": "phone",
        "received_at": "2026-03-01T14:30",
        "acute_danger": "no",
        "reporter_role": "professional",
        "description": "Huisarts belt over een patiënt met signalen van arbeidsuitbuiting.",
        "contact_preference": "phone",
        "reporter_phone": "053 123 4567",
        "language": "nl",
        "consent_share_identity": "no",
        "ongoing": "unknown",
        "persons-TOTAL_FORMS": "0",
        "persons-INITIAL_FORMS": "0",
    }
    response = intake_client.post("/medewerkers/meldingen/nieuw/", data)
    assert response.status_code == 200
    report = Report.objects.get()
    assert (report.channel, report.created_by, report.reporter_phone) == ("phone", intake, "053 123 4567")
    assert report.received_at.year == 2026 and report.reference.startswith("M-2026-")
    assert response.context["code"]


def test_a_partner_report_needs_the_partner(intake_client, region) -> None:
    page = intake_client.get("/medewerkers/meldingen/nieuw/")
    response = intake_client.post(
        "/medewerkers/meldingen/nieuw/",
        {
            "token": page.context["form"].initial["token"],
            "channel": "partner",
            "received_at": "gisteren",
            "description": "x",
        },
    )
    errors = response.context["form"].errors
    assert "partner_organisation" in errors and "received_at" in errors
    assert Report.objects.count() == 0


def test_a_report_cannot_be_received_in_the_future(intake_client, region) -> None:
    page = intake_client.get("/medewerkers/meldingen/nieuw/")
    response = intake_client.post(
        "/medewerkers/meldingen/nieuw/",
        {"token": page.context["form"].initial["token"], "channel": "email", "received_at": "2099-01-01T10:00"},
    )
    assert "received_at" in response.context["form"].errors
    assert 'value="2099-01-01T10:00"' in response.content.decode()


def test_references_count_up_per_year(region) -> None:
    first, second = submit_report().report, submit_report().report
    year = first.received_at.year
    assert first.reference.startswith(f"M-{year}-") and len(first.reference) == len(f"M-{year}-00001")
    # One more each time (on PostgreSQL a sequence that earlier tests in this database may have used already).
    assert int(second.reference[-5:]) == int(first.reference[-5:]) + 1


def test_what_is_typed_in_the_search_is_kept_and_escaped(intake_client, region) -> None:
    submit_report()
    response = intake_client.get("/medewerkers/meldingen/", {"q": "'; DROP TABLE x;--"})
    assert response.status_code == 200 and not list(response.context["page"])
    typed = re.search(r'name="q" value="([^"]*)"', response.content.decode())
    assert typed and html.unescape(typed.group(1)) == "'; DROP TABLE x;--"  # kept, and escaped


def test_the_queue_count_stops_at_its_cap(intake_client, region, monkeypatch) -> None:
    from kenniscentrum.reports.views_staff import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    for _ in range(5):
        submit_report()
    response = intake_client.get("/medewerkers/meldingen/")
    assert response.context["page"].paginator.capped
    assert "Meer dan 3 meldingen" in response.content.decode()
    assert len(response.context["page"]) == 3


def test_the_queue_puts_acute_danger_and_urgent_reports_first_and_marks_them(intake_client, region) -> None:
    old = submit_report().report
    urgent = submit_report().report
    Report.objects.filter(pk=urgent.pk).update(priority="urgent")
    acute = submit_report(acute_danger="yes").report
    page = intake_client.get("/medewerkers/meldingen/")
    assert [r.pk for r in page.context["page"]] == [acute.pk, urgent.pk, old.pk]
    row = page.content.decode().split(acute.reference, 1)[1].split("</td>", 1)[0]
    assert "Acuut gevaar" in row
    oldest = intake_client.get("/medewerkers/meldingen/", {"sort": "oldest"})
    assert [r.pk for r in oldest.context["page"]] == [old.pk, urgent.pk, acute.pk]
    newest = intake_client.get("/medewerkers/meldingen/", {"sort": "newest"})
    assert [r.pk for r in newest.context["page"]] == [acute.pk, urgent.pk, old.pk]
    assert "Nieuwste eerst" in newest.content.decode()


def test_the_queue_marks_a_reply_nobody_has_answered_yet(intake_client, intake, region) -> None:
    from kenniscentrum.reports.services import report_ask_reporter, report_reporter_reply

    quiet, replied = submit_report().report, submit_report().report
    report_ask_reporter(report=replied, question="Waar precies?", actor=intake)
    report_reporter_reply(report=replied, body="Bij de loods aan de Haven.")
    marked = {r.pk for r in intake_client.get("/medewerkers/meldingen/").context["page"] if r.new_reply}
    assert marked == {replied.pk}
    report_ask_reporter(report=replied, question="Dank je. Hoe laat?", actor=intake)
    marked = {r.pk for r in intake_client.get("/medewerkers/meldingen/").context["page"] if r.new_reply}
    assert marked == set() and quiet.pk


@pytest.mark.parametrize(("words", "found"), [("loods", {"loods"}), ("Enschede", {"place"}), ("kas", set())])
def test_the_queue_searches_the_text_of_the_reports(intake_client, region, words, found) -> None:
    reports = {
        "loods": submit_report(description="Mannen slapen in de loods naast de fabriek.").report,
        "place": submit_report(description="Een meisje wordt steeds opgehaald.", place="Enschede-Noord").report,
    }
    page = intake_client.get("/medewerkers/meldingen/", {"q": words})
    assert {name for name, r in reports.items() if r.pk in {x.pk for x in page.context["page"]}} == found
    assert f'value="{words}"' in page.content.decode()  # the search stays in the form and the address


def test_each_action_says_what_it_did(intake_client, intake, region) -> None:

    report = submit_report().report
    intake.first_name, intake.last_name = "Ilse", "de Vries"
    intake.save()
    response = triage(intake_client, report, assignee=intake.pk)
    page = intake_client.get(response["Location"]).content.decode()
    assert f"Triage van {report.reference} opgeslagen." in page and "Opgeslagen." not in page


def test_the_staff_intake_form_speaks_about_the_reporter(intake_client, region) -> None:
    page = intake_client.get("/medewerkers/meldingen/nieuw/").content.decode()
    assert "Naam van de melder" in page and "Wie is de melder?" in page and "Zei het niet" in page
    assert "Je naam</label>" not in page and "Wie ben je?" not in page


def test_the_history_shows_assignment_priority_and_classification_with_who_and_when(
    intake_client, intake, region
) -> None:
    report = submit_report().report
    Report.objects.filter(pk=report.pk).update(language="pl")
    intake.first_name, intake.last_name = "Ilse", "de Vries"
    intake.save()
    triage(intake_client, report, assignee=intake.pk)
    triage(intake_client, Report.objects.get(pk=report.pk), priority="high")
    triage(intake_client, Report.objects.get(pk=report.pk), suspected_forms=["sexual"], municipality="", place="Loods")
    page = intake_client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    history = page[page.index("<h2>Geschiedenis</h2>") :]
    assert "Toegewezen aan Ilse de Vries (Ilse de Vries)" in history
    assert "Prioriteit: Hoog (Ilse de Vries)" in history
    assert "Vormen: Seksuele uitbuiting" in history
    assert "<dd>Pools</dd>" in page  # the language by name, not "pl"
