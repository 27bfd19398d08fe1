"""Case pages: the list, the case file with its actions, persons, tasks, and a report becoming a case."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.indicators.models import LegalElement
from kenniscentrum.lib.actions import PageAction, action_forms, action_take, registry
from kenniscentrum.lib.decorators import post_only
from kenniscentrum.lib.forms import id_in_range
from kenniscentrum.lib.http import not_found
from kenniscentrum.lib.panels import panels
from kenniscentrum.lib.upload_check import clean_upload
from kenniscentrum.lib.vocabulary import CaseStatus, InvolvementRole, TaskStatus, VictimStatus
from kenniscentrum.lib.workflow import STAFF, Transition
from kenniscentrum.reports.access import report_for_user, report_handler_required
from kenniscentrum.reports.forms import SignalsForm
from kenniscentrum.reports.pages import signals_page

from . import services
from .access import ACTIONS as CASE_ACTIONS
from .access import (
    PARTNER,
    SECTIONS,
    case_for_user,
    case_part,
    case_worker_required,
    may,
    may_update_task,
    sees,
    sees_reporter,
    trajectory_parts,
)
from .forms import (
    AssessmentForm,
    CaseSearchForm,
    CaseUpdateForm,
    CloseForm,
    ComenshaForm,
    DocumentForm,
    ExistingPersonForm,
    GoalForm,
    GrantEditForm,
    GrantForm,
    GrantRevokeForm,
    HandoverForm,
    HandoverReceiveForm,
    HandoverStepForm,
    InvolvementForm,
    NoteForm,
    OpenCaseForm,
    PersonForm,
    ReflectionChangeForm,
    ReflectionForm,
    RiskForm,
    SafetyFlagEndForm,
    SafetyFlagForm,
    ShelterEndForm,
    ShelterForm,
    TaskForm,
    TaskStatusForm,
    TransitionForm,
    VictimStatusForm,
)
from .handover import handed_away, handover_summary, trajectory_here
from .models import (
    PERSON_FIELDS,
    AccessGrant,
    Case,
    ComenshaRegistration,
    Document,
    Handover,
    Involvement,
    Person,
    ReflectionPeriod,
    SafetyFlag,
    SafetyFlagKind,
    ShelterPlacement,
    Task,
)
from .timeline import case_deadlines, case_timeline
from .workflow import CASE_FLOW, HANDOVER_FLOW, closing_asked_by, handover_steps, steps_offered

PAGE_SIZE = 25
# A long case shows its latest timeline entries, with a link to the whole timeline.
TIMELINE_SHOWN = 50
# A long case shows its latest notes and finished tasks, with a link to all of them; open tasks are always shown.
NOTES_SHOWN = 20
FINISHED_TASKS_SHOWN = 10
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


@case_worker_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = CaseSearchForm(request.GET)
    cases = Case.objects.visible_to(user).select_related(
        "director", "coordinator_user", "coordinator_organisation", "municipality"
    )
    status = request.GET.get("status", "open")
    if status == "open":
        cases = cases.open()
    elif status in CaseStatus.values:
        cases = cases.filter(status=status)
    if request.GET.get("mine"):
        cases = cases.filter(Q(director=user) | Q(coordinator_user=user))
    if form.is_valid() and form.cleaned_data["q"]:
        # A search joins reports and persons: one case may match more than once.
        cases = cases.filter(case_search(form.cleaned_data["q"])).distinct()
    page = Paginator(cases.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "form": form,
            "status": status,
            "statuses": CaseStatus.choices,
            "mine": request.GET.get("mine"),
            "query": keep.urlencode(),
        },
    )


def case_search(text: str) -> Q:
    """Cases by their reference, a linked report's reference, a person's name or alias, or the place."""
    text = text.strip()
    return (
        Q(reference__iexact=text)
        | Q(reports__reference__iexact=text)
        | Q(title__icontains=text)
        | Q(involvements__person__first_name__icontains=text)
        | Q(involvements__person__last_name__icontains=text)
        | Q(involvements__person__aliases__icontains=text)
        | Q(reports__place__icontains=text)
        | Q(municipality__name__icontains=text)
    )


@transaction.atomic
def _document_add(case: Case, user: User, data: dict[str, Any]) -> None:
    clean = clean_upload(data["file"], DOCUMENT_MAX_BYTES)
    document = Document(
        case=case,
        # The name staff gave it, with the extension of what it really is.
        original_name=Path(clean.original_name).stem[:150] + clean.extension,
        content_type=clean.content_type,
        size=len(clean.content),
        visibility=data["visibility"],
        uploaded_by=user,
    )
    document.file.save(get_random_string(32) + clean.extension, ContentFile(clean.content), save=False)
    document.save()
    audit_record(action=Action.CASE_CHANGED, actor=user, obj=case, document_added=document.pk)


def _said(text: str | Promise) -> Callable[[Case, dict[str, Any]], str]:
    return lambda case, data: str(text)


def _case_initial(case: Case) -> dict[str, Any]:
    return {
        "title": case.title,
        "summary": case.summary,
        "director": case.director_id,
        "coordinator_user": case.coordinator_user_id,
        "coordinator_organisation": case.coordinator_organisation_id,
        "municipality": case.municipality_id,
        "residence_municipality": case.residence_municipality_id,
        "forms": case.forms,
        "labour_sector": case.labour_sector,
        "border": case.border,
    }


def _assessment_initial(case: Case) -> dict[str, Any]:
    return {
        "act_note": case.act_note,
        "means_note": case.means_note,
        "purpose_note": case.purpose_note,
        "methods_of_control": case.methods_of_control,
    }


def _step(transition: Transition) -> PageAction:
    """A step of the case workflow. Closing may end what is still open in the same step (CloseForm)."""
    name = transition.name

    def form(case: Case, user: User, data: Any, files: Any) -> django_forms.Form:
        if transition.target == CaseStatus.CLOSED:
            return CloseForm(data, prefix=name, case=case, label=transition.text_label or None)
        return TransitionForm(data, prefix=name, label=transition.text_label)

    def run(case: Case, data: dict[str, Any], user: User) -> None:
        tidy = {
            key: data.get(key, False) for key in ("cancel_tasks", "end_grants", "end_placements", "withdraw_referrals")
        }
        services.case_change_status(case=case, name=name, actor=user, text=data["text"], **tidy)

    def said(case: Case, data: dict[str, Any]) -> str:
        return _("Case %(reference)s is now: %(status)s.") % {
            "reference": case.reference,
            "status": case.get_status_display(),
        }

    return PageAction(name, form, run, said, permission="transition")


def _task_said(case: Case, data: dict[str, Any]) -> str:
    owner = data.get("owner_user") or data.get("owner_organisation")
    owner_name = owner.display_name if isinstance(owner, User) else str(owner)
    return _("Task added for %(owner)s: %(title)s.") % {"owner": owner_name, "title": data["title"]}


def _revoke(case: Case, data: dict[str, Any], user: User) -> None:
    grant = AccessGrant.objects.filter(case=case, pk=data["grant"], revoked_at=None).first()
    if grant is None:
        raise ValidationError(_("This grant does not exist or was revoked already."))
    services.grant_revoke(grant=grant, actor=user)


def _handover_step_form(case: Case, user: User, data: Any, files: Any) -> django_forms.Form:
    """The answer to one waiting handover; its ids name the handover and the step, so each form on the page has
    its own."""
    handover, step = str((data or {}).get("handover", "")), str((data or {}).get("step", ""))
    known = id_in_range(handover) and step in HANDOVER_FLOW
    label = HANDOVER_FLOW[step].text_label if known else ""
    auto_id = f"id_handover{handover}_{step}_%s" if known else "id_handover_%s"
    return HandoverStepForm(data, auto_id=auto_id, text_label=label)


def _handover_step(case: Case, data: dict[str, Any], user: User) -> None:
    handover = case.handovers.filter(pk=data["handover"]).first()
    if handover is None or data["step"] not in HANDOVER_FLOW:
        raise ValidationError(_("This handover does not exist or this step is not possible."))
    services.handover_step(handover=handover, name=data["step"], actor=user, text=data["text"])


def _handover_step_said(case: Case, data: dict[str, Any]) -> str:
    handover = case.handovers.get(pk=data["handover"])
    return _("The handover to or from %(centre)s is now: %(status)s.") % {
        "centre": handover.organisation,
        "status": handover.get_status_display(),
    }


REFLECTION_CHANGE = "reflection_change"


def reflection_change_form(case: Case, period: ReflectionPeriod | None, data: Any = None) -> ReflectionChangeForm:
    """The form of one recorded reflection period, filled with what is recorded; its ids name the person, so each
    period's form on the page has its own."""
    initial: dict[str, Any] = {}
    if period is not None:
        initial = {name: getattr(period, name) for name in services.REFLECTION_FIELDS}
        initial |= {"offered_by": period.offered_by_id, "involvement": period.involvement_id}
    pk = period.involvement_id if period is not None else ""
    return ReflectionChangeForm(data, initial=initial, prefix=REFLECTION_CHANGE, auto_id=f"id_reflection{pk}_%s")


