"""Recording identifiers where they were seen, removing them, and finding where else they were seen ("seen before"),
limited to what the user may see. Every change and every look-up is audited."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Model, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.cases.models import Case, Note, Person
from kenniscentrum.lib.identifiers import MASKED_KINDS, address, normalise
from kenniscentrum.reports.models import Report, ReportPerson

from .extract import Candidate, candidates
from .models import (
    TARGETS,
    Business,
    Dismissal,
    Identifier,
    MatchStatus,
    Mention,
    PersonMatch,
    Place,
    Sighting,
    SightingSource,
    business_kinds,
    match_key,
    place_kinds,
)

# At most this many matches are listed on a page; the rest are counted.
SHOWN = 50


def _target(targets: dict[str, Any]) -> tuple[str, Model]:
    given = [(name, obj) for name, obj in targets.items() if name in TARGETS and obj is not None]
    if len(given) != 1:
        raise TypeError(f"exactly one of {TARGETS} is needed, got {[name for name, _obj in given]}")
    return given[0]


def _audited_object(name: str, obj: Any) -> Any:
    """The object an audit event names: the report, case or person the sighting belongs to."""
    if name == "report_person":
        return obj.report
    if name == "note":
        return obj.case
    return obj


@transaction.atomic
def identifier_record(
    *,
    kind: str,
    text: str,
    actor: User | None,
    source: str,
    legal_basis: str = "",
    country: str = "",
    postcode: str = "",
    house_number: str = "",
    typed: str = "",
    **targets: Any,
) -> Sighting:
    """Records that an identifier was seen at one target (report=, report_person=, case=, person= or note=).

    Format variants are one identifier (kinds.py); a value that does not validate is kept as text. A BSN is
    recorded by staff only, with its legal basis."""
    name, obj = _target(targets)
    normalised = normalise(kind, text, country=country, postcode=postcode, house_number=house_number)
    if kind in MASKED_KINDS:
        if actor is None or source == SightingSource.REPORTER:
            raise ValidationError(_("A BSN is recorded by staff only."))
        if not legal_basis:
            raise ValidationError(_("Name the legal basis for recording a BSN."))
        if not normalised.valid:
            raise ValidationError(str(normalised.problem))
    identifier, _created = Identifier.objects.get_or_create(
        kind=kind, value=normalised.value, defaults={"valid": normalised.valid}
    )
    if Sighting.objects.filter(identifier=identifier, **{name: obj}).exists():
        raise ValidationError(_("This is recorded here already."))
    typed = (typed or " ".join(part for part in (text, postcode, house_number) if part)).strip()
    sighting = Sighting.objects.create(
        identifier=identifier,
        typed=typed[:300],
        source=source,
        legal_basis=legal_basis,
        recorded_by=actor,
        **{name: obj},
    )
    audit_record(
        action=Action.LINK_CHANGED,
        actor=actor,
        obj=_audited_object(name, obj),
        sighting=sighting.pk,
        identifier=identifier.pk,
        kind=kind,
        where=name,
    )
    return sighting


def on_report_details_given(report: Report, details: list[dict[str, str]], actor: User | None, **kwargs: Any) -> int:
    """What a reporter (or staff at intake) gave about who or what is involved becomes identifiers seen in the report.
    Inside the report's transaction: a row that cannot be kept is left out rather than losing the report; the only
    such row is the same value typed twice."""
    source = SightingSource.STAFF if actor is not None else SightingSource.REPORTER
    kept = 0
    for detail in details:
        try:
            with transaction.atomic():
                identifier_record(kind=detail["kind"], text=detail["text"], actor=actor, source=source, report=report)
            kept += 1
        except ValidationError:
            continue
    return kept


def on_person_details_changed(person: Person, actor: User | None, **kwargs: Any) -> int:
    """A person's phone number, e-mail address and address in the case file are identifiers of that person too, so
    "seen before" finds them. An earlier value stays recorded (an old number still links); staff remove it on the
    person page when it was wrong. An address needs its postcode; without one it stays on the person only."""
    given: list[tuple[str, str, dict[str, str]]] = [("phone", person.phone, {}), ("email", person.email, {})]
    if person.postal_code.strip():
        given.append(("address", "", {"postcode": person.postal_code, "house_number": person.street}))
    kept = 0
    for kind, text, parts in given:
        if not (text.strip() or parts):
            continue
        normalised = normalise(kind, text, **parts)
        if Sighting.objects.filter(person=person, identifier__kind=kind, identifier__value=normalised.value).exists():
            continue
        typed = ", ".join(p for p in (person.street, person.postal_code, person.city) if p) if parts else text
        identifier_record(kind=kind, text=text, actor=actor, source=SightingSource.STAFF, typed=typed, person=person,
                          **parts)  # fmt: skip
        kept += 1
    return kept


@transaction.atomic
def sighting_remove(*, sighting: Sighting, actor: User) -> None:
    """Removes a sighting; an identifier seen nowhere any more goes with it (nothing is kept that links nothing)."""
    identifier = sighting.identifier
    name = sighting.target_name
    owner = _audited_object(name, getattr(sighting, name))
    pk = sighting.pk
    sighting.delete()
    if not identifier.sightings.exists():
        identifier.delete()
    audit_record(action=Action.LINK_CHANGED, actor=actor, obj=owner, sighting_removed=pk, kind=identifier.kind)


# Suggestions from free text ------------------------------------------------------------------------------


@dataclass
class Suggestion:
    """A candidate found in a text, with where it was found: the report itself, or a note of the case."""

    candidate: Candidate
    report: Report | None = None
    note: Note | None = None


# A long case suggests from its latest notes only: extraction reads every text it is given on every page view.
NOTES_READ = 20


def suggestions(obj: Report | Case, user: User) -> list[Suggestion]:
    """What the texts of a report (its description and the reporter's messages) or of a case (the latest notes the
    user may see) hold that is not recorded yet and was not dismissed."""
    recorded = set(sightings_of(obj).values_list("identifier__kind", "identifier__value"))
    found: list[Suggestion] = []
    if isinstance(obj, Report):
        dismissed = set(Dismissal.objects.filter(report=obj).values_list("kind", "value"))
        texts = [obj.description, *obj.messages.filter(direction="from_reporter").values_list("body", flat=True)]
        for text in texts:
            found += [Suggestion(c, report=obj) for c in candidates(text)]
    else:
        notes = list(obj.notes.visible_to(user).order_by("-created_at", "-id")[:NOTES_READ])
        dismissed = set(Dismissal.objects.filter(note__case=obj).values_list("kind", "value"))
        for note in notes:
            found += [Suggestion(c, note=note) for c in candidates(note.body)]
    unique: dict[tuple[str, str], Suggestion] = {}
    for suggestion in found:
        key = (suggestion.candidate.kind, suggestion.candidate.value)
        if key not in recorded and key not in dismissed:
            unique.setdefault(key, suggestion)
    return list(unique.values())


def _found_in(text: str, kind: str, value: str) -> Candidate:
    """The candidate as found in the text again: what a page sends back is checked, not trusted."""
    for candidate in candidates(text):
        if (candidate.kind, candidate.value) == (kind, value):
            return candidate
    raise ValidationError(_("This was not found in the text."))


@transaction.atomic
def suggestion_accept(
    *, actor: User, kind: str, value: str, report: Report | None = None, note: Note | None = None
) -> Sighting:
    """A person accepts a candidate: it becomes an identifier seen in the report, or in the note's case."""
    text_owner = report if report is not None else note
    if text_owner is None:
        raise ValidationError(_("This was not found in the text."))
    texts = (
        [report.description, *report.messages.filter(direction="from_reporter").values_list("body", flat=True)]
        if report is not None
        else [note.body]  # type: ignore[union-attr]
    )
    for text in texts:
        try:
            candidate = _found_in(text, kind, value)
        except ValidationError:
            continue
        where: dict[str, Any] = {"report": report} if report is not None else {"note": note}
        return identifier_record(
            kind=kind, text=candidate.value, typed=candidate.typed, actor=actor, source=SightingSource.TEXT, **where
        )
    raise ValidationError(_("This was not found in the text."))


