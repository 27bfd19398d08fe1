"""The "my work" start page (finding 18): what waits for this user, each kind for its owner, through each object's
own visibility rule; nothing for someone without need-to-know."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kenniscentrum.accounts.models import Role
from kenniscentrum.cases.models import Person
from kenniscentrum.cases.services import person_add, reflection_record, task_add
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.linking.models import PersonMatch
from kenniscentrum.organisations.models import OrganisationType
from kenniscentrum.reports.models import Report
from tests.conftest import logged_in, make_user, submit_report
from tests.factories import AccessGrantFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
URL = "/medewerkers/"


@pytest.fixture
def work(case, intake, director):
    """One case with one of each kind of work: a report for intake, tasks, a reflection period and a grant ending
    soon, a match to review."""
    report = submit_report(description="Een tweede melding over de loods.").report
    Report.objects.filter(pk=report.pk).update(assignee=intake, status="in_triage")
    coordinator = make_user("carla", Role.CASE_COORDINATOR, OrganisationType.KNOWLEDGE_CENTRE)
    case.coordinator_user = coordinator
    case.save(update_fields=["coordinator_user"])
    police_user = make_user("pieter", Role.PARTNER, OrganisationType.POLICE)
    care_user = make_user("sanne", Role.PARTNER, OrganisationType.CARE)
    AccessGrantFactory(case=case, organisation=police_user.organisation, purpose="Onderzoek door de politie",
                       valid_until=TODAY + timedelta(days=5), granted_by=director)  # fmt: skip
    AccessGrantFactory(case=case, organisation=care_user.organisation, purpose="Opvangplek zoeken",
                       covers=["reflection"], valid_until=TODAY + timedelta(days=200), granted_by=director)  # fmt: skip
    task_add(case=case, actor=director, title="Verhoor plannen", owner_user=None,
             owner_organisation=police_user.organisation, due_date=TODAY - timedelta(days=2))  # fmt: skip
    task_add(case=case, actor=director, title="Dossier opvragen", owner_user=coordinator, owner_organisation=None,
             due_date=TODAY + timedelta(days=3))  # fmt: skip
    victim = person_add(case=case, actor=director, person=None, person_data={"first_name": "Iryna"},
                        role=InvolvementRole.VICTIM, age_at_start=22)  # fmt: skip
    reflection_record(case=case, actor=director, involvement=victim, route="b8_3", offered_on=TODAY - timedelta(80),
                      offered_by=None, answer="accepted", starts_on=TODAY - timedelta(80),
                      ends_on=TODAY + timedelta(days=10), cooperation="", cooperation_on=None,
                      permit_applied_on=None, permit_status="")  # fmt: skip
    a, b = Person.objects.create(first_name="Iryna"), Person.objects.create(first_name="Irina")
    PersonMatch.objects.create(person_a=a, person_b=b, pair=f"p{a.pk}~p{b.pk}", probability=0.93)
    return {"report": report, "coordinator": coordinator, "police": police_user, "care": care_user}


def page_of(user) -> str:
    response = logged_in(user).get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_intake_sees_the_reports_waiting_for_them(case, work, intake) -> None:
    page = page_of(intake)
    assert work["report"].reference in page and f"/medewerkers/meldingen/{work['report'].pk}/" in page
    assert "Verhoor plannen" not in page and "Dossier opvragen" not in page  # not their tasks


def test_the_director_sees_reflection_periods_and_grants_ending_and_matches_to_review(case, work, director) -> None:
    page = page_of(director)
    ends = (TODAY + timedelta(days=10)).strftime("%d-%m-%Y")
    assert case.reference in page and ends in page  # the reflection period ending
    assert "Onderzoek door de politie" in page and (TODAY + timedelta(days=5)).strftime("%d-%m-%Y") in page
    assert "Opvangplek zoeken" not in page  # a grant that runs for months is not work now
    assert "/medewerkers/koppelingen/personen/" in page  # one match to review
    assert "Iryna" not in page and "Irina" not in page  # a count, not the names


def test_the_coordinator_sees_their_task_and_not_the_police_task(case, work) -> None:
    page = page_of(work["coordinator"])
    assert "Dossier opvragen" in page and "Verhoor plannen" not in page
    assert work["report"].reference not in page
    assert "/medewerkers/koppelingen/personen/" not in page


def test_a_partner_sees_its_tasks_and_its_own_grant_ending(case, work) -> None:
    page = page_of(work["police"])
    assert "Verhoor plannen" in page and "Dossier opvragen" not in page
    assert "Onderzoek door de politie" in page and (TODAY + timedelta(days=5)).strftime("%d-%m-%Y") in page
    ends = (TODAY + timedelta(days=10)).strftime("%d-%m-%Y")
    assert ends not in page  # the police grant covers no reflection period
    assert work["report"].reference not in page and "/medewerkers/koppelingen/" not in page


def test_a_care_partner_whose_grant_covers_it_sees_the_reflection_period(case, work) -> None:
    page = page_of(work["care"])
    assert case.reference in page and (TODAY + timedelta(days=10)).strftime("%d-%m-%Y") in page
    assert "Verhoor plannen" not in page and "Onderzoek door de politie" not in page


def test_nothing_for_those_without_need_to_know(case, work) -> None:
    other_police = make_user("olaf", Role.PARTNER, OrganisationType.LABOUR_INSPECTORATE)
    other_coordinator = make_user("otto", Role.CASE_COORDINATOR, OrganisationType.KNOWLEDGE_CENTRE)
    for outsider in (other_police, other_coordinator):
        page = page_of(outsider)
        for secret in (case.reference, work["report"].reference, "Verhoor plannen", "Dossier opvragen",
                       "Onderzoek door de politie", "/medewerkers/koppelingen/"):  # fmt: skip
            assert secret not in page, (outsider.username, secret)
    analyst = make_user("anna", Role.ANALYST, OrganisationType.MUNICIPALITY)
    assert logged_in(analyst).get(URL).status_code == 404


def test_the_start_page_is_where_work_starts_after_login_and_in_the_menu(case, work, director) -> None:
    from django.shortcuts import resolve_url

    from kenniscentrum.accounts.views import start_page

    for user in (director, work["coordinator"], work["police"]):
        assert resolve_url(start_page(user)) == URL
    assert f'href="{URL}"' in logged_in(director).get("/medewerkers/casussen/").content.decode()


def test_the_page_takes_a_fixed_number_of_queries_however_much_work_there_is(case, work, director) -> None:
    client = logged_in(director)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(5):
        task_add(case=case, actor=director, title=f"Taak {n}", owner_user=director, owner_organisation=None,
                 due_date=TODAY)  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
