"""Every staff form that changes something that exists, opened on a record with every field filled and sent back
unchanged the way a browser sends it, changes nothing in the database.

This is the rule "nothing entered is lost" as staff meet it all day: they open a case, a person or a report, change
one thing (or nothing) and press Save. A form that shows a date the browser cannot read, a select that is not
prefilled or a field the service ignores loses data without a word. The list of edit forms below is checked against
the action registries, the URL conf and the admin site, so a new edit form has to be named here (or said not to
edit).
"""

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.lib.admin_site import site
from kenniscentrum.lib.vocabulary import ExploitationForm, FeedbackMethod, Priority
from kenniscentrum.organisations.models import Municipality, Organisation, OrganisationType
from tests.browser_forms import Form, page_forms
from tests.conftest import logged_in, make_user, submit_report
from tests.factories import AccessGrantFactory
from tests.test_urls import PUBLIC, all_patterns, is_api

pytestmark = pytest.mark.django_db

# The staff pages with a form that edits what exists: scenario -> (who, which page, which forms on it).
# "who" is a key of the `world` fixture; the page is a function of the world; the forms are picked by their action
# (or, on pages with several forms posting to themselves, by a hidden field).


def _action(part: str) -> Any:
    return lambda form: part in form.action


def _what(prefix: str) -> Any:
    return lambda form: any(v.startswith(prefix) for v in form.sent().get("what", []))


def _named(name: str) -> Any:
    return lambda form: name in form.names()


def _admin(form: Form) -> bool:
    return form.attrs.get("id", "").endswith("_form") and form.method == "post"


EDITS: dict[str, tuple[str, Any, Any]] = {
    "case details": ("director", lambda w: f"/medewerkers/casussen/{w['case'].pk}/", _action("/actie/update/")),
    "case assessment": (
        "director",
        lambda w: f"/medewerkers/casussen/{w['case'].pk}/",
        _action("/actie/assessment/"),
    ),
    "reflection period": (
        "director",
        lambda w: f"/medewerkers/casussen/{w['case'].pk}/",
        _action("/actie/reflection"),
    ),
    "task status": ("director", lambda w: f"/medewerkers/casussen/{w['case'].pk}/", _action("/taken/")),
    "case signals": ("director", lambda w: f"/medewerkers/casussen/{w['case'].pk}/signalen/", _named("signals")),
    "person": ("director", lambda w: f"/medewerkers/personen/{w['person'].pk}/", _named("person-birthdate")),
    # Forms of exploitation, municipalities, place, priority and assignee: one triage form (issue 27, finding 15).
    "report triage": ("intake", lambda w: f"/medewerkers/meldingen/{w['report'].pk}/", _action("/actie/triage/")),
    "report feedback": (
        "intake",
        lambda w: f"/medewerkers/meldingen/{w['report'].pk}/",
        _action("/actie/feedback/"),
    ),
    "report signals": ("intake", lambda w: f"/medewerkers/meldingen/{w['report'].pk}/signalen/", _named("signals")),
    "meeting minutes": ("director", lambda w: f"/medewerkers/overleggen/{w['meeting'].pk}/", _what("minutes-")),
    "notification choices": ("director", lambda w: "/medewerkers/berichten/", _named("new_report")),
    "access grant": (
        "director",
        lambda w: f"/medewerkers/casussen/{w['case'].pk}/toegang/{w['grant'].pk}/",
        _named("covers"),
    ),
}
# Every model a functional administrator edits on the admin site, on a filled record.
ADMIN_EDITS = {
    "organisations.municipality",
    "organisations.organisation",
    "organisations.covenant",
    "accounts.user",
    "reports.standardreply",
    "indicators.indicatorlist",
    "indicators.indicator",
    "api.apiclient",
}
for label in ADMIN_EDITS:
    EDITS[f"admin {label}"] = ("admin", lambda w, label=label: w["admin pages"][label], _admin)

# The actions of the case and report pages that do not edit what exists: they add a row (a note, a task, a risk
# assessment, a status decision with its history), take a workflow step, or end something.
CASE_ACTIONS_EDITING = {
    "update": "case details",
    "assessment": "case assessment",
    "reflection_change": "reflection period",
}
REPORT_ACTIONS_EDITING = {
    "triage": "report triage",
    "feedback": "report feedback",
}
CASE_ACTIONS_ADDING = {"reflection", "risk", "victim_status", "comensha", "shelter", "shelter_end", "handover",
                       "handover_step", "safety_flag", "safety_flag_end", "goal", "task", "note", "document", "grant",
                       "revoke"}  # fmt: skip