@transaction.atomic
def suggestion_dismiss(
    *, actor: User, kind: str, value: str, report: Report | None = None, note: Note | None = None
) -> None:
    """Staff say a candidate is not an identifier: it is not suggested again for this text."""
    if report is None and note is None:
        raise ValidationError(_("This was not found in the text."))
    Dismissal.objects.get_or_create(report=report, note=note, kind=kind, value=value, defaults={"dismissed_by": actor})
    audit_record(action=Action.LINK_CHANGED, actor=actor, obj=report or note.case, dismissed=kind)  # type: ignore[union-attr]


def identifiers_orphaned() -> QuerySet[Identifier]:
    """Identifiers seen nowhere any more (their report or case went at retention): removed by the retention run."""
    return Identifier.objects.filter(sightings=None)


def sightings_of(obj: Report | Case | Person | Business | Place) -> QuerySet[Sighting]:
    """Where an object's own identifiers are recorded. The places are read first and given as plain lists, so the
    database combines the indexes of each column; a join or a subquery in the OR made it read every sighting
    (bench/linking.py)."""
    if isinstance(obj, Report):
        persons = list(ReportPerson.objects.filter(report=obj).values_list("pk", flat=True))
        where = Q(report=obj) | Q(report_person_id__in=persons)
    elif isinstance(obj, Case):
        # A case carries its reports' identifiers too: a plate in the report is a plate of the case, and "seen
        # before" must find the other reports that name it.
        notes = list(Note.objects.filter(case=obj).values_list("pk", flat=True))
        persons = list(Person.objects.filter(involvements__case=obj).values_list("pk", flat=True))
        reports = list(Report.objects.filter(case=obj).values_list("pk", flat=True))
        report_persons = list(ReportPerson.objects.filter(report_id__in=reports).values_list("pk", flat=True))
        where = (
            Q(case=obj)
            | Q(note_id__in=notes)
            | Q(person_id__in=persons)
            | Q(report_id__in=reports)
            | Q(report_person_id__in=report_persons)
        )
    elif isinstance(obj, Business):
        where = Q(business=obj)
    elif isinstance(obj, Place):
        where = Q(place=obj)
    else:
        where = Q(person=obj)
    return Sighting.objects.filter(where)


