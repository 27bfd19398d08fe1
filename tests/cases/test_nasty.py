"""Nasty input on case pages: another case's ids, double submits, markup, unknown actions."""

import pytest

from kenniscentrum.cases.models import AccessGrant, Case, Note
from kenniscentrum.cases.services import case_open_from_report, person_add, task_add
from kenniscentrum.lib.vocabulary import InvolvementRole
from tests.conftest import logged_in, submit_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(intake, director) -> Case:
    other = case_open_from_report(report=submit_report().report, title="Andere casus", actor=intake)
    return other


def test_opening_a_case_twice_from_one_report_makes_one_case(region, intake) -> None:
    report = submit_report().report
    client = logged_in(intake)
    first = client.post(f"/medewerkers/meldingen/{report.pk}/casus/", {"do": "open", "open-title": "Loods"})
    second = client.post(f"/medewerkers/meldingen/{report.pk}/casus/", {"do": "open", "open-title": "Loods"})
    assert first.status_code == 302 and second.status_code == 400
    assert Case.objects.count() == 1
    assert "Deze stap kan niet" in second.content.decode()


def test_another_cases_victim_task_and_grant_are_refused(case, other, director, granted) -> None:
    victim = person_add(case=other, actor=director, person=None, person_data={"first_name": "X"},
                        role=InvolvementRole.VICTIM)  # fmt: skip
    task = task_add(case=other, actor=director, title="Elders", owner_user=director, owner_organisation=None,
                    due_date=None)  # fmt: skip
    grant = AccessGrant.objects.get(case=case)
    client = logged_in(director)
    status = client.post(
        f"/medewerkers/casussen/{case.pk}/actie/victim_status/",
        {"victim_status-involvement": victim.pk, "victim_status-status": "ActualVictimOfTrafficking",
         "victim_status-decided_by": "Police"},
    )  # fmt: skip
    assert status.status_code == 400
    assert client.post(f"/medewerkers/casussen/{case.pk}/taken/{task.pk}/", {"status": "done"}).status_code == 404
    assert client.post(f"/medewerkers/casussen/{other.pk}/actie/revoke/", {"grant": grant.pk}).status_code == 400
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_markup_in_a_note_is_shown_as_text(case, director) -> None:
    client = logged_in(director)
    client.post(
        f"/medewerkers/casussen/{case.pk}/actie/note/",
        {"note-body": "<script>alert(1)</script>", "note-visibility": "internal"},
    )
    page = client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_empty_note_and_a_wrong_visibility_are_refused_and_kept(case, director, granted) -> None:
    client = logged_in(director)
    empty = client.post(f"/medewerkers/casussen/{case.pk}/actie/note/", {"note-body": "", "note-visibility": "shared"})
    assert empty.status_code == 400
    # A partner cannot write an internal note, even by posting the value by hand.
    partner = logged_in(granted).post(
        f"/medewerkers/casussen/{case.pk}/actie/note/", {"note-body": "Geheim?", "note-visibility": "internal"}
    )
    assert partner.status_code == 400 and "Geheim?" in partner.content.decode()
    assert not Note.objects.filter(body="Geheim?").exists()


def test_unknown_actions_and_ids_are_not_found(case, director) -> None:
    client = logged_in(director)
    assert client.post(f"/medewerkers/casussen/{case.pk}/actie/delete_everything/").status_code == 404
    assert client.get("/medewerkers/casussen/999999/").status_code == 404
    assert client.get(f"/medewerkers/casussen/{case.pk}/actie/note/").status_code == 405


def test_a_step_with_a_huge_reason_and_a_wrong_date_are_refused(case, director) -> None:
    client = logged_in(director)
    risk = client.post(
        f"/medewerkers/casussen/{case.pk}/actie/risk/",
        {"risk-level": "high", "risk-factors": "x" * 6000, "risk-assessed_on": "gisteren"},
    )
    assert risk.status_code == 400
    future = client.post(
        f"/medewerkers/casussen/{case.pk}/actie/risk/",
        {"risk-level": "high", "risk-factors": "Dreiging", "risk-assessed_on": "2999-01-01"},
    )
    assert future.status_code == 400 and not case.risk_assessments.exists()


def test_the_case_search_finds_each_case_once_and_paging_keeps_the_filters(case, intake, director) -> None:
    from kenniscentrum.cases.services import person_add
    from kenniscentrum.lib.vocabulary import InvolvementRole

    for name in ("Ana Loods", "Bea Loods"):
        person_add(
            case=case, actor=director, person=None, person_data={"first_name": name}, role=InvolvementRole.VICTIM
        )
    for i in range(30):
        case_open_from_report(report=submit_report().report, title=f"Loods {i}", actor=intake)
    client = logged_in(director)
    page = client.get("/medewerkers/casussen/", {"q": "Loods", "status": "all"})
    references = [c.reference for c in page.context["page"]]
    assert len(references) == len(set(references)) == 25
    assert 'href="?q=Loods&amp;status=all&amp;page=2"' in page.content.decode()
    second = client.get("/medewerkers/casussen/", {"q": "Loods", "status": "all", "page": 2})
    assert {c.reference for c in second.context["page"]} & set(references) == set()
    assert second.context["page"].paginator.count == 31