REPORT_ACTIONS_ADDING: set[str] = set()  # ask_reporter is a step of the workflow
# Staff pages (URL names) and what their forms do, when they do not edit what exists.
PAGES_EDITING = {
    "cases:action": "the case page's actions (above)",
    "cases:task_status": "task status",
    "cases:signals": "case signals",
    "cases:person": "person",
    "reports:action": "the report page's actions (above)",
    "reports:signals": "report signals",
    "meetings:detail": "meeting minutes",
    "notifications:preferences": "notification choices",
    "cases:grant_edit": "access grant",
}
PAGES_NOT_EDITING = {
    "reports:queue": "filters (a GET form)",
    "reports:intake": "adds a report",
    "reports:consultations": "adds an advice contact",
    "reports:detail": "shows the report page's actions",
    "reports:readers": "reads",
    "reports:attachment": "a download",
    "cases:list": "filters",
    "cases:detail": "shows the case page's actions",
    "cases:person_add": "adds a person",
    "cases:document": "a download",
    "cases:comensha_open": "reads",
    "cases:comensha_print": "reads",
    "cases:handover_receive": "adds a case",
    "cases:handover_print": "reads",
    "cases:my_tasks": "reads; its status forms post to cases:task_status",
    "cases:from_report": "adds a case or a link",
    "referrals:list": "reads",
    "referrals:detail": "workflow steps with a reason",
    "referrals:form": "adds a referral (posts to referrals:new)",
    "referrals:new": "adds a referral",
    "meetings:list": "reads",
    "meetings:new": "adds a meeting",
    "linking:search": "a search",
    "linking:overview": "reads",
    "linking:matches": "workflow steps on a match",
    "linking:person_match": "starts a search",
    "linking:network": "reads",
    "linking:add": "adds an identifier",
    "linking:suggestion": "accepts or ignores a suggestion",
    "linking:link": "adds a link, a business or a place",
    "linking:business": "reads",
    "linking:place": "reads",
    "linking:remove": "removes a sighting",
    "insights:dashboard": "filters",
    "insights:refresh": "counts again",
    "insights:releases": "reads",
    "insights:release": "publishes a year",
    "insights:report": "reads",
    "insights:export": "a download",
    "insights:dataset": "reads",
    "insights:deidentified": "reads, or de-identifies pasted text without storing it",
    "insights:dataset_download": "a download",
    "upkeep:requests": "a search",
    "upkeep:person_search": "a search",
    "upkeep:person_request": "reads",
    "upkeep:reporter_request": "reads",
    "accounts:session_extend": "keeps the session going",
    "notifications:work": "reads; its task forms post to cases:task_status",
}


def test_every_action_and_page_says_whether_it_edits(admin_user: User) -> None:
    """A new action, page or admin model must be named above: with its scenario if it edits what exists."""
    from kenniscentrum.cases.views import ACTIONS as CASE_ACTIONS
    from kenniscentrum.cases.workflow import CASE_FLOW
    from kenniscentrum.reports.views_staff import ACTIONS as REPORT_ACTIONS
    from kenniscentrum.reports.workflow import REPORT_FLOW

    case_steps = set(CASE_FLOW.transitions)
    assert set(CASE_ACTIONS) - case_steps == set(CASE_ACTIONS_EDITING) | CASE_ACTIONS_ADDING
    assert set(REPORT_ACTIONS) - set(REPORT_FLOW.transitions) == set(REPORT_ACTIONS_EDITING) | REPORT_ACTIONS_ADDING
    assert set(CASE_ACTIONS_EDITING.values()) | set(REPORT_ACTIONS_EDITING.values()) <= set(EDITS)
    staff = {
        name
        for name, _pattern, _view in all_patterns()
        if name not in PUBLIC and not is_api(name) and not name.startswith("functional_admin:")
    }
    assert staff == set(PAGES_EDITING) | set(PAGES_NOT_EDITING)
    assert {v for v in PAGES_EDITING.values() if not v.startswith("the ")} <= set(EDITS)
    request = logged_in(admin_user).get("/beheer/").wsgi_request
    editable = {m._meta.label_lower for m, a in site._registry.items() if a.has_change_permission(request)}
    assert editable == ADMIN_EDITS


# The world: one of everything, with every field filled ------------------------------------------------------------


