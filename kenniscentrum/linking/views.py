"""Linking's pages and panels: the identifiers of a report, case or person with where else they were seen, recording
and removing them, and the search for one value."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.cases.access import case_for_user, case_part, case_worker_required, may
from kenniscentrum.cases.models import Case, Person
from kenniscentrum.lib.decorators import post_only
from kenniscentrum.lib.forms import id_in_range
from kenniscentrum.lib.http import not_found
from kenniscentrum.reports.access import report_for_user, report_handler_required
from kenniscentrum.reports.models import Report

from . import services
from .forms import BusinessForm, IdentifierForm, PlaceForm, SearchForm
from .models import Business, MatchStatus, PersonMatch, Place, Sighting, SightingSource
from .network import network_for, start_node_visible
from .workflow import MATCH_FLOW

# The path names of what an identifier can be recorded on.
TARGET_PATHS = {"melding": "report", "casus": "case", "persoon": "person", "bedrijf": "business", "plaats": "place"}


def _may_change_person(user: User, person: Person) -> bool:
    """The centre's side of any case the person is in (as for the person's details)."""
    cases = Case.objects.visible_to(user).filter(involvements__person=person).distinct()
    return any(may(case_part(user, case), "person") for case in cases)


def _panel(request: HttpRequest, obj: Any, path: str, may_change: bool, exclude: Q | None = None, **extra: Any) -> str:
    user = request.user
    assert isinstance(user, User)
    own = services.sightings_of(obj)
    rows = list(own.select_related("identifier", "recorded_by", "report_person").order_by("recorded_at", "id"))
    seen = services.seen_before(user, own, exclude=exclude, audit_obj=obj)
    found = services.suggestions(obj, user) if may_change and path in ("melding", "casus") else []
    context = {
        "path": path,
        "obj": obj,
        "suggestions": found,
        "sightings": rows,
        "seen": seen,
        "may_change": may_change,
        "add_url": reverse("linking:add", args=[path, obj.pk]),
        "network_url": reverse("linking:network", args=[path, obj.pk]),
        "same_human": [],
        "mentions": services.mentions_of(obj) if path in ("melding", "casus", "persoon") else [],
        "link_url": reverse("linking:link", args=[path, obj.pk]) if path in ("melding", "casus", "persoon") else "",
        **extra,
        "back": request.get_full_path(),
    }
    return render_to_string("linking/panel.html", context, request=request)


def report_panel(request: HttpRequest, report: Report) -> str:
    user = request.user
    assert isinstance(user, User)
    return _panel(
        request, report, "melding", may_change=True, same_human=services.same_human(user, *report.persons.all())
    )


def reporter_details_panel(request: HttpRequest, report: Report) -> str:
    """On the reporter's own page (the receipt code): the details they gave, as they typed them. Not what staff
    recorded on the report, nor where else a detail was seen."""
    given = Sighting.objects.filter(report=report, source=SightingSource.REPORTER).select_related("identifier")
    if not given:
        return ""
    return render_to_string("includes/report_sent_details.html", {"given": given}, request=request)


def case_panel(request: HttpRequest, case: Case) -> str:
    user = request.user
    assert isinstance(user, User)
    # The case's own reports are not "seen before".
    own_reports = Q(report__case=case) | Q(report_person__report__case=case)
    return _panel(request, case, "casus", may(case_part(user, case), "person"), exclude=own_reports)


def person_panel(request: HttpRequest, person: Person) -> str:
    user = request.user
    assert isinstance(user, User)
    return _panel(
        request, person, "persoon", _may_change_person(user, person), same_human=services.same_human(user, person)
    )


def _target_for(request: HttpRequest, path: str, pk: int) -> tuple[str, Any, str]:
    """What an identifier is recorded on, if this user may change it; else 404. With the page to go back to."""
    user = request.user
    assert isinstance(user, User)
    kind = TARGET_PATHS.get(path)
    if kind == "report":
        report = report_for_user(request, pk)
        return "report", report, reverse("reports:detail", args=[report.pk])
    if kind == "case":
        case, part = case_for_user(request, pk)
        if not may(part, "person"):
            not_found(request)
        return "case", case, reverse("cases:detail", args=[case.pk])
    if kind == "person":
        person = Person.objects.filter(pk=pk).first()
        if person is None or not _may_change_person(user, person):
            not_found(request)
        return "person", person, reverse("cases:person", args=[person.pk])
    if kind in ("business", "place") and user.handles_reports_and_cases:
        model = Business if kind == "business" else Place
        found = model.objects.filter(pk=pk).first()
        if found is not None:
            return kind, found, reverse(f"linking:{kind}", args=[found.pk])
    not_found(request)


@case_worker_required
def identifier_add(request: HttpRequest, path: str, pk: int) -> HttpResponse:
    """Records a phone number, address or other identifier on a report (or a person it mentions), a case or a person."""
    user = request.user
    assert isinstance(user, User)
    target, obj, back = _target_for(request, path, pk)
    mentioned = obj.persons.all() if target == "report" else None
    form = IdentifierForm(request.POST or None, mentioned=mentioned)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["text"] = data.pop("value")
        about = data.pop("about", None)
        where = {"report_person": about} if about is not None else {target: obj}
        try:
            sighting = services.identifier_record(actor=user, source=SightingSource.STAFF, **data, **where)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            identifier = sighting.identifier
            said = _("Recorded: %(kind)s %(value)s.") % {"kind": identifier.kind_name, "value": identifier.shown}
            if not identifier.valid:
                said += " " + _("It was not recognised and is kept as text: it matches only the same text.")
            messages.success(request, said)
            return redirect(back)
    return render(
        request,
        "linking/identifier_add.html",
        {"form": form, "obj": obj, "back": back},
        status=400 if request.method == "POST" else 200,
    )


@case_worker_required
@post_only
def sighting_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    sighting = Sighting.objects.select_related("identifier", "report_person", "note").filter(pk=pk).first()
    if sighting is None:
        not_found(request)
    name = sighting.target_name
    owner_path, owner_pk = {
        "report": ("melding", sighting.report_id),
        "report_person": ("melding", sighting.report_person.report_id if sighting.report_person else 0),
        "case": ("casus", sighting.case_id),
        "note": ("casus", sighting.note.case_id if sighting.note else 0),
        "person": ("persoon", sighting.person_id),
        "business": ("bedrijf", sighting.business_id),
        "place": ("plaats", sighting.place_id),
    }[name]
    _target, _obj, back = _target_for(request, owner_path, owner_pk or 0)
    services.sighting_remove(sighting=sighting, actor=user)
    messages.success(request, _("Removed: %(identifier)s.") % {"identifier": sighting.identifier})
    return redirect(back)


@report_handler_required
def identifier_search(request: HttpRequest) -> HttpResponse:
    """Type a phone number, plate, IBAN or address and see every place it was seen."""
    user = request.user
    assert isinstance(user, User)
    form = SearchForm(request.GET if "value" in request.GET else None)
    identifier, seen, problem = None, None, ""
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            identifier, seen = services.search(user, data.pop("kind"), data.pop("value"), **data)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
    return render(
        request,
        "linking/search.html",
        {"form": form, "identifier": identifier, "seen": seen, "problem": problem},
        status=400 if form.is_bound and (form.errors or problem) else 200,
    )


@case_worker_required
@post_only
def suggestion_answer(request: HttpRequest, path: str, pk: int) -> HttpResponse:
    """Accepts or dismisses a candidate found in a report's text or a case note. The candidate is found again in
    the text itself: what the page sends is checked, not trusted."""
    user = request.user
    assert isinstance(user, User)
    target, obj, back = _target_for(request, path, pk)
    kind, value = request.POST.get("kind", "")[:30], request.POST.get("value", "")[:200]
    where: dict[str, Any] = {"report": obj} if target == "report" else {}
    if target == "case":
        note_id = request.POST.get("note", "")
        note = obj.notes.visible_to(user).filter(pk=note_id).first() if note_id.isdigit() else None
        where = {"note": note}
    try:
        if request.POST.get("do") == "accept":
            sighting = services.suggestion_accept(actor=user, kind=kind, value=value, **where)
            messages.success(request, _("Recorded: %(identifier)s.") % {"identifier": sighting.identifier})
        else:
            services.suggestion_dismiss(actor=user, kind=kind, value=value, **where)
            messages.success(request, _("Not an identifier: it is not suggested again for this text."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


# The path names of what a network can start from.
NETWORK_STARTS = {
    "melding": "report",
    "casus": "case",
    "persoon": "person",
    "kenmerk": "identifier",
    "bedrijf": "business",
    "plaats": "place",
}


@case_worker_required
def network(request: HttpRequest, path: str, pk: int) -> HttpResponse:
    """The network around a report, case, person or identifier, two steps deep, drawn and as a table."""
    user = request.user
    assert isinstance(user, User)
    kind = NETWORK_STARTS.get(path)
    if kind is None or not start_node_visible(user, (kind, pk)):
        not_found(request)
    drawn = network_for(user, (kind, pk))
    start = next((node for node in drawn.nodes if node["start"]), None)
    audit_record(
        action=Action.LINK_LOOKUP, actor=user, network=f"{kind}:{pk}", shown=len(drawn.nodes), hidden=drawn.hidden
    )
    return render(request, "linking/network.html", {"network": drawn, "start": start})


@report_handler_required
def overview(request: HttpRequest) -> HttpResponse:
    """For the centre: the identifiers seen in the most reports and municipalities, and the largest clusters."""
    audit_record(action=Action.LINK_LOOKUP, actor=request.user, overview=True)
    return render(request, "linking/overview.html", services.overview())


@report_handler_required
def matches(request: HttpRequest) -> HttpResponse:
    """The review list: pairs of persons who may be one human, for a case director to confirm or reject; the
    decided ones below, to undo."""
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        raw = request.POST.get("match", "")
        match = PersonMatch.objects.filter(pk=raw).first() if id_in_range(raw) else None
        step = request.POST.get("step", "")
        if match is None or step not in MATCH_FLOW:
            messages.error(request, _("This match does not exist or this step is not possible."))
        else:
            try:
                services.person_match_step(match=match, name=step, actor=user, text=request.POST.get("text", "")[:2000])
                messages.success(request, _("Recorded: %(status)s.") % {"status": match.get_status_display()})
                return redirect("linking:matches")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
    sides = ("person_a", "person_b", "report_person_a__report", "report_person_b__report")
    seen = ("report_person_a__sightings__identifier", "report_person_b__sightings__identifier")
    pending = PersonMatch.objects.filter(status=MatchStatus.SUGGESTED).select_related(*sides).prefetch_related(*seen)
    decided = (
        PersonMatch.objects.exclude(status=MatchStatus.SUGGESTED)
        .select_related(*sides, "decided_by")
        .prefetch_related(*seen)
        .order_by("-decided_at")[:50]
    )
    audit_record(action=Action.PERSON_VIEWED, actor=user, matches=True)
    return render(
        request,
        "linking/matches.html",
        {
            "pending": [(m, services.match_side(m.side_a), services.match_side(m.side_b)) for m in pending[:50]],
            "pending_total": pending.count(),
            "decided": [(m, services.match_side(m.side_a), services.match_side(m.side_b)) for m in decided],
            "flow": MATCH_FLOW,
        },
        status=400 if request.method == "POST" else 200,
    )


@case_worker_required
@post_only
def person_match_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Looks for this person among everyone in the case file now, instead of waiting for the night."""
    user = request.user
    assert isinstance(user, User)
    person = Person.objects.filter(pk=pk).first()
    if person is None or not _may_change_person(user, person):
        not_found(request)
    made = services.persons_match(person=person)
    messages.success(request, _("%(count)s new pairs to review.") % {"count": made})
    return redirect("cases:person", pk=person.pk)


