"""The case workflow: every guard, the history, and a report becoming (part of) a case."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.services import (
    case_change_status,
    case_link_report,
    case_open_from_report,
    risk_add,
    task_add,
)
from kenniscentrum.lib.vocabulary import CaseStatus, FeedbackMethod, InvolvementRole, ReportStatus, TaskStatus
from kenniscentrum.reports.services import report_record_feedback
from tests.conftest import submit_report

pytestmark = pytest.mark.django_db


def step(case, name, actor, text=""):
    case_change_status(case=case, name=name, actor=actor, text=text)
    case.refresh_from_db()


def to_in_progress(case, director, coordinator):
    step(case, "to_risk_assessment", director)
    risk_add(case=case, actor=director, level="high", factors="Woont op het werk", assessed_on=date.today())
    step(case, "to_plan", director)
    case.coordinator_user = coordinator
    case.save(update_fields=["coordinator_user"])
    task_add(
        case=case, actor=director, title="Huisbezoek", owner_user=coordinator, owner_organisation=None, due_date=None
    )
    step(case, "start", director)


def test_a_report_opens_a_case_with_its_forms_signals_and_persons(region, intake) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("load_indicators", stdout=StringIO())
    report = submit_report(forms=["labour"]).report
    report.signals.create(indicator_id=_indicator("G6"))
    report.persons.create(description="Man met rode jas", role="possible_victim", age="17")
    report.persons.create(description="De baas", role="suspect", age="")
    case = case_open_from_report(report=report, title="Loods", actor=intake)
    report.refresh_from_db()
    assert report.status == ReportStatus.CASE_OPENED and report.case == case
    assert case.reference.startswith("C-") and case.status == CaseStatus.SCREENING
    assert case.forms == ["labour"]
    assert list(case.signals.values_list("indicator__code", flat=True)) == ["G6"]
    roles = {i.person.aliases: (i.role, i.person.estimated_age) for i in case.involvements.select_related("person")}
    assert roles == {"Man met rode jas": (InvolvementRole.VICTIM, 17), "De baas": (InvolvementRole.SUSPECT, None)}
    assert AuditEvent.objects.filter(action=Action.CASE_CREATED, object_id=str(case.pk)).exists()


def _indicator(code):
    from kenniscentrum.indicators.models import Indicator

    return Indicator.objects.get(code=code).pk


def test_a_second_report_links_to_the_case(case, intake) -> None:
    second = submit_report().report
    case_link_report(report=second, case=case, actor=intake)
    second.refresh_from_db()
    assert second.status == ReportStatus.LINKED_TO_CASE
    assert case.reports.count() == 2 and case.reports.filter(pk=second.pk).exists()


def test_a_report_cannot_be_linked_twice_or_to_a_closed_case(case, intake, director) -> None:
    report = submit_report().report
    case_link_report(report=report, case=case, actor=intake)
    with pytest.raises(ValidationError):
        case_link_report(report=report, case=case, actor=intake)  # no longer in triage
    case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
    case.save()
    with pytest.raises(ValidationError, match="Reopen"):
        case_link_report(report=submit_report().report, case=case, actor=intake)


def test_leaving_screening_needs_a_case_director(case, intake) -> None:
    case.director = None
    case.save()
    with pytest.raises(ValidationError, match="case director"):
        step(case, "to_risk_assessment", intake)


def test_making_the_plan_needs_a_risk_assessment(case, director) -> None:
    step(case, "to_risk_assessment", director)
    with pytest.raises(ValidationError, match="risk assessment"):
        step(case, "to_plan", director)


def test_starting_needs_a_coordinator_and_a_task(case, director, coordinator) -> None:
    step(case, "to_risk_assessment", director)
    risk_add(case=case, actor=director, level="medium", factors="Schuld", assessed_on=date.today())
    step(case, "to_plan", director)
    with pytest.raises(ValidationError) as problems:
        step(case, "start", director)
    assert len(problems.value.messages) == 2  # no coordinator, no task


def test_closing_needs_a_reason_and_feedback_on_every_report(case, director, coordinator) -> None:
    to_in_progress(case, director, coordinator)
    with pytest.raises(ValidationError, match="reason"):
        step(case, "close", director, "")
    with pytest.raises(ValidationError, match=case.reports.first().reference):
        step(case, "close", director, "Slachtoffer veilig")
    report = case.reports.first()
    report_record_feedback(
        report=report, method=FeedbackMethod.NOT_POSSIBLE, note="Anoniem, geen code gebruikt", actor=director
    )
    step(case, "close", director, "Slachtoffer veilig")
    assert case.status == CaseStatus.CLOSED and case.closure_reason == "Slachtoffer veilig" and case.closed_at


def test_evaluating_needs_an_evaluation_and_reopening_a_reason(case, director, coordinator) -> None:
    to_in_progress(case, director, coordinator)
    report_record_feedback(report=case.reports.first(), method=FeedbackMethod.PHONE, note="", actor=director)
    step(case, "close", director, "Klaar")
    with pytest.raises(ValidationError, match="evaluation"):
        step(case, "evaluate", director, " ")
    step(case, "evaluate", director, "Snelle samenwerking met de politie")
    with pytest.raises(ValidationError, match="reason"):
        step(case, "reopen", director, "")
    step(case, "reopen", director, "Nieuwe melding over dezelfde loods")
    assert case.status == CaseStatus.SCREENING and case.closed_at is None


def test_a_step_from_the_wrong_state_is_refused(case, director) -> None:
    with pytest.raises(ValidationError, match="not possible"):
        step(case, "evaluate", director, "Te vroeg")


def test_every_step_writes_one_history_row_and_an_audit_event(case, director, coordinator) -> None:
    to_in_progress(case, director, coordinator)
    rows = list(case.transitions.values_list("from_status", "to_status"))
    assert rows == [
        ("", "screening"),
        ("screening", "risk_assessment"),
        ("risk_assessment", "plan"),
        ("plan", "in_progress"),
    ]
    assert AuditEvent.objects.filter(action=Action.CASE_TRANSITION, object_id=str(case.pk)).count() == 4


def test_the_case_page_shows_the_guards_and_takes_a_step(case, director) -> None:
    from tests.conftest import logged_in

    client = logged_in(director)
    page = client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "Leg eerst een risicotaxatie vast." not in page  # not relevant from screening
    response = client.post(
        f"/medewerkers/casussen/{case.pk}/actie/to_risk_assessment/", {"to_risk_assessment-text": ""}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RISK_ASSESSMENT
    response = client.post(f"/medewerkers/casussen/{case.pk}/actie/to_plan/", {"to_plan-text": ""})
    assert response.status_code == 400
    errors = response.content.decode().split('<details open id="action-to_plan">', 1)[1]
    errors = errors[: errors.index("</details>")]
    assert "Record a risk assessment first." in errors or "Leg eerst een risicotaxatie vast." in errors


def test_tasks_have_an_owner_and_show_up_as_mine_and_overdue(case, director, coordinator) -> None:
    from tests.conftest import logged_in

    with pytest.raises(ValidationError):
        task_add(case=case, actor=director, title="Niemand", owner_user=None, owner_organisation=None, due_date=None)
    late = task_add(
        case=case, actor=director, title="Dossier opvragen", owner_user=coordinator, owner_organisation=None,
        due_date=date(2020, 1, 1),
    )  # fmt: skip
    case.coordinator_user = coordinator
    case.save()
    page = logged_in(coordinator).get("/medewerkers/taken/")
    assert late in page.context["mine"] and late in page.context["overdue"]
    logged_in(coordinator).post(f"/medewerkers/casussen/{case.pk}/taken/{late.pk}/", {"status": "done"})
    late.refresh_from_db()
    assert late.status == TaskStatus.DONE and late.completed_at


def test_a_step_not_possible_yet_says_why_before_and_keeps_the_input_after(case, director) -> None:
    from tests.conftest import logged_in

    client = logged_in(director)
    client.post(f"/medewerkers/casussen/{case.pk}/actie/to_risk_assessment/", {"to_risk_assessment-text": ""})
    page = client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    plan = page[page.index('id="action-to_plan"') :]
    plan = plan[: plan.index("</details>")]
    assert "nog niet mogelijk" in plan and "Leg eerst een risicotaxatie vast." in plan
    assert 'aria-describedby="action-to_plan-problems"' in plan
    # Closing while the reporter has not heard back is refused on the case page, with the reason kept.
    refused = client.post(f"/medewerkers/casussen/{case.pk}/actie/close/", {"close-text": "Geen zorgen meer"})
    html = refused.content.decode()
    assert refused.status_code == 400 and '<details open id="action-close">' in html
    assert "Geen zorgen meer</textarea>" in html and '<main id="main"' in html


def feedback_recorded(case, actor) -> None:
    for report in case.reports.all():
        report_record_feedback(report=report, method=FeedbackMethod.NOT_POSSIBLE, note="Anoniem", actor=actor)


@pytest.mark.parametrize("tidy", [True, False])
def test_closing_lists_what_is_still_open_and_ends_it_in_the_same_step(case, director, granted, tidy) -> None:
    from kenniscentrum.lib.vocabulary import ReferralStatus
    from kenniscentrum.organisations.models import OrganisationType
    from kenniscentrum.referrals.models import Consent
    from kenniscentrum.referrals.services import referral_create
    from tests.cases.conftest import organisation
    from tests.conftest import logged_in

    task = task_add(case=case, actor=director, title="Huisbezoek plannen", owner_user=director,
                    owner_organisation=None, due_date=None)  # fmt: skip
    care = organisation(OrganisationType.CARE)
    referral = referral_create(case=case, actor=director, person=None, organisation=care, purpose="Opvang",
                               legal_basis="consent", consent=Consent.GIVEN)  # fmt: skip
    feedback_recorded(case, director)
    client = logged_in(director)
    page = client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    close = page[page.index('id="action-close"') :]
    close = close[: close.index("</details>")]
    assert "Huisbezoek plannen" in close and str(granted.organisation) in close and str(care) in close
    data = {"close-text": "Betrokkene is veilig en in zorg."}
    if tidy:
        data.update({"close-cancel_tasks": "on", "close-end_grants": "on", "close-withdraw_referrals": "on"})
    assert client.post(f"/medewerkers/casussen/{case.pk}/actie/close/", data).status_code == 302
    case.refresh_from_db()
    task.refresh_from_db()
    referral.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert (task.status == TaskStatus.CANCELLED) == tidy
    assert (referral.status == ReferralStatus.WITHDRAWN) == tidy
    assert case.grants.active().exists() != tidy
    if tidy:
        assert referral.transitions.last().reason == "Betrokkene is veilig en in zorg."


def test_a_closed_case_takes_no_new_tasks(case, director) -> None:
    from tests.conftest import logged_in

    feedback_recorded(case, director)
    case_change_status(case=case, name="close", actor=director, text="Klaar")
    with pytest.raises(ValidationError):
        task_add(case=case, actor=director, title="Nog iets", owner_user=director, owner_organisation=None,
                 due_date=None)  # fmt: skip
    assert 'id="action-task"' not in logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()


def test_the_evaluation_is_asked_for_as_an_evaluation(case, director) -> None:
    from tests.conftest import logged_in

    feedback_recorded(case, director)
    case_change_status(case=case, name="close", actor=director, text="Klaar")
    page = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    evaluate = page[page.index('id="action-evaluate"') :]
    evaluate = evaluate[: evaluate.index("</details>")]
    assert ">Evaluatie<" in evaluate and ">Reden<" not in evaluate