def _reflection_change_form(case: Case, user: User, data: Any, files: Any) -> django_forms.Form:
    chosen = str((data or {}).get(f"{REFLECTION_CHANGE}-involvement", ""))
    period = None
    if id_in_range(chosen):
        period = ReflectionPeriod.objects.filter(involvement__case=case, involvement_id=chosen).first()
    return reflection_change_form(case, period, data)


def _reflection_change(case: Case, data: dict[str, Any], user: User) -> None:
    involvement = trajectory_here(case).filter(pk=data["involvement"], reflection__isnull=False).first()
    if involvement is None:
        raise ValidationError(_("This reflection period is not recorded here (any more)."))
    fields = {name: data[name] for name in services.REFLECTION_FIELDS}
    services.reflection_record(case=case, actor=user, involvement=involvement, **fields)


def _reflection_said(case: Case, data: dict[str, Any]) -> str:
    person = Involvement.objects.get(pk=data["involvement"]).person
    return _("Reflection period saved for %(person)s.") % {"person": person}


def _reflection_changes(case: Case, reflections: list[ReflectionPeriod], forms: dict[str, Any], failed: str) -> Any:
    """A form per recorded reflection period still carried here, filled with what is recorded; the one that just
    failed keeps what was typed."""
    here = set(trajectory_here(case).values_list("pk", flat=True))
    rows = []
    for period in reflections:
        if period.involvement_id not in here:
            continue
        name = f"reflection{period.involvement_id}"
        form = forms.get(REFLECTION_CHANGE)
        mine = (
            failed == REFLECTION_CHANGE
            and form is not None
            and form["involvement"].value()
            in (
                period.involvement_id,
                str(period.involvement_id),
            )
        )
        if not mine:
            form = reflection_change_form(case, period)
        rows.append({"period": period, "name": name, "form": form, "failed": name if mine else ""})
    return rows


