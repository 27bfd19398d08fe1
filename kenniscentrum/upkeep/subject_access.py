"""A person's data on request (AVG art. 15): for one person in the case files, or for the reporter of one report,
everything the platform holds about them, where it came from and to whom it went, as one printable page.

Parts the law may allow the centre to withhold are marked for the privacy officer's review, with the ground: what
the case's notes and documents say also concerns others (AVG art. 15(4)), and what went to the police or the public
prosecutor can concern an investigation (UAVG art. 41(1)(d)). The centre decides; this page only marks. Every
export is audited.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import PERSON_FIELDS, AccessGrant, Document, Involvement, Note, Person
from kenniscentrum.lib.identifiers import masked
from kenniscentrum.lib.templatetags.platform_tags import country_name, language_name
from kenniscentrum.organisations.models import Covenant
from kenniscentrum.referrals.models import Referral
from kenniscentrum.reports.models import Report

OTHERS = "AVG art. 15(4)"
INVESTIGATION = "UAVG art. 41(1)(d)"
JUSTICE_TYPES = {"police", "prosecution"}


@dataclass
class Part:
    title: str
    source: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)
    # Where it went: (organisation, when, on what ground).
    went_to: list[tuple[str, str, str]] = field(default_factory=list)
    # The ground on which the law may allow withholding it, for the privacy officer's review; empty: give it.
    review: str = ""
    # What was left out of this part, and why.
    note: str = ""


def covenant_named(covenant: Covenant | None) -> str:
    """Where data went names the covenant it went under (issue 16)."""
    return f" ({_('covenant %(covenant)s') % {'covenant': covenant}})" if covenant else ""


def field_label(model: Any, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name)).capitalize()


def day(value: datetime.date | datetime.datetime | None) -> str:
    """A date as the reader writes it (5-3-2026 in Dutch), not as the database stores it; a moment in local time."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "SHORT_DATE_FORMAT")


def person_value(person: Person, name: str) -> str:
    """A person's detail in words: a gender's label, countries and languages by their names, a date as written."""
    value = getattr(person, name)
    if name == "gender":
        return str(person.get_gender_display())
    if name in ("nationalities", "country"):
        return ", ".join(country_name(code) for code in (value if isinstance(value, list) else [value]))
    if name == "languages":
        return ", ".join(language_name(code) for code in value)
    if isinstance(value, datetime.date):
        return day(value)
    return str(value)


def person_parts(person: Person) -> list[Part]:
    """Everything about one person in the case files."""
    details = [
        (field_label(Person, name), person_value(person, name))
        for name in PERSON_FIELDS
        if getattr(person, name) not in (None, "", [])
    ]
    by = person.created_by.display_name if person.created_by else _("the centre")
    source = _("Recorded by %(by)s on %(at)s") % {"by": by, "at": day(person.created_at)}
    parts = [Part(_("Personal details"), source, details)]
    involvements = (
        Involvement.objects.filter(person=person)
        .select_related("case")
        .prefetch_related("status_changes", "placements__organisation")
    )
    for involvement in involvements:
        case = involvement.case
        rows = [(_("Role"), involvement.get_role_display())]
        rows += [
            (_("Victim status"), f"{c.get_status_display()} ({c.get_decided_by_display()}, {day(c.created_at)})")
            for c in involvement.status_changes.all()
        ]
        went = [(p.organisation.name if p.organisation else p.get_kind_display(), day(p.placed_on), _("shelter"))
                for p in involvement.placements.all()]  # fmt: skip
        comensha = getattr(involvement, "comensha", None)
        if comensha is not None:
            went.append(("CoMensha", day(comensha.registered_on), comensha.get_legal_basis_display()))
        parts.append(Part(_("In case %(reference)s") % {"reference": case.reference},
                          _("Case opened on %(at)s") % {"at": day(case.created_at)}, rows, went))  # fmt: skip
    cases = [i.case_id for i in involvements]
    grants = AccessGrant.objects.filter(case_id__in=cases).select_related("organisation", "case", "covenant")
    parts.append(Part(_("Organisations that were given access to these cases"), rows=[], went_to=[
        (g.organisation.name, f"{day(g.valid_from)} – {day(g.valid_until)}",
         f"{g.get_legal_basis_display()}{covenant_named(g.covenant)}: {g.purpose}")
        for g in grants
    ]))  # fmt: skip
    referrals = Referral.objects.filter(person=person).select_related("organisation", "covenant")
    parts.append(Part(
        _("Referrals"), rows=[], went_to=[
            (r.organisation.name, day(r.created_at),
             f"{r.get_legal_basis_display()}{covenant_named(r.covenant)}, {r.get_status_display()}")
            for r in referrals
        ],
        review=INVESTIGATION if any(r.organisation.type in JUSTICE_TYPES for r in referrals) else "",
    ))  # fmt: skip
    from kenniscentrum.linking.models import Sighting

    sightings = Sighting.objects.filter(person=person).select_related("identifier")
    parts.append(Part(_("Phone numbers, addresses and other identifiers"), rows=[
        (s.identifier.kind_name, f"{masked(s.identifier.kind, s.identifier.value)} ({s.get_source_display()}, "
                                 f"{day(s.recorded_at)})")
        for s in sightings
    ]))  # fmt: skip
    notes = Note.objects.filter(case_id__in=cases).select_related("case")
    parts.append(Part(_("Notes in these cases"), rows=[
        (f"{n.case.reference}, {day(n.created_at)}", n.body) for n in notes
    ], review=OTHERS))  # fmt: skip
    documents = Document.objects.filter(case_id__in=cases).select_related("case")
    parts.append(Part(_("Documents in these cases"), rows=[
        (f"{d.case.reference}, {day(d.created_at)}", d.original_name) for d in documents
    ], review=OTHERS))  # fmt: skip
    parts.append(_reads("cases.person", str(person.pk)))
    return parts