@dataclass
class Match:
    """Another place an identifier was seen, as a page lists it."""

    kind: str
    value: str
    what: str
    link: str
    at: datetime
    typed: str


@dataclass
class SeenBefore:
    shown: list[Match] = field(default_factory=list)
    # Matches the user may not open: counted, not shown.
    hidden: int = 0
    # Matches the user may open but that did not fit on the page.
    more: int = 0


def _visibility(user: User, sightings: list[Sighting]) -> dict[str, set[int]]:
    """What the user may open among the places in `sightings`, one query per kind of place."""
    case_ids = {s.case_id for s in sightings if s.case_id} | {s.note.case_id for s in sightings if s.note is not None}
    person_ids = {s.person_id for s in sightings if s.person_id}
    note_ids = {s.note_id for s in sightings if s.note_id}
    visible_cases = Case.objects.visible_to(user)
    return {
        "cases": set(visible_cases.filter(pk__in=case_ids).values_list("pk", flat=True)) if case_ids else set(),
        "persons": set(
            Person.objects.filter(pk__in=person_ids, involvements__case__in=visible_cases).values_list("pk", flat=True)
        )
        if person_ids
        else set(),
        "notes": set(
            Note.objects.filter(pk__in=note_ids, case__in=visible_cases).visible_to(user).values_list("pk", flat=True)
        )
        if note_ids
        else set(),  # fmt: skip
    }