def _revoke_said(case: Case, data: dict[str, Any]) -> str:
    grant = case.grants.filter(pk=data["grant"]).select_related("organisation").first()
    return _("The access of %(organisation)s has ended.") % {"organisation": grant.organisation if grant else ""}


# The actions on a case page; `permission` names the row of access.ACTIONS that says which parts may take it.
ACTIONS = registry(
    PageAction(
        "update",
        lambda case, user, data, files: CaseUpdateForm(data, initial=_case_initial(case), prefix="update"),
        lambda case, data, user: services.case_update(case=case, actor=user, **data),
        _said(gettext_lazy("The case's details are saved.")),
        permission="update",
    ),
    PageAction(
        "assessment",
        lambda case, user, data, files: AssessmentForm(data, initial=_assessment_initial(case), prefix="assessment"),
        lambda case, data, user: services.case_update(case=case, actor=user, **data),
        _said(gettext_lazy("The assessment of the legal elements is saved.")),
        permission="assessment",
    ),
    PageAction(
        "risk",
        lambda case, user, data, files: RiskForm(data, prefix="risk"),
        lambda case, data, user: services.risk_add(case=case, actor=user, **data),
        _said(gettext_lazy("Risk assessment recorded.")),
        permission="risk",
    ),
    PageAction(
        "victim_status",
        lambda case, user, data, files: VictimStatusForm(data, prefix="victim_status", case=case),
        lambda case, data, user: services.victim_status_set(actor=user, **data),
        _said(gettext_lazy("Victim status recorded.")),
        permission="person",
    ),
    PageAction(
        "comensha",
        lambda case, user, data, files: ComenshaForm(data, prefix="comensha", case=case),
        lambda case, data, user: services.comensha_register(case=case, actor=user, **data),
        lambda case, data: (
            _("Registration with CoMensha recorded for %(person)s.") % {"person": data["involvement"].person}
        ),
        permission="person",
    ),
    PageAction(
        "reflection",
        lambda case, user, data, files: ReflectionForm(data, prefix="reflection", case=case),
        lambda case, data, user: services.reflection_record(case=case, actor=user, **data),
        lambda case, data: _("Reflection period recorded for %(person)s.") % {"person": data["involvement"].person},
        permission="person",
    ),
    PageAction(REFLECTION_CHANGE, _reflection_change_form, _reflection_change, _reflection_said, permission="person"),
    PageAction(
        "shelter",
        lambda case, user, data, files: ShelterForm(data, prefix="shelter", case=case),
        lambda case, data, user: services.shelter_place(case=case, actor=user, **data),
        lambda case, data: _("Placement in shelter recorded for %(person)s.") % {"person": data["involvement"].person},
        permission="person",
    ),
    PageAction(
        "shelter_end",
        lambda case, user, data, files: ShelterEndForm(data, prefix="shelter_end"),
        lambda case, data, user: services.shelter_end(case=case, actor=user, **data),
        _said(gettext_lazy("The placement has ended.")),
        permission="person",
    ),
    PageAction(
        "handover",
        lambda case, user, data, files: HandoverForm(data, prefix="handover", case=case),
        lambda case, data, user: services.handover_offer(case=case, actor=user, **data),
        lambda case, data: (
            _("The handover to %(centre)s is recorded: print its summary to send.") % {"centre": data["organisation"]}
        ),
        permission="handover",
    ),
    PageAction("handover_step", _handover_step_form, _handover_step, _handover_step_said, permission="handover"),
    PageAction(
        "safety_flag",
        lambda case, user, data, files: SafetyFlagForm(data, prefix="safety_flag", case=case),
        lambda case, data, user: services.safety_flag_add(case=case, actor=user, **data),
        lambda case, data: _("Safety point recorded: %(kind)s.") % {"kind": dict(SafetyFlagKind.choices)[data["kind"]]},
        permission="safety",
    ),
    PageAction(
        "safety_flag_end",
        lambda case, user, data, files: SafetyFlagEndForm(data, prefix="safety_flag_end"),
        lambda case, data, user: services.safety_flag_end(case=case, actor=user, flag=data["flag"]),
        _said(gettext_lazy("The safety point has ended.")),
        permission="safety",
    ),
    PageAction(
        "goal",
        lambda case, user, data, files: GoalForm(data, prefix="goal"),
        lambda case, data, user: services.goal_add(case=case, actor=user, text=data["text"]),
        _said(gettext_lazy("Goal added to the plan.")),
        permission="goal",
    ),
    PageAction(
        "task",
        lambda case, user, data, files: TaskForm(data, prefix="task", case=case),
        lambda case, data, user: services.task_add(case=case, actor=user, **data),
        _task_said,
        permission="task",
    ),
    PageAction(
        "note",
        lambda case, user, data, files: NoteForm(data, prefix="note", internal=user.in_centre),
        lambda case, data, user: services.note_add(
            case=case, actor=user, body=data["body"], visibility=data["visibility"]
        ),
        _said(gettext_lazy("Note added.")),
        permission="note",
    ),
    PageAction(
        "document",
        lambda case, user, data, files: DocumentForm(data, files, prefix="document"),
        lambda case, data, user: _document_add(case, user, data),
        _said(gettext_lazy("Document added.")),
        permission="document",
    ),
    PageAction(
        "grant",
        lambda case, user, data, files: GrantForm(data, prefix="grant"),
        lambda case, data, user: services.grant_add(case=case, actor=user, **data),
        lambda case, data: _("%(organisation)s now has access to the case.") % {"organisation": data["organisation"]},
        permission="grant",
    ),
    PageAction(
        "revoke",
        lambda case, user, data, files: GrantRevokeForm(data),
        _revoke,
        _revoke_said,
        permission="grant",
    ),
    *(_step(t) for t in CASE_FLOW.transitions.values() if STAFF in t.by),
)