def _everything(region: None, intake: User, director: User, admin_user: User) -> dict[str, Any]:
    from kenniscentrum.cases.models import Cooperation, MethodOfControl, ReflectionAnswer, ReflectionRoute
    from kenniscentrum.cases.services import (
        case_open_from_report,
        case_set_signals,
        case_update,
        person_add,
        reflection_record,
        task_add,
    )
    from kenniscentrum.lib.vocabulary import Border, Gender, InvolvementRole, LabourSector
    from kenniscentrum.meetings.services import item_add, meeting_create, minutes_set
    from kenniscentrum.notifications.models import Kind, Mode, Preference
    from kenniscentrum.reports.services import (
        report_assign,
        report_change_status,
        report_classify,
        report_record_feedback,
        report_set_priority,
        report_set_signals,
    )

    call_command("load_indicators", stdout=StringIO())
    coordinator = make_user("carla", Role.CASE_COORDINATOR, OrganisationType.KNOWLEDGE_CENTRE)
    enschede, hengelo = Municipality.objects.get(cbs_code="GM0153"), Municipality.objects.get(cbs_code="GM0164")
    care = Organisation.objects.filter(type=OrganisationType.CARE).order_by("name").first()
    police = Organisation.objects.filter(type=OrganisationType.POLICE).order_by("name").first()

    case = case_open_from_report(report=submit_report().report, title="Werkers in een loods", actor=intake)
    case_update(
        case=case, actor=director, summary="Zes werkers, loon ingehouden.", director=director,
        coordinator_user=coordinator, coordinator_organisation=care, municipality=enschede,
        residence_municipality=hengelo, forms=[ExploitationForm.LABOUR, ExploitationForm.CRIMINAL],
        labour_sector=LabourSector.choices[1][0], border=Border.choices[0][0], act_note="Geworven in Polen.",
        means_note="Paspoort ingenomen.", purpose_note="Arbeid zonder loon.",
        methods_of_control=[MethodOfControl.choices[0][0], MethodOfControl.choices[1][0]],
    )  # fmt: skip
    involvement = person_add(
        case=case, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=29,
        person_data={
            "first_name": "Iryna", "last_name": "Petrenko", "aliases": "Ira", "birthdate": date(1994, 5, 12),
            "estimated_age": 31, "gender": Gender.FEMININE, "nationalities": ["UA", "PL"], "languages": ["uk", "pl"],
            "phone": "+31612345678", "email": "iryna@example.test", "street": "Hoofdstraat 12",
            "postal_code": "7511 AB", "city": "Enschede", "country": "NL",
        },
    )  # fmt: skip
    today = timezone.localdate()
    reflection_record(
        case=case, actor=director, involvement=involvement, route=ReflectionRoute.B8_3,
        offered_on=today.replace(day=1), offered_by=police, answer=ReflectionAnswer.ACCEPTED,
        starts_on=today.replace(day=2), ends_on=today.replace(day=28), cooperation=Cooperation.REPORT,
        cooperation_on=today.replace(day=3), permit_applied_on=today.replace(day=4), permit_status="In behandeling",
    )  # fmt: skip
    case_set_signals(case=case, codes=["G6", "A4"], actor=director)
    task_add(
        case=case, actor=director, title="BRP-inschrijving regelen", owner_user=coordinator, owner_organisation=None,
        due_date=today, support="brp",
    )  # fmt: skip

    report = submit_report(place="Loods achter de boerderij").report
    report_change_status(report=report, name="start_triage", actor=intake)
    report_assign(report=report, assignee=intake, actor=intake)
    report_set_priority(report=report, priority=Priority.HIGH, actor=intake)
    report_classify(
        report=report, forms=[ExploitationForm.LABOUR], municipality=enschede, residence_municipality=hengelo,
        place="Loods achter de boerderij", actor=intake,
    )  # fmt: skip
    report_record_feedback(report=report, method=FeedbackMethod.PHONE, note="Gebeld op maandag.", actor=intake)
    report_set_signals(report=report, codes=["ILO7"], actor=intake)

    meeting = meeting_create(
        actor=director, type="case_meeting", held_at=timezone.make_aware(datetime(2026, 3, 2, 14, 30)),
        location="Enschede", organisations=[police],
    )  # fmt: skip
    item = item_add(meeting=meeting, case=case, actor=director)
    minutes_set(item=item, actor=director, minutes="Besproken: opvang en aangifte.")
    grant = AccessGrantFactory(
        case=case, organisation=care, purpose="Opvang regelen.", granted_by=director, covers=["shelter"],
        valid_until=today + timedelta(days=90),
    )  # fmt: skip
    Preference.objects.create(user=director, kind=Kind.NEW_REPORT, mode=Mode.DIGEST)
    Preference.objects.create(user=director, kind=Kind.TASK_ASSIGNED, mode=Mode.OFF)

    return {
        "director": director,
        "intake": intake,
        "admin": admin_user,
        "case": case,
        "person": involvement.person,
        "report": report,
        "meeting": meeting,
        "grant": grant,
        "admin pages": _admin_pages(admin_user, police),
    }