def _place(sighting: Sighting, user: User, visible: dict[str, set[int]]) -> tuple[str, str] | None:
    """What the sighting's place is called and where it opens, or None when the user may not open it."""
    report = sighting.report or (sighting.report_person.report if sighting.report_person else None)
    if report is not None:
        if not user.handles_reports_and_cases:
            return None
        what = _("Report %(reference)s") % {"reference": report.reference}
        if sighting.report_person is not None:
            what += f" ({sighting.report_person.description})"
        if report.municipality is not None:
            what += f", {report.municipality}"
        return what, reverse("reports:detail", args=[report.pk])
    if sighting.case is not None:
        if sighting.case.pk not in visible["cases"]:
            return None
        return _("Case %(reference)s") % {"reference": sighting.case.reference}, reverse(
            "cases:detail", args=[sighting.case.pk]
        )
    if sighting.person is not None:
        if sighting.person.pk not in visible["persons"]:
            return None
        return _("Person %(person)s") % {"person": sighting.person}, reverse("cases:person", args=[sighting.person.pk])
    if sighting.business is not None or sighting.place is not None:
        if not user.handles_reports_and_cases:
            return None
        if sighting.business is not None:
            what = _("Business %(name)s") % {"name": sighting.business}
            return what, reverse("linking:business", args=[sighting.business.pk])
        return _("Place %(name)s") % {"name": sighting.place}, reverse("linking:place", args=[sighting.place.pk])  # type: ignore[union-attr]
    note = sighting.note
    if note is None or note.pk not in visible["notes"]:
        return None
    what = _("Note in case %(reference)s") % {"reference": note.case.reference}
    return what, reverse("cases:detail", args=[note.case_id]) + "#notes"


def _match(sighting: Sighting, user: User, visible: dict[str, set[int]]) -> Match | None:
    """The match as the user may see it, or None when they may not open it. A BSN is never shown as typed."""
    place = _place(sighting, user, visible)
    if place is None:
        return None
    identifier = sighting.identifier
    typed = "" if identifier.kind in MASKED_KINDS else sighting.typed
    # "When" is when the report came in, for a report's detail: staff may record it days later.
    report = sighting.report or (sighting.report_person.report if sighting.report_person else None)
    at = report.received_at if report is not None else sighting.recorded_at
    return Match(identifier.kind_name, identifier.shown, place[0], place[1], at, typed)


def seen_before(user: User, own: QuerySet[Sighting], *, exclude: Q | None = None, audit_obj: Any = None) -> SeenBefore:
    """Every other place where the object's identifiers were seen, as far as the user may open it; the rest is
    counted. The look-up is audited."""
    rows = list(own.order_by().values_list("pk", "identifier_id"))
    identifier_ids = sorted({identifier for _pk, identifier in rows})
    if not identifier_ids:
        return SeenBefore()
    leave_out = Q(pk__in=[pk for pk, _identifier in rows]) | (exclude or Q(pk__in=[]))
    return _matches(user, identifier_ids, leave_out, audit_obj)


def _matches(user: User, identifier_ids: list[int], leave_out: Q | None, audit_obj: Any) -> SeenBefore:
    others = (
        Sighting.objects.filter(identifier_id__in=identifier_ids)
        .select_related(
            "identifier",
            "report__municipality",
            "report_person__report__municipality",
            "case",
            "person",
            "note__case",
            "business",
            "place",
        )
        .order_by("-recorded_at", "-id")
    )
    if leave_out is not None:
        others = others.exclude(leave_out)
    found = list(others)
    visible = _visibility(user, found)
    result = SeenBefore()
    for sighting in found:
        match = _match(sighting, user, visible)
        if match is None:
            result.hidden += 1
        elif len(result.shown) < SHOWN:
            result.shown.append(match)
        else:
            result.more += 1
    audit_record(
        action=Action.LINK_LOOKUP,
        actor=user,
        obj=audit_obj,
        identifiers=identifier_ids[:50],
        shown=len(result.shown) + result.more,
        hidden=result.hidden,
    )
    return result


