"""The access matrix: each persona against each case page and action, allowed or 404; and what each sees."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import Document, Note, Task, Visibility
from kenniscentrum.cases.services import note_add, person_add, task_add
from kenniscentrum.cases.views import NOTES_SHOWN, TIMELINE_SHOWN
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.meetings.services import decision_add, item_add, meeting_create
from kenniscentrum.organisations.models import OrganisationType
from kenniscentrum.referrals.models import Consent
from kenniscentrum.referrals.services import CENTRE, referral_create, referral_step
from tests.cases.conftest import organisation
from tests.conftest import logged_in
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

ALLOWED, NOT_FOUND = "allowed", 404

# persona -> (page/action -> expected). Pages answer 200, actions redirect (302) when allowed.
MATRIX = {
    "intake": dict.fromkeys(
        ["case", "person", "signals", "person_add", "referral", "meeting", "document", "note", "task", "grant", "step"],
        ALLOWED,
    ),
    "director": dict.fromkeys(
        ["case", "person", "signals", "person_add", "referral", "meeting", "document", "note", "task", "grant", "step"],
        ALLOWED,
    ),
    "coordinator": {
        "case": ALLOWED, "person": ALLOWED, "signals": ALLOWED, "person_add": ALLOWED, "referral": ALLOWED,
        "meeting": ALLOWED, "document": ALLOWED, "note": ALLOWED, "task": ALLOWED, "grant": NOT_FOUND,
        "step": NOT_FOUND,
    },
    "granted": {
        "case": ALLOWED, "person": ALLOWED, "signals": NOT_FOUND, "person_add": NOT_FOUND, "referral": NOT_FOUND,
        "meeting": ALLOWED, "document": ALLOWED, "note": ALLOWED, "task": NOT_FOUND, "grant": NOT_FOUND,
        "step": NOT_FOUND,
    },
    "ungranted": dict.fromkeys(
        ["case", "person", "signals", "person_add", "referral", "meeting", "document", "note", "task", "grant", "step"],
        NOT_FOUND,
    ),
    "expired": dict.fromkeys(
        ["case", "person", "signals", "person_add", "referral", "meeting", "document", "note", "task", "grant", "step"],
        NOT_FOUND,
    ),
    "analyst": dict.fromkeys(
        ["case", "person", "signals", "person_add", "referral", "meeting", "document", "note", "task", "grant", "step"],
        NOT_FOUND,
    ),
}  # fmt: skip


@pytest.fixture
def world(case, intake, director, coordinator, granted, ungranted, expired, analyst):
    """A case with a coordinator, a victim, a shared document, a meeting item, and every persona."""
    case.coordinator_user = coordinator
    case.save(update_fields=["coordinator_user"])
    person = person_add(
        case=case, actor=director, person=None, person_data={"first_name": "Mila", "last_name": "K."},
        role=InvolvementRole.VICTIM, age_at_start=16,
    ).person  # fmt: skip
    document = Document(
        case=case, original_name="plan.pdf", content_type="application/pdf", size=4, uploaded_by=director,
        visibility=Visibility.SHARED,
    )  # fmt: skip
    document.file.save("plan.pdf", ContentFile(b"%PDF"))
    meeting = meeting_create(
        actor=director,
        type="case_meeting",
        held_at=timezone.now(),
        location="ZVH",
        organisations=[granted.organisation],
    )
    item_add(meeting=meeting, case=case, actor=director)
    return {
        "users": {
            "intake": intake, "director": director, "coordinator": coordinator, "granted": granted,
            "ungranted": ungranted, "expired": expired, "analyst": analyst,
        },
        "person": person, "document": document, "meeting": meeting,
    }  # fmt: skip


def attempt(client, what, case, world):
    base = f"/medewerkers/casussen/{case.pk}"
    pages = {
        "case": f"{base}/",
        "person": f"/medewerkers/personen/{world['person'].pk}/",
        "signals": f"{base}/signalen/",
        "person_add": f"{base}/personen/nieuw/",
        "referral": f"{base}/verwijzing/",
        "meeting": f"/medewerkers/overleggen/{world['meeting'].pk}/",
        "document": f"{base}/documenten/{world['document'].pk}/",
    }
    if what in pages:
        response = client.get(pages[what])
        if response.streaming:
            # Close the file itself: response.close() would also end the test's database connection.
            for closer in response._resource_closers:
                closer()
        return response.status_code
    owner = organisation(OrganisationType.CARE)
    granted = world["users"]["granted"].organisation
    actions = {
        "note": ("note", {"note-body": "Gezien", "note-visibility": "shared"}),
        "task": ("task", {"task-title": "Bellen", "task-owner_organisation": granted.pk}),
        "grant": ("grant", {"grant-organisation": owner.pk, "grant-purpose": "Zorg", "grant-legal_basis": "public_task",
                            "grant-valid_until": "2030-01-01"}),
        "step": ("to_risk_assessment", {"to_risk_assessment-text": ""}),
    }  # fmt: skip
    action, data = actions[what]
    return client.post(f"{base}/actie/{action}/", data).status_code


@pytest.mark.parametrize("persona", list(MATRIX))
def test_the_access_matrix(case, world, persona) -> None:
    client = logged_in(world["users"][persona])
    outcome = {}
    for what in MATRIX[persona]:
        status = attempt(client, what, case, world)
        outcome[what] = ALLOWED if status in (200, 302) else status
    assert outcome == MATRIX[persona]


def test_partners_see_only_what_is_shared_with_their_organisation(case, world, director, granted) -> None:
    note_add(case=case, actor=director, body="Interne afweging", visibility=Visibility.INTERNAL)
    note_add(case=case, actor=director, body="Gedeelde stand van zaken", visibility=Visibility.SHARED)
    note_add(case=case, actor=director, body="Mijn geheugensteun", visibility=Visibility.PERSONAL)
    TaskFactory(case=case, title="Taak voor de politie", owner_organisation=granted.organisation, for_organisation=True)
    TaskFactory(
        case=case,
        title="Taak voor de zorg",
        owner_organisation=organisation(OrganisationType.CARE),
        for_organisation=True,
    )
    page = logged_in(granted).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "Gedeelde stand van zaken" in page and "Taak voor de politie" in page and "Mila" in page
    for secret in ("Interne afweging", "Mijn geheugensteun", "Taak voor de zorg", "Rita Reporter", "0612345678",
                   case.reports.first().reference):  # fmt: skip
        assert secret not in page, secret


def test_the_reporters_identity_is_for_intake_and_the_case_director_alone(
    case, world, intake, director, coordinator
) -> None:
    from tests.conftest import make_user

    other_director = make_user("dora", "case_director", OrganisationType.KNOWLEDGE_CENTRE)
    for user, sees in ((intake, True), (director, True), (coordinator, False), (other_director, False)):
        page = logged_in(user).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
        assert ("Rita Reporter" in page) is sees, user.username


def test_meeting_minutes_are_only_for_organisations_with_a_grant(case, world, director, granted, ungranted) -> None:
    meeting = world["meeting"]
    item = meeting.items.get()
    decision_add(item=item, actor=director, text="Politie gaat langs", task_title="Huisbezoek",
                 owner_organisation=granted.organisation)  # fmt: skip
    assert Task.objects.filter(decision__item=item, title="Huisbezoek").exists()
    assert "Politie gaat langs" in logged_in(granted).get(f"/medewerkers/overleggen/{meeting.pk}/").content.decode()
    assert logged_in(ungranted).get(f"/medewerkers/overleggen/{meeting.pk}/").status_code == 404


def test_every_read_and_change_of_a_case_or_person_is_audited(case, world, director) -> None:
    client = logged_in(director)
    client.get(f"/medewerkers/casussen/{case.pk}/")
    client.get(f"/medewerkers/personen/{world['person'].pk}/")
    client.post(f"/medewerkers/casussen/{case.pk}/actie/note/", {"note-body": "x", "note-visibility": "internal"})
    client.post(
        f"/medewerkers/personen/{world['person'].pk}/", {"person-first_name": "Milena", "person-gender": "Feminine"}
    )
    actions = list(AuditEvent.objects.filter(actor=director).values_list("action", flat=True))
    for expected in (Action.CASE_VIEWED, Action.PERSON_VIEWED, Action.CASE_CHANGED, Action.PERSON_CHANGED):
        assert expected in actions, expected
    changed = AuditEvent.objects.filter(action=Action.PERSON_CHANGED, actor=director).first()  # the newest
    assert "first_name" in changed.details["changed"]


def test_another_users_personal_note_and_internal_document_stay_hidden(case, world, director, coordinator) -> None:
    note_add(case=case, actor=director, body="Alleen voor Ruben", visibility=Visibility.PERSONAL)
    assert "Alleen voor Ruben" not in logged_in(coordinator).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert Note.objects.filter(body="Alleen voor Ruben").exists()


def test_the_case_page_runs_a_constant_number_of_queries(case, world, director, granted) -> None:
    def count() -> int:
        client = logged_in(director)
        client.get(f"/medewerkers/casussen/{case.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/medewerkers/casussen/{case.pk}/").status_code == 200
        return len(queries)

    small = count()
    owner = granted.organisation
    Note.objects.bulk_create(
        [Note(case=case, body=f"Notitie {i}", visibility=Visibility.SHARED, author=director) for i in range(300)]
    )
    Task.objects.bulk_create(
        [Task(case=case, title=f"Taak {i}", owner_organisation=owner, created_by=director, due_date=date(2030, 1, 1))
         for i in range(150)]
    )  # fmt: skip
    for i in range(25):
        referral = referral_create(
            case=case,
            actor=director,
            person=None,
            organisation=owner,
            purpose=f"Verwijzing {i}",
            legal_basis="public_task",
            consent=Consent.GIVEN,
        )
        referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    page = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/")
    assert page.context["timeline_total"] >= 500 and len(page.context["timeline"]) == TIMELINE_SHOWN
    assert "?timeline=all#timeline" in page.content.decode()
    whole = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/", {"timeline": "all"})
    assert len(whole.context["timeline"]) == whole.context["timeline_total"] == page.context["timeline_total"]
    # The page shows the newest entries of the whole timeline, in the same order.
    assert page.context["timeline"] == whole.context["timeline"][-TIMELINE_SHOWN:]
    # Notes too: the newest, with the way to all of them.
    assert [n.body for n in page.context["notes"]] == [f"Notitie {i}" for i in range(300 - NOTES_SHOWN, 300)]
    assert "?notes=all#notes" in page.content.decode()
    assert len(whole.context["notes"]) == NOTES_SHOWN
    everything = logged_in(director).get(f"/medewerkers/casussen/{case.pk}/", {"notes": "all"})
    assert len(everything.context["notes"]) == everything.context["notes_total"] >= 300
    assert count() == small


@pytest.mark.parametrize("path", ["/medewerkers/casussen/", "/medewerkers/taken/", "/medewerkers/verwijzingen/"])
def test_the_lists_run_a_constant_number_of_queries(case, world, director, intake, path) -> None:
    from kenniscentrum.cases.services import case_open_from_report
    from tests.conftest import submit_report

    def count() -> int:
        client = logged_in(director)
        client.get(f"/medewerkers/casussen/{case.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    owner = organisation(OrganisationType.CARE)

    def add(cases: int) -> None:
        for i in range(cases):
            more = case_open_from_report(report=submit_report().report, title=f"Casus {i}", actor=intake)
            task_add(case=more, actor=director, title="Bellen", owner_user=director, owner_organisation=None,
                     due_date=date(2020, 1, 1))  # fmt: skip
            referral_create(case=more, actor=director, person=None, organisation=owner, purpose="Zorg",
                            legal_basis="public_task", consent=Consent.GIVEN)  # fmt: skip

    # One of each, then forty more (past a page of 25): the same queries.
    add(1)
    small = count()
    add(40)
    assert count() == small


def test_partners_do_not_see_the_centres_summary_or_evaluation(case, world, director, granted) -> None:
    case.summary = "Afweging van het kenniscentrum"
    case.save()
    assert (
        "Afweging van het kenniscentrum"
        in logged_in(director).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    )
    assert (
        "Afweging van het kenniscentrum"
        not in logged_in(granted).get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    )


# Every kind of timeline entry, and who sees it (access.SECTIONS): a row of the access matrix per kind and persona.
TIMELINE_MATRIX = {
    "director": {"report", "status", "step_reason", "risk", "victim", "decision", "internal_note", "other_task"},
    "coordinator": {"report", "status", "step_reason", "risk", "victim", "decision", "internal_note", "other_task"},
    "granted": {"status", "decision"},
}
SECRETS = {
    "report": None,  # the report's reference, filled in below
    "step_reason": "SLUITREDEN-VAN-HET-KENNISCENTRUM",
    "evaluation": "EVALUATIE-VAN-HET-KENNISCENTRUM",
    "summary": "SAMENVATTING-VAN-HET-KENNISCENTRUM",
    "risk": "RISICOFACTOREN-VAN-HET-KENNISCENTRUM",
    "victim": "SLACHTOFFERSTATUS-TOELICHTING",
    "goal": "DOEL-VAN-HET-PLAN",
    "internal_note": "INTERNE-NOTITIE",
    "other_task": "TAAK-VOOR-EEN-ANDERE-ORGANISATIE",
    "decision": "BESLUIT-IN-HET-OVERLEG",
}
# What a persona sees besides the timeline rows above: the page parts the same sections cover.
PAGE_ONLY = {"evaluation": "step_reason", "summary": "step_reason", "goal": "risk"}


@pytest.fixture
def everything(case, world, director):
    from kenniscentrum.cases.models import CaseTransition
    from kenniscentrum.cases.services import goal_add, risk_add, victim_status_set
    from kenniscentrum.lib.vocabulary import CaseStatus
    from kenniscentrum.reports.models import Report

    case.summary, case.evaluation, case.closure_reason = (
        SECRETS["summary"],
        SECRETS["evaluation"],
        SECRETS["step_reason"],
    )
    case.save()
    CaseTransition.objects.create(case=case, transition="close", from_status=case.status, to_status=CaseStatus.CLOSED,
                                  actor=director, reason=SECRETS["step_reason"])  # fmt: skip
    risk_add(case=case, actor=director, level="high", factors=SECRETS["risk"], assessed_on=date.today())
    goal_add(case=case, actor=director, text=SECRETS["goal"])
    involvement = case.involvements.get()
    victim_status_set(involvement=involvement, actor=director, status="PossibleVictimOfTrafficking",
                      decided_by="Police", deciding_organisation=None, note=SECRETS["victim"])  # fmt: skip
    note_add(case=case, actor=director, body=SECRETS["internal_note"], visibility=Visibility.INTERNAL)
    task_add(case=case, actor=director, title=SECRETS["other_task"], owner_user=None,
             owner_organisation=organisation(OrganisationType.CARE), due_date=None)  # fmt: skip
    decision_add(item=world["meeting"].items.get(), actor=director, text=SECRETS["decision"])
    return {**SECRETS, "report": Report.objects.filter(case=case).values_list("reference", flat=True).first()}


@pytest.mark.parametrize("persona", list(TIMELINE_MATRIX))
def test_the_whole_case_page_shows_each_persona_only_what_it_may_see(case, world, everything, persona) -> None:
    from kenniscentrum.cases.access import case_part
    from kenniscentrum.cases.timeline import case_timeline

    user = world["users"][persona]
    page = logged_in(user).get(f"/medewerkers/casussen/{case.pk}/?timeline=all").content.decode()
    allowed = TIMELINE_MATRIX[persona]
    for what, text in everything.items():
        if not text:
            continue
        visible = PAGE_ONLY.get(what, what) in allowed
        assert (text in page) == visible, (persona, what)
    # The timeline itself, kind by kind.
    kinds = {entry.kind for entry in case_timeline(case, user, case_part(user, case))[0]}
    assert ("report" in kinds) == ("report" in allowed)
    assert ("risk" in kinds) == ("risk" in allowed) and ("victim" in kinds) == ("victim" in allowed)
    assert "status" in kinds and "decision" in kinds


def test_a_partner_whose_organisation_attends_a_meeting_sees_it_with_only_its_granted_cases(
    case, world, director, ungranted
) -> None:
    from kenniscentrum.cases.models import Case

    meeting = world["meeting"]
    meeting.organisations.add(ungranted.organisation)
    other = Case.objects.create(reference="C-OTHER-1", municipality=case.municipality)
    item_add(meeting=meeting, case=other, actor=director)
    page = logged_in(ungranted).get(f"/medewerkers/overleggen/{meeting.pk}/")
    assert page.status_code == 200
    assert case.reference not in page.content.decode() and "C-OTHER-1" not in page.content.decode()
    assert "ZVH" in logged_in(ungranted).get("/medewerkers/overleggen/").content.decode()  # and in the list


def test_a_meeting_takes_the_short_case_reference_the_queue_takes(case, world, director) -> None:
    from kenniscentrum.meetings.forms import ItemForm

    year, number = case.reference.split("-")[1:]
    assert ItemForm({"reference": f"{year}-{int(number)}"}).is_valid()
    assert ItemForm({"reference": f"c{year}-{number}"}).is_valid()
    assert not ItemForm({"reference": f"M-{year}-{number}"}).is_valid()  # a report's reference is not a case's


def test_one_visibility_rule_per_kind_of_object_also_across_cases(case, world, director, granted, ungranted) -> None:
    """The same rule as the case page, for any list: shared and internal notes, tasks, meetings, referrals."""
    from kenniscentrum.meetings.models import Meeting
    from kenniscentrum.referrals.models import Referral

    shared = note_add(case=case, actor=director, body="Gedeeld", visibility=Visibility.SHARED)
    internal = note_add(case=case, actor=director, body="Intern", visibility=Visibility.INTERNAL)
    assert set(Note.objects.visible_to(director)) >= {shared, internal}
    assert set(Note.objects.visible_to(granted)) == {shared}
    assert not Note.objects.visible_to(ungranted).exists()
    mine = TaskFactory(case=case, owner_organisation=granted.organisation, for_organisation=True)
    other = TaskFactory(case=case, owner_user=director)
    assert set(Task.objects.visible_to(granted)) == {mine}
    assert {mine, other} <= set(Task.objects.visible_to(director))
    assert list(Meeting.objects.visible_to(granted)) == [world["meeting"]]
    assert not Meeting.objects.visible_to(ungranted).exists()
    assert not Referral.objects.visible_to(ungranted).exists()