# What a closed case still offers, by the rows of access.ACTIONS: its steps (evaluate, reopen), notes and documents.
CLOSED_CASE_OFFERS = frozenset({"transition", "note", "document"})
# And the actions that end what still runs on it: an organisation's access, a placement, a safety point.
CLOSED_CASE_ENDS = frozenset({"revoke", "shelter_end", "safety_flag_end"})


def closed_case_takes(case: Case, action: str) -> bool:
    """A closed case takes its steps, notes, documents and the ending of what still runs; a new grant, risk
    assessment, task or placement on it would be work nobody does any more."""
    return case.is_open or action in CLOSED_CASE_ENDS or ACTIONS[action].permission in CLOSED_CASE_OFFERS


def _tasks_shown(request: HttpRequest, case: Case, user: User) -> dict[str, Any]:
    """Every open task, and the latest finished ones unless the page asks for all (?tasks=all)."""
    tasks = case.tasks.visible_to(user).select_related("owner_user", "owner_organisation", "goal")
    finished = tasks.exclude(status=TaskStatus.OPEN)
    finished_total = finished.count()
    if request.GET.get("tasks") != "all":
        finished = finished.order_by("-completed_at", "-id")[:FINISHED_TASKS_SHOWN]
    return {
        "tasks": [*tasks.filter(status=TaskStatus.OPEN), *finished],
        "finished_shown": min(finished_total, len(finished)),
        "finished_total": finished_total,
    }


def _notes_shown(request: HttpRequest, case: Case, user: User) -> dict[str, Any]:
    """The latest notes, oldest first, unless the page asks for all (?notes=all)."""
    notes = case.notes.visible_to(user).select_related("author")
    total = notes.count()
    if request.GET.get("notes") != "all":
        notes = notes.order_by("-created_at", "-id")[:NOTES_SHOWN]
    shown = sorted(notes, key=lambda note: (note.created_at, note.pk))
    return {"notes": shown, "notes_total": total}