def search(user: User, kind: str, text: str, **extra: Any) -> tuple[Identifier | None, SeenBefore]:
    """Every place a typed value was seen, normalised as when it was recorded."""
    normalised = normalise(kind, text, **extra)
    identifier = Identifier.objects.filter(kind=kind, value=normalised.value).first()
    if identifier is None:
        audit_record(action=Action.LINK_LOOKUP, actor=user, searched=kind, found=0)
        return None, SeenBefore()
    return identifier, _matches(user, [identifier.pk], None, None)


# The centre's overview ----------------------------------------------------------------------------------------

# The overview reads at most this many shared identifiers for its clusters, the most seen first.
OVERVIEW_SHARED = 5000


def overview() -> dict[str, Any]:
    """For the centre's report handlers (who may open everything): the identifiers seen in the most reports and
    municipalities, and the largest clusters of places linked by shared identifiers."""
    import networkx as nx

    from .network import sighting_node

    report = Coalesce("report_id", "report_person__report_id")
    municipality = Coalesce("report__municipality_id", "report_person__report__municipality_id")
    shared = (
        Sighting.objects.values("identifier_id")
        .annotate(
            places=Count("id"), reports=Count(report, distinct=True), municipalities=Count(municipality, distinct=True)
        )
        .filter(places__gte=2)
        .order_by("-reports", "-municipalities", "-places", "identifier_id")
    )
    top = list(shared[:20])
    identifiers = Identifier.objects.in_bulk([row["identifier_id"] for row in top])
    most_seen = [{**row, "identifier": identifiers[row["identifier_id"]]} for row in top]
    shared_ids = [row["identifier_id"] for row in shared[:OVERVIEW_SHARED]]
    graph: nx.Graph[Any] = nx.Graph()
    for s in Sighting.objects.filter(identifier_id__in=shared_ids).select_related("report_person", "note"):
        graph.add_edge(("identifier", s.identifier_id), sighting_node(s))
    clusters = []
    for component in sorted(nx.connected_components(graph), key=len, reverse=True)[:10]:
        kinds = [node[0] for node in component]
        start = min(node[1] for node in component if node[0] == "identifier")
        clusters.append(
            {
                "identifiers": kinds.count("identifier"),
                "reports": kinds.count("report"),
                "cases": kinds.count("case"),
                "persons": kinds.count("person"),
                "businesses": kinds.count("business") + kinds.count("place"),
                "start": Identifier.objects.get(pk=start),
            }  # fmt: skip
        )
    return {"most_seen": most_seen, "clusters": clusters}


# Person matching ------------------------------------------------------------------------------------------------

GENDER_LETTERS = {"Feminine": "F", "Masculine": "M", "TransgenderFeminine": "F", "TransgenderMasculine": "M"}


def _house_number(postcode: str, house_number: str) -> str:
    house = address("", postcode=postcode, house_number=house_number) if postcode else None
    return house.value.split(" ", 1)[1] if house is not None and house.valid else ""


def person_record(person: Person) -> dict[str, Any]:
    """A person of the case file as matching reads a record (matching.COLUMNS)."""
    return {
        "id": match_key(person),
        "first_name": person.first_name,
        "last_name": person.last_name or person.aliases,
        "date_of_birth": person.birthdate.isoformat() if person.birthdate else "",
        "gender": GENDER_LETTERS.get(person.gender, ""),
        "nationality": (person.nationalities or [""])[0],
        "phone": person.phone,
        "postcode": person.postal_code,
        "house_number": _house_number(person.postal_code, person.street),
        "place": person.city,
    }


# A description that reads as a name: up to five words of letters (any script), hyphens, apostrophes and dots.
NAME_LIKE = re.compile(r"^(?:[^\W\d_][\w'.-]*\s*){1,5}$")