def reporter_parts(report: Report, *, identity_shown: bool) -> list[Part]:
    """Everything about the reporter of one report: who they said they are, what they wrote, what they were told.
    Who they are only when `identity_shown` (reports.access.answers_for_reporter); otherwise the part says why not."""
    identity = [(field_label(Report, name), str(value))
                for name in ("reporter_name", "reporter_phone", "reporter_email", "contact_safety_note")
                if identity_shown and (value := getattr(report, name))]  # fmt: skip
    identity += [
        (_("Contact"), report.get_contact_preference_display()),
        (_("May share the reporter's details with partners"), report.get_consent_share_identity_display()),
    ]
    parts = [
        Part(
            _("The reporter"),
            _("Given with report %(reference)s on %(at)s, through %(channel)s")
            % {
                "reference": report.reference,
                "at": day(report.received_at),
                "channel": report.get_channel_display(),
            },
            identity,
            note=""
            if identity_shown
            else _(
                "Who made the report is left out: a reporter's name and contact details are given only by the "
                "privacy officer, or by the director of the case the report is part of."
            ),
        ),  # fmt: skip
        Part(
            _("What was reported"),
            rows=[(_("What happened"), report.description), (_("Place"), report.place), (_("When"), report.when_text)],
            review=OTHERS,
        ),  # fmt: skip
        Part(
            _("Messages"),
            rows=[(f"{day(m.created_at)} {m.get_direction_display()}", m.body) for m in report.messages.all()],
        ),  # fmt: skip
        Part(
            _("Attachments"),
            rows=[(day(a.created_at), a.original_name) for a in report.attachments.all()],
            review=OTHERS,
        ),  # fmt: skip
    ]
    went = [(report.forwarded_to.name, day(report.closed_at) if report.closed_at else "", _("forwarded"))] if (
        report.forwarded_to) else []  # fmt: skip
    if report.case is not None:
        went.append((_("Case %(reference)s at the centre") % {"reference": report.case.reference}, "",
                     _("the reporter's details stay with the centre's intake and the case director")))  # fmt: skip
    to_justice = report.forwarded_to is not None and report.forwarded_to.type in JUSTICE_TYPES
    parts.append(Part(_("Where the report went"), went_to=went, review=INVESTIGATION if to_justice else ""))
    parts.append(_reads("reports.report", str(report.pk)))
    return parts


def _reads(object_type: str, object_id: str) -> Part:
    """Who in the platform read the record: organisation and day, from the audit log."""
    events = (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        .select_related("actor__organisation")
        .order_by("created_at")[:500]
    )
    rows: dict[tuple[str, str], int] = {}
    for event in events:
        organisation = event.actor.organisation.name if event.actor and event.actor.organisation else _("the centre")
        key = (day(event.created_at), f"{organisation}: {event.get_action_display()}")
        rows[key] = rows.get(key, 0) + 1
    return Part(_("Who read or changed it"), _("From the audit log"),
                [(day, f"{what} ({n}×)") for (day, what), n in rows.items()])  # fmt: skip


def audit(actor: Any, obj: Any, *, pdf: bool = False, **details: Any) -> None:
    from kenniscentrum.audit.services import audit_record

    audit_record(action=Action.ACCESS_REQUEST, actor=actor, obj=obj, pdf=pdf, **details)


# At most this many persons are listed for a search; past it, the privacy officer is asked for more of the name.
SEARCH_LIMIT = 20


def persons_named(words: list[str], birthdate: datetime.date | None) -> tuple[list[Person], bool]:
    """The persons in the case file whose names or aliases hold every word typed, with their cases; with a date of
    birth, those born that day or with none recorded. At most SEARCH_LIMIT, and whether there were more."""
    found = Person.objects.all()
    for word in words:
        found = found.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(aliases__icontains=word))
    if birthdate is not None:
        found = found.filter(Q(birthdate=birthdate) | Q(birthdate__isnull=True))
    involvements = Involvement.objects.select_related("case").order_by("case__reference", "role")
    persons = list(found.prefetch_related(Prefetch("involvements", queryset=involvements))[: SEARCH_LIMIT + 1])
    return persons[:SEARCH_LIMIT], len(persons) > SEARCH_LIMIT


def audit_search(actor: Any, persons: list[Person], *, birthdate_given: bool, more: bool) -> None:
    """A search is a read of the persons it listed, audited by their ids; never the terms typed, which are a name
    (as the audit log's own search, audit.admin.log_reading_details)."""
    audit(actor, None, search=True, date_of_birth_given=birthdate_given, persons_listed=[p.pk for p in persons],
          more=more)  # fmt: skip