def _trajectory(case: Case, involvements: Any, part: str, user: User) -> dict[str, Any]:
    """The victims' trajectory: CoMensha, reflection period, shelter; all of it for the centre's side, for a partner
    what their grant's purpose covers. A trajectory handed to another region is shown as it was; nothing more is
    recorded on it here."""
    shown = trajectory_parts(user, case, part)
    victims = [i for i in involvements if i.role == InvolvementRole.VICTIM] if shown else []
    away = set(case.involvements.filter(handed_away()).values_list("pk", flat=True)) if victims else set()
    placements = ShelterPlacement.objects.filter(involvement__in=victims).select_related(
        "involvement__person", "organisation"
    )
    return {
        "trajectory_shown": shown,
        "comensha_registered": [i for i in victims if hasattr(i, "comensha")] if "comensha" in shown else [],
        "comensha_unregistered": [i for i in victims if not hasattr(i, "comensha") and i.pk not in away]
        if "comensha" in shown
        else [],
        "reflections": [i.reflection for i in victims if hasattr(i, "reflection")] if "reflection" in shown else [],
        "reflection_unrecorded": any(not hasattr(i, "reflection") and i.pk not in away for i in victims),
        "placements": placements if "shelter" in shown else [],
        "trajectory_here": sees(part, "victim_status") and any(i.pk not in away for i in victims),
    }


def _handovers(case: Case, part: str, user: User, forms: dict[str, Any], failed: str) -> dict[str, Any]:
    """The case's handovers between regions, and for each one waiting the answers the user may record, each with
    its form (the one that just failed keeps what was typed)."""
    if not sees(part, "handovers"):
        return {"handovers": []}
    rows = []
    for handover in case.handovers.select_related("organisation", "involvement__person", "created_by"):
        steps = []
        for transition in handover_steps(handover) if may(part, "handover") else []:
            name = f"handover{handover.pk}-{transition.name}"
            step_form = forms["handover_step"]
            mine = failed == "handover_step" and step_form.data.get("handover") == str(handover.pk)
            if not (mine and step_form.data.get("step") == transition.name):
                initial = {"handover": handover.pk, "step": transition.name}
                step_form = HandoverStepForm(initial=initial, auto_id=f"id_{name}_%s", text_label=transition.text_label)
                mine = False
            problems = HANDOVER_FLOW.blockers(handover, transition.name, actor=user)
            steps.append(
                {
                    "name": name,
                    "transition": transition,
                    "form": step_form,
                    "problems": problems,
                    "failed": name if mine else "",
                }
            )
        rows.append({"handover": handover, "steps": steps})
    return {"handovers": rows}


