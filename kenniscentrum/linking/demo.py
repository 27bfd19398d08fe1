"""Links for the demo, so "seen before", the network and the review list show something on first start: a phone number
in reports from three municipalities, one address where victims of two cases live, a plate seen in two reports and
named in a case note, a report whose text holds a number not recorded yet, a possible perpetrator written two ways in
two cases, one of them in Cyrillic, and named once more in a report not in a case yet, and a possible victim in two
cases."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from kenniscentrum.accounts.models import User
from kenniscentrum.cases.models import Case
from kenniscentrum.cases.services import note_add, person_add
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.reports.demo import fiction_phone
from kenniscentrum.reports.models import PersonRole, Report, ReportPerson

from .models import SightingSource
from .services import business_record, identifier_record, mention_add, persons_match, place_record

# Made up for the demo: phone numbers kept for fiction (reports/demo.py says where from), so linking recognises
# them however they are typed and no real person's number is tied to a demo case; an address, a plate in a current
# side code.
PHONE = fiction_phone(0, 460)
ADDRESS_POSTCODE, ADDRESS_NUMBER = "7599 XZ", "3"
PLATE = "VZ-123-B"
SUSPECT_PHONE = fiction_phone(1, 123)
VICTIM_PHONE = fiction_phone(2, 234)
FICTION_PHONES = [PHONE, SUSPECT_PHONE, VICTIM_PHONE]


@transaction.atomic
def demo_links_create() -> int:
    """Records the demo's identifiers; returns how many sightings it made."""
    staff = User.objects.get(username="regie")
    made = 0
    # Reports of the last two years: the year before is past retention (load_demo applies it).
    recent = timezone.now() - timedelta(days=700)
    reports = list(Report.objects.exclude(municipality=None).filter(received_at__gte=recent).order_by("received_at"))
    by_place: dict[int, Report] = {}
    for report in reports:
        by_place.setdefault(report.municipality_id or 0, report)
    for report in list(by_place.values())[:3]:
        identifier_record(kind="phone", text=PHONE, actor=None, source=SightingSource.REPORTER, report=report)
        made += 1
    for report in reports[3:5]:
        identifier_record(kind="plate", text=PLATE.lower(), actor=None, source=SightingSource.REPORTER, report=report)
        made += 1
    cases = list(Case.objects.filter(status="in_progress").order_by("created_at")[:2])
    for case in cases:
        victim = case.involvements.filter(role=InvolvementRole.VICTIM).select_related("person").first()
        if victim is not None:
            identifier_record(kind="address", text="", postcode=ADDRESS_POSTCODE, house_number=ADDRESS_NUMBER,
                              typed=f"Industrieweg {ADDRESS_NUMBER}, {ADDRESS_POSTCODE}", actor=staff,
                              source=SightingSource.STAFF, person=victim.person)  # fmt: skip
            made += 1
    if cases:
        # The agency behind the housing of both victims: one business, its house, linked to both cases.
        agency = business_record(actor=staff, name="Flexwerk Oost (demo)", kvk="", kind="employment_agency")
        house = place_record(actor=staff, kind="housing", label="Woning van het uitzendbureau", business=agency,
                             postcode=ADDRESS_POSTCODE, house_number=ADDRESS_NUMBER)  # fmt: skip
        for case in cases:
            mention_add(actor=staff, business=agency, note="werkgever", case=case)
            mention_add(actor=staff, place=house, note="huisvesting", case=case)
        note_add(case=cases[0], actor=staff, visibility="internal",
                 body=f"Politie zag het busje met kenteken {PLATE} weer bij de woning.")  # fmt: skip
    # A report whose text holds the number, written as people write it, not recorded yet: the report page suggests it.
    unrecorded = [report for report in reports if report not in list(by_place.values())[:3]]
    if len(unrecorded) > 3:
        unrecorded[3].description += f" Hij belde vanaf {PHONE}."
        unrecorded[3].save(update_fields=["description"])
    later = list(Case.objects.filter(status__in=["screening", "plan"]).order_by("created_at")[:2])
    if cases and len(later) == 2:
        # One human, written down by two people: the review list has pairs to decide on.
        for case, first, last in ((cases[0], "Vasyl", "Petrenko"), (later[0], "Василь", "Петренко")):
            person_add(case=case, actor=staff, person=None, role=InvolvementRole.SUSPECT,
                       person_data={"first_name": first, "last_name": last, "birthdate": date(1984, 6, 2),
                                    "nationalities": ["UA"], "gender": "Masculine",
                                    "phone": SUSPECT_PHONE})  # fmt: skip
        waiting = Report.objects.filter(case=None).order_by("-received_at")
        if waiting.exists():
            # Named once more by a reporter, with the number he called from: a report not in a case yet.
            mentioned = ReportPerson.objects.create(report=waiting[0], role=PersonRole.SUSPECT,
                                                    description="Vasil Petrenko", age="about 40")  # fmt: skip
            identifier_record(kind="phone", text=SUSPECT_PHONE, actor=None, source=SightingSource.REPORTER,
                              report_person=mentioned)  # fmt: skip
        for case, first, last in ((cases[-1], "Daniela", "Ionescu"), (later[1], "Daniella", "Ionescu")):
            person_add(case=case, actor=staff, person=None, role=InvolvementRole.VICTIM, age_at_start=23,
                       person_data={"first_name": first, "last_name": last, "birthdate": date(2001, 3, 14),
                                    "nationalities": ["RO"], "gender": "Feminine", "phone": VICTIM_PHONE})  # fmt: skip
        persons_match()
    return made