def report_person_record(mentioned: ReportPerson, identifiers: list[Identifier]) -> dict[str, Any] | None:
    """A person a report mentions as matching reads a record: the description when it reads as a name ("Ivan
    Petrov", not "a tall man with a van"), with the phone number and address recorded for them. None when there is
    nothing to compare by. The estimated age stays out: the model compares dates of birth, and a guessed year that
    is off counts against a true pair."""
    description = mentioned.description.strip()
    words = description.split() if NAME_LIKE.match(description) and not re.search(r"\d", description) else []
    phones = [i.value for i in identifiers if i.kind == "phone" and i.valid]
    places = [i.value.split(" ", 1) for i in identifiers if i.kind == "address" and i.valid and " " in i.value]
    if not words and not phones:
        return None
    return {
        "id": match_key(mentioned),
        # One word ("Leah") is the name the reporter knows the person by, most often a first name: it is not
        # taken for a surname, so a pair of such mentions needs another thing in common (matching.pairs).
        "first_name": words[0] if words else "",
        "last_name": " ".join(words[1:]),
        "date_of_birth": "",
        "gender": "",
        "nationality": "",
        "phone": phones[0] if phones else "",
        "postcode": places[0][0] if places else "",
        "house_number": places[0][1] if places else "",
        "place": "",
    }


def matching_records() -> list[dict[str, Any]]:
    """Every record person matching compares: the persons in the case file, and the persons mentioned in reports
    that are not in a case (a report's persons become persons in the case file when a case opens from it)."""
    rows = [person_record(p) for p in Person.objects.all()]
    mentioned = list(ReportPerson.objects.filter(report__case__isnull=True))
    seen: dict[int, list[Identifier]] = {}
    for sighting in Sighting.objects.filter(report_person__in=mentioned).select_related("identifier"):
        seen.setdefault(sighting.report_person_id or 0, []).append(sighting.identifier)
    for person in mentioned:
        record = report_person_record(person, seen.get(person.pk, []))
        if record is not None:
            rows.append(record)
    return rows


def _side(key: str) -> dict[str, int]:
    field = "report_person" if key[0] == "r" else "person"
    return {field: int(key[1:])}


def persons_match(*, person: Person | ReportPerson | None = None) -> int:
    """Suggests pairs of persons who may be one human (nightly, or for one person on demand). A pair already
    suggested, confirmed or rejected is never suggested again."""
    from .matching import pairs

    only = match_key(person) if person is not None else None
    records = matching_records()
    if only is None:
        _undecided_first_name_pairs_withdraw(records)
    made = 0
    for a, b, probability in pairs(records):
        if only is not None and only not in (a, b):
            continue
        sides = {f"{k}_a": v for k, v in _side(a).items()} | {f"{k}_b": v for k, v in _side(b).items()}
        _match, created = PersonMatch.objects.get_or_create(
            pair=f"{a}~{b}", defaults={"probability": probability, **{f"{k}_id": v for k, v in sides.items()}}
        )
        made += created
    return made


def _undecided_first_name_pairs_withdraw(records: list[dict[str, Any]]) -> None:
    """Takes the suggestions nobody has decided on that share no more than a first name off the review list: made
    before that rule (matching.more_than_a_first_name), they would hide the pairs worth a look. A pair with a
    decision, or with a step undone, keeps its history."""
    from .matching import more_than_a_first_name

    by_key = {r["id"]: r for r in records}
    undecided = PersonMatch.objects.filter(status=MatchStatus.SUGGESTED, transitions__isnull=True)
    stale = []
    for pk, pair in undecided.values_list("pk", "pair"):
        a, b = (by_key.get(key) for key in pair.split("~"))
        if a is not None and b is not None and not more_than_a_first_name(a, b):
            stale.append(pk)
    PersonMatch.objects.filter(pk__in=stale).delete()


@dataclass
class MatchSide:
    """One side of a suggested pair as the review list shows it, whichever kind of person it is."""

    label: str
    link: str
    where: str
    # The date of birth, or the age as estimated or as the reporter gave it.
    born: str = ""
    gender: str = ""
    nationalities: list[str] = field(default_factory=list)
    phone: str = ""
    address: str = ""