def _render_case(
    request: HttpRequest, case: Case, part: str, forms: dict[str, Any], failed: str = "", status: int = 200
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    involvements = case.involvements.select_related("person", "comensha", "reflection__offered_by").prefetch_related(
        "status_changes"
    )
    signals = list(case.signals.select_related("indicator__indicator_list"))
    by_element = [
        (label, [s for s in signals if s.indicator.element == value]) for value, label in LegalElement.choices
    ]
    trajectory = _trajectory(case, involvements, part, user)
    timeline, timeline_total = case_timeline(
        case, user, part, None if request.GET.get("timeline") == "all" else TIMELINE_SHOWN
    )
    # The referrals the user reads, by the referrals' own rule: a partner only those to their organisation that
    # still ask something of it or that it works on (ReferralQuerySet.addressed_to).
    referrals = case.referrals.visible_to(user).select_related("organisation", "person")
    context = {
        "case": case,
        "part": part,
        # A closed case offers only what makes sense after closing (closed_case_takes); ending what still runs stays.
        "may": {
            **{action: may(part, action) and (case.is_open or action in CLOSED_CASE_OFFERS) for action in CASE_ACTIONS},
            "revoke": may(part, "grant"),
            "end_placement": may(part, "person"),
            "end_flags": may(part, "safety"),
        },
        "sees": {section: sees(part, section) for section in SECTIONS},
        "closing_asked_by": closing_asked_by(case) if case.is_open else None,
        "deadlines": case_deadlines(case, user, part),
        "today": timezone.localdate(),
        "sees_reporter": sees_reporter(user, case),
        "reports": case.reports.prefetch_related("forms") if sees(part, "reports") else [],
        "involvements": involvements,
        "safety_flags": case.safety_flags.active().select_related("person"),
        **trajectory,
        **_handovers(case, part, user, forms, failed),
        "reflection_changes": _reflection_changes(case, trajectory["reflections"], forms, failed),
        "victims_minor": any(i.minor for i in involvements),
        "by_element": by_element,
        "risks": case.risk_assessments.select_related("assessed_by") if sees(part, "risks") else [],
        "goals": case.goals.all() if sees(part, "goals") else [],
        **_tasks_shown(request, case, user),
        **_notes_shown(request, case, user),
        "documents": case.documents.visible_to(user),
        "grants": case.grants.with_activity().select_related("organisation", "granted_by", "covenant")
        if sees(part, "grants")
        else [],
        # A partner reads what its own organisation's access is for and until when; not another organisation's.
        "own_grants": AccessGrant.objects.active()
        .filter(case=case, organisation_id=user.organisation_id or 0)
        .select_related("covenant")
        if part == PARTNER
        else [],
        "referrals": referrals,
        "timeline": timeline,
        "timeline_total": timeline_total,
        "transitions": [(t, CASE_FLOW.blockers(case, t.name, actor=user)) for t in steps_offered(case)],
        "panels": panels("case", request, case),
        "forms": forms,
        "failed": failed,
        "task_statuses": TaskStatus.choices,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@case_worker_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case, part = case_for_user(request, pk)
    audit_record(action=Action.CASE_VIEWED, actor=request.user, obj=case, part=part)
    return _render_case(request, case, part, action_forms(ACTIONS, case, request.user))


@case_worker_required
@post_only
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        not_found(request)
    case, part = case_for_user(request, pk)
    user = request.user
    assert isinstance(user, User)
    if not may(part, ACTIONS[action].permission) or not closed_case_takes(case, action):
        not_found(request)
    form, said = action_take(ACTIONS[action], request, case)
    if said:
        messages.success(request, said)
        return redirect("cases:detail", pk=case.pk)
    forms = action_forms(ACTIONS, case, user)
    forms[action] = form
    case.refresh_from_db()
    audit_record(action=Action.CASE_VIEWED, actor=user, obj=case, part=part)
    return _render_case(request, case, part, forms, failed=action, status=400)


@case_worker_required
def grant_edit(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    """One organisation's access to the case, changed in place: its purpose, what of the trajectory it covers, its
    end date (finding 8). For those who grant access; an ended grant is not edited (a new decision is a new grant)."""
    case, part = case_for_user(request, pk)
    user = request.user
    assert isinstance(user, User)
    grant = AccessGrant.objects.active().filter(case=case, pk=grant_pk).select_related("organisation").first()
    if not may(part, "grant") or grant is None:
        not_found(request)
    initial = {"purpose": grant.purpose, "covers": grant.covers, "valid_until": grant.valid_until}
    form = GrantEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_update(grant=grant, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("The access of %(organisation)s is saved.") % {"organisation": grant.organisation}
            )
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/grant_edit.html",
        {"case": case, "grant": grant, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@case_worker_required
@post_only
def task_status(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    # By the task's own rule: an organisation given a task without access to its case answers it too.
    task = Task.objects.visible_to(user).filter(pk=task_pk, case_id=pk).select_related("case").first()
    if task is None:
        not_found(request)
    case = task.case
    if not may_update_task(user, task, case_part(user, case)):
        not_found(request)
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        services.task_set_status(task=task, actor=user, status=form.cleaned_data["status"])
        messages.success(
            request, _("Task %(title)s: %(status)s.") % {"title": task.title, "status": task.get_status_display()}
        )
    else:
        messages.error(request, _("Choose a status from the list."))
    # Back to the list the task was answered from: my tasks, or the start page.
    back = {"tasks": "cases:my_tasks", "work": "notifications:work"}.get(request.POST.get("next", ""))
    if back:
        return redirect(back)
    return redirect("cases:detail", pk=case.pk)


@case_worker_required
def case_signals(request: HttpRequest, pk: int) -> HttpResponse:
    case, part = case_for_user(request, pk)
    if not may(part, "signals"):
        not_found(request)
    form = SignalsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.case_set_signals(case=case, codes=form.cleaned_data["signals"], actor=request.user)  # type: ignore[arg-type]
        count = len(form.cleaned_data["signals"])
        messages.success(
            request,
            ngettext("%(count)d signal recorded for this case.", "%(count)d signals recorded for this case.", count)
            % {"count": count},
        )
        return redirect("cases:detail", pk=case.pk)
    audit_record(action=Action.CASE_VIEWED, actor=request.user, obj=case, part=part)
    current = case.signals.values_list("indicator__code", flat=True)
    return signals_page(request, form, current, "cases/case_signals.html", {"case": case})


@case_worker_required
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A new person in the case, or one already known from another case this user may see."""
    case, part = case_for_user(request, pk)
    user = request.user
    assert isinstance(user, User)
    if not may(part, "person"):
        not_found(request)
    known = (
        Person.objects.filter(involvements__case__in=Case.objects.visible_to(user))
        .exclude(involvements__case=case)
        .distinct()
    )
    person_form = PersonForm(request.POST or None, prefix="person")
    involvement_form = InvolvementForm(request.POST or None, prefix="role")
    existing_form = ExistingPersonForm(request.POST or None, prefix="existing", persons=known)
    # Choosing a known person is a search, not a list of every name: the matches show enough to tell two
    # people with one name apart (their roles, cases, age and municipality).
    search = request.GET.get("zoek", "").strip()[:100]
    matches = _person_matches(known, search, user) if len(search) >= 2 else []
    if request.method == "POST":
        existing = request.POST.get("which") == "existing"
        form = existing_form if existing else involvement_form
        valid = form.is_valid() and (existing or person_form.is_valid())
        if valid:
            role = {k: v for k, v in form.cleaned_data.items() if k != "person"}
            try:
                involvement = services.person_add(
                    case=case,
                    actor=user,
                    person=form.cleaned_data["person"] if existing else None,
                    person_data={} if existing else person_form.cleaned_data,
                    **role,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(
                    request,
                    _("%(person)s added to the case as %(role)s.")
                    % {"person": involvement.person, "role": involvement.get_role_display()},
                )
                return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/person_add.html",
        {
            "case": case,
            "person_form": person_form,
            "involvement_form": involvement_form,
            "existing_form": existing_form,
            "search": search,
            "matches": matches,
            "known_any": known.exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


PERSON_MATCHES = 20


def _person_matches(known: Any, search: str, user: User) -> list[dict[str, Any]]:
    """Up to PERSON_MATCHES known persons whose name or alias contains every word of `search`."""
    wanted = Q()
    for word in search.split()[:5]:
        wanted &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(aliases__icontains=word)
    persons = list(known.filter(wanted).order_by("last_name", "first_name", "id")[:PERSON_MATCHES])
    involvements = Involvement.objects.filter(
        person__in=persons, case__in=Case.objects.visible_to(user)
    ).select_related("case__municipality")
    by_person: dict[int, list[Involvement]] = {}
    for involvement in involvements:
        by_person.setdefault(involvement.person_id, []).append(involvement)
    today = timezone.localdate()
    return [
        {"person": person, "age": person.age_on(today), "involvements": by_person.get(person.pk, [])}
        for person in persons
    ]


@case_worker_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person and their roles in the cases this user may see; read and change are audited."""
    user = request.user
    assert isinstance(user, User)
    visible_cases = Case.objects.visible_to(user)
    person = Person.objects.filter(pk=pk, involvements__case__in=visible_cases).distinct().first()
    if person is None:
        not_found(request)
    involvements = person.involvements.filter(case__in=visible_cases).select_related("case")
    may_edit = any(may(case_part(user, i.case), "person") for i in involvements)
    form = PersonForm(request.POST or None, instance=person, prefix="person")
    if request.method == "POST":
        if not may_edit:
            not_found(request)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in PERSON_FIELDS}
            person.refresh_from_db()
            services.person_update(person=person, actor=user, **changes)
            messages.success(
                request,
                _("The details of %(person)s are saved.") % {"person": person}
                if changes
                else _("Nothing was changed."),
            )
            return redirect("cases:person", pk=person.pk)
    audit_record(action=Action.PERSON_VIEWED, actor=user, obj=person)
    return render(
        request,
        "cases/person_detail.html",
        {
            "person": person,
            "involvements": involvements,
            "form": form,
            "may_edit": may_edit,
            # The safety points about this person, from the cases this user sees.
            "safety_flags": SafetyFlag.objects.active().filter(person=person, case__in=visible_cases),
            "panels": panels("person", request, person),
        },
        status=400 if request.method == "POST" else 200,
    )


@case_worker_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponseBase:
    case, part = case_for_user(request, pk)
    document = case.documents.visible_to(request.user).filter(pk=document_pk).first()  # type: ignore[arg-type]
    if document is None:
        not_found(request)
    audit_record(action=Action.DOCUMENT_DOWNLOADED, actor=request.user, obj=case, document=document.pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@case_worker_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """My tasks and my organisation's, in cases I may see; and for the centre every overdue task."""
    user = request.user
    assert isinstance(user, User)
    tasks = (
        Task.objects.visible_to(user).with_case_shown(user).select_related("case", "owner_user", "owner_organisation")
    )
    mine = tasks.owned_by(user).filter(status=TaskStatus.OPEN)
    overdue = tasks.overdue() if user.handles_reports_and_cases else mine.overdue()
    # Two lists on one page, each with its own page number; each list's links keep the other's.
    mine_page = Paginator(mine.order_by("due_date", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    overdue_page = Paginator(overdue.order_by("due_date", "id"), PAGE_SIZE).get_page(request.GET.get("overdue_page"))
    return render(
        request,
        "cases/my_tasks.html",
        {
            "mine": mine_page,
            "overdue": overdue_page,
            "query": f"overdue_page={overdue_page.number}",
            "overdue_query": f"page={mine_page.number}",
            "task_statuses": TaskStatus.choices,
        },
    )


@report_handler_required
def report_to_case(request: HttpRequest, pk: int) -> HttpResponse:
    """From triage: open a new case from the report, or link it to a case found by reference, person or place."""
    report = report_for_user(request, pk)
    user = request.user
    assert isinstance(user, User)
    open_form = OpenCaseForm(request.POST if request.POST.get("do") == "open" else None, prefix="open")
    search = CaseSearchForm(request.GET)
    found = Case.objects.none()
    if search.is_valid() and search.cleaned_data["q"]:
        found = Case.objects.visible_to(user).open().filter(case_search(search.cleaned_data["q"])).distinct()[:20]
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("do") == "open" and open_form.is_valid():
                case = services.case_open_from_report(report=report, title=open_form.cleaned_data["title"], actor=user)
                messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
                return redirect("cases:detail", pk=case.pk)
            if request.POST.get("do") == "link":
                case_id = request.POST.get("case", "")
                chosen = Case.objects.visible_to(user).filter(pk=case_id).first() if id_in_range(case_id) else None
                if chosen is None:
                    error = _("Choose a case from the search results.")
                else:
                    services.case_link_report(report=report, case=chosen, actor=user)
                    messages.success(
                        request, _("Report linked to case %(reference)s.") % {"reference": chosen.reference}
                    )
                    return redirect("cases:detail", pk=chosen.pk)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    audit_record(action=Action.REPORT_VIEWED, actor=user, obj=report)
    return render(
        request,
        "cases/report_to_case.html",
        {"report": report, "open_form": open_form, "search": search, "found": found, "error": error},
        status=400 if request.method == "POST" else 200,
    )


@report_handler_required
def comensha_open(request: HttpRequest) -> HttpResponse:
    """The centre's list of possible victims in open cases not yet registered with CoMensha, leaving out those whose
    trajectory went to another region."""
    waiting = (
        Involvement.objects.filter(role=InvolvementRole.VICTIM, comensha=None, case__in=Case.objects.open())
        .exclude(victim_status=VictimStatus.NOT_A_VICTIM)
        .exclude(handed_away())
        .select_related("person", "case")
        .order_by("case__created_at", "id")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(action=Action.CASE_VIEWED, actor=request.user, comensha_open=True)
    return render(request, "cases/comensha_open.html", {"page": page})


@case_worker_required
def comensha_print(request: HttpRequest, pk: int) -> HttpResponse:
    """One registration on one page, to print and send: what the centre registered, for those who see the case."""
    registration = (
        ComenshaRegistration.objects.filter(pk=pk)
        .select_related("involvement__person", "involvement__case", "registered_by")
        .first()
    )
    if registration is None:
        not_found(request)
    case, part = case_for_user(request, registration.involvement.case_id)
    if "comensha" not in trajectory_parts(request.user, case, part):  # type: ignore[arg-type]
        not_found(request)
    audit_record(action=Action.PERSON_VIEWED, actor=request.user, obj=registration.involvement.person, comensha=pk)
    return render(request, "cases/comensha_print.html", {"registration": registration, "case": case})


@report_handler_required
def handover_receive(request: HttpRequest) -> HttpResponse:
    """A case received from another region's centre opens here and waits for a case director to accept it."""
    user = request.user
    assert isinstance(user, User)
    form = HandoverReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.handover_receive(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Case %(reference)s is opened for the handover; a case director accepts or declines it.")
                % {"reference": handover.case.reference},
            )
            return redirect("cases:detail", pk=handover.case_id)
    return render(
        request,
        "cases/handover_receive.html",
        {"form": form, "centres_known": HandoverReceiveForm().fields["organisation"].queryset.exists()},  # type: ignore[attr-defined]
        status=400 if request.method == "POST" else 200,
    )


@case_worker_required
def handover_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A handover on one page: the record, and for one sent away the summary with only what its legal basis allows."""
    handover = (
        Handover.objects.filter(pk=pk).select_related("organisation", "created_by", "involvement__person").first()
    )
    if handover is None:
        not_found(request)
    case, part = case_for_user(request, handover.case_id)
    if not sees(part, "handovers"):
        not_found(request)
    summary = handover_summary(handover) if handover.is_outgoing else {}
    persons = [i.person_id for i in summary.get("victims", [])]
    audit_record(action=Action.CASE_VIEWED, actor=request.user, obj=case, handover=pk, persons=persons)
    return render(request, "cases/handover_print.html", {"handover": handover, "case": case, "summary": summary})