@case_worker_required
def link_business_or_place(request: HttpRequest, path: str, pk: int) -> HttpResponse:
    """Links a business or place to a report, case or person: one already known (searched by name, KvK number,
    description or postcode), or a new one."""
    user = request.user
    assert isinstance(user, User)
    target, obj, back = _target_for(request, path, pk)
    if target not in ("report", "case", "person"):
        not_found(request)
    business_form = BusinessForm(request.POST if request.POST.get("do") == "new_business" else None, prefix="business")
    place_form = PlaceForm(request.POST if request.POST.get("do") == "new_place" else None, prefix="place", user=user)
    problem = ""
    if request.method == "POST":
        do, note = request.POST.get("do", ""), request.POST.get("note", "")[:200]
        try:
            with transaction.atomic():
                if do == "new_business" and business_form.is_valid():
                    business = services.business_record(actor=user, **business_form.cleaned_data)
                    services.mention_add(actor=user, business=business, note=note, **{target: obj})
                elif do == "new_place" and place_form.is_valid():
                    place = services.place_record(actor=user, **place_form.cleaned_data)
                    services.mention_add(actor=user, place=place, note=note, **{target: obj})
                elif do in ("business", "place") and id_in_range(request.POST.get("id", "")):
                    model = Business if do == "business" else Place
                    # Only one the user sees: a number typed in is no way into the register (probe finding 12).
                    found = model.objects.visible_to(user).filter(pk=request.POST["id"]).first()
                    if found is None:
                        raise ValidationError(_("Choose a business or a place."))
                    services.mention_add(actor=user, note=note, **{do: found, target: obj})
                else:
                    raise ValidationError(_("Check the form below."))
            messages.success(request, _("Linked."))
            return redirect(back)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
    query = request.GET.get("q", "")[:100]
    businesses, places = services.businesses_and_places_search(user, query)
    return render(
        request,
        "linking/link.html",
        {
            "obj": obj,
            "back": back,
            "query": query,
            "businesses": businesses,
            "places": places,
            "business_form": business_form,
            "place_form": place_form,
            "problem": problem,
        },  # fmt: skip
        status=400 if request.method == "POST" else 200,
    )


def _node_page(request: HttpRequest, node: Business | Place, kind: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    mentions = node.mentions.select_related("report", "case", "person")
    visible_cases = set(Case.objects.visible_to(user).values_list("pk", flat=True))
    audit_record(action=Action.LINK_LOOKUP, actor=user, node=f"{kind}:{node.pk}")
    path = "bedrijf" if kind == "business" else "plaats"
    return render(
        request,
        "linking/node.html",
        {
            "node": node,
            "kind": kind,
            "mentions": mentions,
            "visible_cases": visible_cases,
            "panel": _panel(request, node, path, may_change=True),
        },  # fmt: skip
    )


@report_handler_required
def business_detail(request: HttpRequest, pk: int) -> HttpResponse:
    business = Business.objects.filter(pk=pk).first()
    if business is None:
        not_found(request)
    return _node_page(request, business, "business")


@report_handler_required
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = Place.objects.filter(pk=pk).select_related("business").first()
    if place is None:
        not_found(request)
    return _node_page(request, place, "place")