def match_side(side: Person | ReportPerson) -> MatchSide:
    if isinstance(side, ReportPerson):
        seen = [s.identifier for s in side.sightings.all()]
        return MatchSide(
            label=side.description,
            link=reverse("reports:detail", args=[side.report_id]),
            where=_("mentioned in report %(reference)s") % {"reference": side.report.reference},
            born=_("age given: %(age)s") % {"age": side.age} if side.age else "",
            phone=", ".join(i.value for i in seen if i.kind == "phone"),
            address=", ".join(i.value for i in seen if i.kind == "address"),
        )
    return MatchSide(
        label=str(side),
        link=reverse("cases:person", args=[side.pk]),
        where=_("in the case file"),
        born=date_format(side.birthdate, "DATE_FORMAT")
        if side.birthdate
        else (_("about %(age)s years old") % {"age": side.estimated_age} if side.estimated_age else ""),
        gender=side.get_gender_display(),
        nationalities=list(side.nationalities or []),
        phone=side.phone,
        address=" ".join(p for p in (side.street, side.postal_code, side.city) if p),
    )


def _match_subject(match: PersonMatch) -> Any:
    """What a decision is audited on: the person in the case file, or the report that mentions the person."""
    side = match.side_a
    return side.report if isinstance(side, ReportPerson) else side


@transaction.atomic
def person_match_step(*, match: PersonMatch, name: str, actor: User, text: str = "") -> PersonMatch:
    from kenniscentrum.lib.workflow import transition_apply

    from .workflow import MATCH_FLOW

    step = transition_apply(MATCH_FLOW, match, name, actor=actor, text=text)
    audit_record(action=Action.LINK_CHANGED, actor=actor, obj=_match_subject(match), match=match.pk,
                 to=step.to_status, pair=match.pair)  # fmt: skip
    return match


def _confirmed_with(*sides: Person | ReportPerson) -> set[str]:
    """The keys of everyone confirmed as the same human as one of `sides` (directly confirmed pairs)."""
    keys = {match_key(s) for s in sides}
    if not keys:
        return set()
    query = Q()
    for key in keys:
        query |= Q(pair__startswith=f"{key}~") | Q(pair__endswith=f"~{key}")
    others: set[str] = set()
    for pair in PersonMatch.objects.filter(query, status=MatchStatus.CONFIRMED).values_list("pair", flat=True):
        others.update(pair.split("~"))
    return others - keys


@dataclass
class SameHuman:
    label: str
    where: str
    link: str


def same_human(user: User, *sides: Person | ReportPerson) -> list[SameHuman]:
    """The persons confirmed as the same human as one of `sides`, as far as the user may open them: persons in
    cases they may see, persons in reports only for the centre's desk."""
    others = _confirmed_with(*sides)
    persons = [int(k[1:]) for k in others if k[0] == "p"]
    mentioned = [int(k[1:]) for k in others if k[0] == "r"]
    found = [
        SameHuman(str(p), "", reverse("cases:person", args=[p.pk]))
        for p in Person.objects.filter(pk__in=persons, involvements__case__in=Case.objects.visible_to(user)).distinct()
    ]
    if user.handles_reports_and_cases:
        found += [
            SameHuman(r.description, r.report.reference, reverse("reports:detail", args=[r.report_id]))
            for r in ReportPerson.objects.filter(pk__in=mentioned).select_related("report")
        ]
    return found


# Businesses and places --------------------------------------------------------------------------------------------


def kvk_clean(text: str) -> str:
    """A KvK number as eight digits ("1234 5678" and "12.34.56.78" are one), or empty; anything else is refused."""
    digits = re.sub(r"[\s.]", "", text or "")
    if digits and not re.fullmatch(r"\d{8}", digits):
        raise ValidationError(_("A KvK number has eight digits."))
    return digits


