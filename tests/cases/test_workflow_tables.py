"""The shared vocabulary and the one workflow mechanism: every table is sound, tasks keep their history, and a
region adds a form of exploitation by data alone."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from kenniscentrum.cases.services import task_add, task_set_status
from kenniscentrum.cases.workflow import CASE_FLOW, HANDOVER_FLOW, TASK_FLOW
from kenniscentrum.lib.vocabulary import (
    CaseStatus,
    HandoverStatus,
    ReferralStatus,
    ReportStatus,
    TaskStatus,
    exploitation_form_name,
    exploitation_forms,
    htcds_type,
)
from kenniscentrum.referrals.workflow import REFERRAL_FLOW
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.workflow import REPORT_FLOW
from tests.conftest import logged_in, region_file_changed, submit_report

FLOWS = [
    (REPORT_FLOW, ReportStatus),
    (CASE_FLOW, CaseStatus),
    (REFERRAL_FLOW, ReferralStatus),
    (TASK_FLOW, TaskStatus),
    (HANDOVER_FLOW, HandoverStatus),
]


@pytest.mark.parametrize(("flow", "states"), FLOWS)
def test_every_table_leads_between_its_own_states_and_keeps_a_history(flow, states) -> None:
    for transition in flow.transitions.values():
        assert transition.sources and transition.sources <= set(states), transition.name
        # None: a step that is recorded but keeps the state (asking for approval to close).
        assert transition.target is None or transition.target in states.values, transition.name
        assert transition.by, transition.name
    history = apps.get_model(flow.history)
    fields = {f.name for f in history._meta.get_fields()}
    assert {flow.subject, "transition", "from_status", "to_status", "actor", "reason"} <= fields


def test_a_task_step_writes_a_history_row_and_sets_when_it_was_done(case, director) -> None:
    task = task_add(
        case=case,
        actor=director,
        title="Huisvesting regelen",
        owner_user=director,
        owner_organisation=None,
        due_date=None,
    )
    task_set_status(task=task, actor=director, status=TaskStatus.DONE)
    assert task.completed_at is not None
    task_set_status(task=task, actor=director, status=TaskStatus.OPEN)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.completed_at is None
    rows = list(task.transitions.values_list("transition", "from_status", "to_status"))
    assert rows == [("done", "open", "done"), ("reopen", "done", "open")]
    # Choosing the status it already has is no step and writes nothing.
    task_set_status(task=task, actor=director, status=TaskStatus.OPEN)
    assert task.transitions.count() == 2


def test_a_text_the_step_needs_is_asked_for_and_a_wrong_side_is_refused(intake) -> None:
    from kenniscentrum.reports.services import report_change_status

    report = submit_report().report
    report_change_status(report=report, name="start_triage", actor=intake)
    with pytest.raises(ValidationError) as refused:
        report_change_status(report=report, name="close_no_action", actor=intake, reason="  ")
    assert "Write down the reason." in refused.value.messages
    # The reporter's answer comes through the receipt, not from a member of staff.
    report_change_status(report=report, name="ask_reporter", actor=intake)
    with pytest.raises(ValidationError):
        report_change_status(report=report, name="reporter_replied", actor=intake)
    report.refresh_from_db()
    assert report.status == ReportStatus.AWAITING_REPORTER


@pytest.fixture
def region_without_extra_forms(tmp_path: Path, settings) -> Iterator[None]:
    yield from region_file_changed(settings, tmp_path, lambda data: data.pop("exploitation_forms"))


def test_without_the_region_file_only_the_forms_the_law_names_are_offered(region_without_extra_forms) -> None:
    codes = [code for code, _name in exploitation_forms()]
    assert codes == ["sexual", "labour", "criminal", "organ_removal", "surrogacy", "unsure"]


def test_a_form_the_region_adds_is_offered_stored_and_named_in_the_visitors_language(client, intake) -> None:
    # Twente's region file adds "serious disadvantage at work", which is not trafficking (sources.md §1.1).
    assert [code for code, _name in exploitation_forms(unsure=False)][-1] == "serious_disadvantage"
    assert htcds_type("serious_disadvantage") == "Other" and htcds_type("labour") == "ForcedLabour"
    page = client.get("/pl/melden/").content.decode()
    assert 'value="serious_disadvantage"' in page and "Poważne pokrzywdzenie w pracy" in page
    report = submit_report(forms=["serious_disadvantage"]).report
    staff_page = logged_in(intake).get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert "Ernstige benadeling bij werk (geen mensenhandel)" in staff_page
    assert exploitation_form_name("gone_from_the_file") == "gone_from_the_file"
    assert Report.objects.with_form("serious_disadvantage").get() == report


def test_long_lists_come_in_pages_that_keep_each_other(case, director) -> None:
    from tests.conftest import logged_in
    from tests.factories import TaskFactory

    for i in range(30):
        TaskFactory(case=case, title=f"Bellen {i:02d}", owner_user=director, overdue=True)
    client = logged_in(director)
    first = client.get("/medewerkers/taken/")
    assert len(first.context["mine"]) == 25 and first.context["mine"].paginator.count == 30
    page = first.content.decode()
    # Each list pages on its own, and its links keep where the other list is.
    assert 'href="?overdue_page=1&amp;page=2"' in page and 'href="?page=1&amp;overdue_page=2"' in page
    second = client.get("/medewerkers/taken/", {"page": 2, "overdue_page": 2})
    assert len(second.context["mine"]) == 5 and second.context["overdue"].number == 2