def _admin_pages(admin_user: User, police: Organisation) -> dict[str, str]:
    from kenniscentrum.indicators.models import Indicator, IndicatorList
    from kenniscentrum.organisations.models import Covenant
    from kenniscentrum.reports.models import StandardReply
    from tests.api.conftest import api_client_for

    StandardReply.objects.create(
        title="Ontvangen", texts={code: f"Ontvangen ({code})." for code, _n in settings.LANGUAGES}
    )
    client, _token = api_client_for(OrganisationType.POLICE, admin_user)
    objects = {
        "organisations.municipality": Municipality.objects.get(cbs_code="GM0153"),
        "organisations.organisation": police,
        "organisations.covenant": Covenant.objects.order_by("pk").first(),
        "accounts.user": User.objects.get(username="carla"),
        "reports.standardreply": StandardReply.objects.get(),
        "indicators.indicatorlist": IndicatorList.objects.order_by("pk").first(),
        "indicators.indicator": Indicator.objects.order_by("pk").first(),
        "api.apiclient": client,
    }
    return {label: f"/beheer/{label.replace('.', '/')}/{obj.pk}/change/" for label, obj in objects.items()}


@pytest.fixture
def world(region: None, intake: User, director: User, admin_user: User) -> dict[str, Any]:
    return _everything(region, intake, director, admin_user)


def database() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, audit events and sessions aside, without the times a save stamps by itself."""
    skipped = {"audit.auditevent", "sessions.session", "admin.logentry"}
    rows = {}
    for model in apps.get_models():
        if model._meta.label_lower in skipped or model._meta.proxy or not model._meta.managed:
            continue
        stamped = {f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in stamped]
        rows[model._meta.label_lower] = list(model.objects.order_by("pk").values(*names))
        for field in model._meta.many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            rows[through._meta.label_lower] = list(through.objects.order_by("pk").values())
    return rows


def differences(before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]) -> list[str]:
    found = []
    for table, rows in before.items():
        if after[table] != rows:
            was = {r.get("id", i): r for i, r in enumerate(rows)}
            now = {r.get("id", i): r for i, r in enumerate(after[table])}
            for key in was.keys() | now.keys():
                old, new = was.get(key, {}), now.get(key, {})
                changed = {f: (old.get(f), new.get(f)) for f in old.keys() | new.keys() if old.get(f) != new.get(f)}
                if changed:
                    found.append(f"{table} {key}: {changed}")
    return found


def send_back(client: Client, page: str, pick: Any) -> list[tuple[str, int]]:
    """Opens `page` and sends each form `pick` chooses back as a browser would; their addresses and answers."""
    response = client.get(page)
    assert response.status_code == 200, page
    forms = [f for f in page_forms(response.content.decode()) if pick(f)]
    assert forms, f"no such form on {page}"
    answers = []
    for form in forms:
        answer = client.post(form.action or page, form.sent())
        answers.append((form.action or page, answer.status_code))
        # Still logged in: a form that logs out would make every later check pass.
        assert "/login" not in answer.get("Location", ""), form.action
    return answers


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("scenario", sorted(EDITS))
def test_an_edit_form_sent_back_unchanged_changes_nothing(world: dict[str, Any], scenario: str, language: str) -> None:
    who, page, pick = EDITS[scenario]
    client = logged_in(world[who])
    address = page(world)
    if language != "nl":
        address = f"/{language}{address}"
    before = database()
    answers = send_back(client, address, pick)
    # Accepted (a redirect after saving), not refused: refusing an unchanged form would be a dead end too.
    assert all(status == 302 for _action, status in answers), answers
    assert differences(before, database()) == []


def test_models_compared_include_the_case_file() -> None:
    """The comparison covers what staff edit (a guard against comparing nothing)."""
    tables = {m._meta.label_lower for m in apps.get_models()}
    assert {"cases.case", "cases.person", "cases.reflectionperiod", "reports.report", "meetings.agendaitem"} <= tables
    assert isinstance(apps.get_model("cases", "Person")._meta.get_field("birthdate"), models.DateField)