@transaction.atomic
def business_record(*, actor: User, name: str, kvk: str, kind: str) -> Business:
    """A new business, or the one already known by its KvK number as far as the actor may see it: a number the
    register knows but the actor may not see gives them a business of their own, as they typed it, that the register
    knows as the same one (probe finding 12)."""
    kvk = kvk_clean(kvk)
    if kind not in dict(business_kinds()):
        raise ValidationError(_("Choose a kind from the list."))
    if not name.strip():
        raise ValidationError(_("Give the business's name."))
    registered = Business.objects.filter(kvk=kvk, same_as=None).first() if kvk else None
    if registered is not None:
        # The register's own record first, then one typed in before that the actor sees: one business is one
        # business as far as they may see. Never a word of the register's record to one who may not see it.
        seen = Business.objects.visible_to(actor).filter(kvk=kvk)
        seen = seen.order_by(F("same_as").asc(nulls_first=True), "id").first()
        if seen is not None:
            return seen
    business = Business.objects.create(
        name=name.strip()[:200], kvk=kvk, kind=kind, same_as=registered, created_by=actor
    )
    audit_record(action=Action.LINK_CHANGED, actor=actor, business=business.pk, created=True,
                 same_as=registered.pk if registered else None)  # fmt: skip
    return business


@transaction.atomic
def place_record(
    *, actor: User, kind: str, label: str, business: Business | None, postcode: str, house_number: str
) -> Place:
    """A new place; its address (when given) is an identifier seen at the place, so other reports at the same
    address find it."""
    if kind not in dict(place_kinds()):
        raise ValidationError(_("Choose a kind from the list."))
    if not label.strip() and not postcode.strip():
        raise ValidationError(_("Describe the place or give its postcode and house number."))
    place = Place.objects.create(
        kind=kind, label=(label.strip() or f"{postcode} {house_number}".strip())[:200], business=business,
        created_by=actor,
    )  # fmt: skip
    if postcode.strip():
        identifier_record(kind="address", text="", postcode=postcode, house_number=house_number, typed=label,
                          actor=actor, source=SightingSource.STAFF, place=place)  # fmt: skip
    audit_record(action=Action.LINK_CHANGED, actor=actor, place=place.pk, created=True)
    return place


@transaction.atomic
def mention_add(
    *, actor: User, business: Business | None = None, place: Place | None = None, note: str = "", **target: Any
) -> Mention:
    """Links a business or a place to a report, a case or a person (target: report=, case= or person=)."""
    name, obj = next(((n, o) for n, o in target.items() if o is not None), ("", None))
    if (business is None) == (place is None) or obj is None:
        raise ValidationError(_("Choose a business or a place."))
    if Mention.objects.filter(business=business, place=place, **{name: obj}).exists():
        raise ValidationError(_("This is linked here already."))
    mention = Mention.objects.create(
        business=business, place=place, note=note.strip()[:200], recorded_by=actor, **{name: obj}
    )
    audit_record(action=Action.LINK_CHANGED, actor=actor, obj=obj, mention=mention.pk)
    return mention


def mentions_of(obj: Any) -> QuerySet[Mention]:
    name = "report" if isinstance(obj, Report) else "case" if isinstance(obj, Case) else "person"
    return Mention.objects.filter(**{name: obj}).select_related("business", "place")


def businesses_and_places_search(user: User, text: str) -> tuple[list[Business], list[Place]]:
    """Businesses by name or KvK number, places by description or address, for linking an existing one: of those
    the user sees (NodeQuerySet.visible_to)."""
    text = text.strip()[:100]
    if len(text) < 2:
        return [], []
    digits = re.sub(r"[\s.]", "", text)
    businesses = Business.objects.visible_to(user).filter(Q(name__icontains=text) | Q(kvk=digits))[:20]
    places = (
        Place.objects.visible_to(user)
        .filter(Q(label__icontains=text) | Q(sightings__identifier__value__startswith=digits.upper()))
        .distinct()[:20]
    )
    return list(businesses), list(places)
