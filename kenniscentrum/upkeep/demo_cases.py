"""Synthetic cases for the demo: made-up people (Faker nl_NL), in every state, with their whole file."""

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from kenniscentrum.accounts.models import User
from kenniscentrum.cases.models import (
    Case,
    CaseTransition,
    ComenshaRegistrationKind,
    Cooperation,
    DecidingBody,
    MethodOfControl,
    PracticalSupport,
    ReflectionAnswer,
    ReflectionRoute,
    Relation,
    RoleInProcess,
    SafetyFlagKind,
    ShelterKind,
    Visibility,
)
from kenniscentrum.cases.services import (
    add_months,
    case_change_status,
    case_link_report,
    case_open_from_report,
    case_update,
    comensha_register,
    goal_add,
    grant_add,
    handover_offer,
    handover_receive,
    handover_step,
    note_add,
    person_add,
    reflection_record,
    risk_add,
    safety_flag_add,
    shelter_place,
    task_add,
    victim_status_set,
)
from kenniscentrum.lib.vocabulary import (
    Border,
    ContactPreference,
    ExploitationForm,
    FeedbackMethod,
    Gender,
    InvolvementRole,
    LabourSector,
    LegalBasis,
    ReporterRole,
    VictimStatus,
)
from kenniscentrum.meetings.models import MeetingType
from kenniscentrum.meetings.services import decision_add, item_add, meeting_create, minutes_set
from kenniscentrum.organisations.demo import demo_covenant_create
from kenniscentrum.organisations.models import Municipality, Organisation, OrganisationType
from kenniscentrum.referrals.models import Consent
from kenniscentrum.referrals.services import CENTRE, RECIPIENT, referral_create, referral_step
from kenniscentrum.reports.demo import STORIES, demo_moments, fiction_phone
from kenniscentrum.reports.receipts import new_submission_token
from kenniscentrum.reports.services import report_change_status, report_record_feedback, report_submit

# How far each case gets along the workflow; every state is covered, and a few cases were reopened.
PATHS = ["screening", "risk_assessment", "plan", "in_progress", "in_progress", "closed", "evaluated", "reopened"]
NATIONALITIES = [["PL"], ["RO"], ["BG"], ["UA"], ["NL"], ["NL", "MA"], ["HU"], ["LT"], ["NG"], ["VN"]]
LANGUAGES = {"PL": "pl", "RO": "ro", "BG": "bg", "UA": "uk", "NL": "nl", "MA": "ar", "HU": "hu", "LT": "lt"}
LANGUAGES |= {"NG": "en", "VN": "vi"}
SUMMARIES = [
    "Meerdere meldingen over hetzelfde adres; informatieronde bij politie en zorg.",
    "Melder is professional en kent het mogelijke slachtoffer goed.",
    "Signalen van schuld en afhankelijkheid van de werkgever voor huis en inkomen.",
    "Jongere lijkt onder druk gezet door een oudere vriend; school is betrokken.",
]
MINUTES = [
    "Stand van zaken besproken. Politie heeft informatie gedeeld over het adres; zorg heeft contact gelegd.",
    "Risico opnieuw ingeschat: blijft hoog. Afgesproken om samen op huisbezoek te gaan.",
    "Slachtoffer is in de opvang; begeleiding loopt. Volgende keer evalueren.",
]
TITLES = {
    ExploitationForm.LABOUR: ["Werkers in een loods", "Schoonmaakploeg zonder loon", "Kasarbeiders met schuld"],
    ExploitationForm.SEXUAL: ["Meisje met oudere vriend", "Woning met wisselende bezoekers", "Escort via advertenties"],
    ExploitationForm.CRIMINAL: ["Jongen als drugskoerier", "Bankrekeningen op naam", "Pakketjes na school"],
}

# Where labour exploitation is found most in the Netherlands: agriculture and horticulture, food processing,
# hospitality, logistics, construction, cleaning (N), domestic work (T).
SECTORS = [LabourSector.A, LabourSector.A, LabourSector.C, LabourSector.I, LabourSector.H, LabourSector.F,
           LabourSector.N, LabourSector.T]  # fmt: skip


@transaction.atomic
def demo_cases_create(count: int = 60, seed: int = 2027) -> int:
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    director = User.objects.get(username="regie")
    intake = User.objects.get(username="intake")
    coordinator = User.objects.get(username="coordinator")
    partner = User.objects.get(username="partner")
    police = partner.organisation
    care = Organisation.objects.filter(type=OrganisationType.CARE).order_by("name").first()
    assert police is not None and care is not None, "load the region first"
    inspectorate = Organisation.objects.filter(type=OrganisationType.LABOUR_INSPECTORATE).first()
    demo_covenant_create()
    municipalities = list(Municipality.objects.all())
    today = timezone.localdate()
    cases = []
    # A generator of its own for the sector and the border, so the rest of the demo stays as it was.
    facts = random.Random(seed + 1)
    for i in range(count):
        form = rng.choice(list(TITLES))
        municipality = rng.choice(municipalities)
        opened = timezone.now() - timedelta(days=rng.randint(5, 700))
        report = report_submit(
            data={
                "reporter_role": rng.choice([ReporterRole.CONCERNED, ReporterRole.PROFESSIONAL, ReporterRole.VICTIM]),
                "contact_preference": ContactPreference.PHONE,
                "reporter_name": fake.name(),
                "reporter_phone": fiction_phone(i, rng.randint(0, 999)),
                "description": rng.choice(STORIES[form]).format(
                    name=fake.first_name(), sector="distributiecentrum", place=municipality.name
                ),
                "municipality": municipality,
                "place": fake.street_name(),
                "acute_danger": "yes" if rng.random() < 0.1 else "no",
            },
            forms=[form],
            persons=[],
            files=[],
            token=new_submission_token(),
            language="nl",
            received_at=opened - timedelta(days=2),
        ).report
        report_change_status(report=report, name="start_triage", actor=intake)
        case = case_open_from_report(report=report, title=rng.choice(TITLES[form]), actor=intake)
        case_update(case=case, actor=director, director=director, summary=rng.choice(SUMMARIES))
        # The first case carried out has a possible victim from outside the EU: the B8/3 route in the demo.
        _people(case, director, fake, rng, form, ["NG"] if i == 3 else None)
        _sector_and_border(case, director, facts, form)
        path = PATHS[i % len(PATHS)]
        _walk(case, path, director, coordinator, police, care, inspectorate, rng, today)
        if i % 7 == 3:
            # A second report about the same situation, linked to this case.
            second = report_submit(
                data={
                    "reporter_role": ReporterRole.PROFESSIONAL,
                    "contact_preference": ContactPreference.ANONYMOUS,
                    "description": "Ook wij zien signalen bij dit adres.",
                    "municipality": municipality,
                    "acute_danger": "no",
                },
                forms=[form],
                persons=[],
                files=[],
                token=new_submission_token(),
                language="nl",
            ).report
            if case.is_open:
                case_link_report(report=second, case=case, actor=intake)
        _backdate(case, opened)
        cases.append(case)
    if cases:
        _meetings(cases, director, police, care, rng)
        _trajectories([c for c in cases if c.status == "in_progress"], director, police, care, today)
    return len(cases)


def _people(
    case: Case, actor: User, fake: Faker, rng: random.Random, form: str, nationalities: list[str] | None
) -> None:
    nationalities = nationalities or rng.choice(NATIONALITIES)
    young = form != ExploitationForm.LABOUR and rng.random() < 0.5
    person_add(
        case=case,
        actor=actor,
        person=None,
        person_data={
            "first_name": fake.first_name(),
            "last_name": fake.last_name(),
            "estimated_age": rng.randint(15, 19) if young else rng.randint(20, 50),
            "gender": rng.choice([Gender.FEMININE, Gender.MASCULINE]),
            "nationalities": nationalities,
            "languages": [LANGUAGES[n] for n in nationalities],
            "city": case.municipality.name if case.municipality else "",
            "country": "NL",
        },
        role=InvolvementRole.VICTIM,
        age_at_start=rng.randint(14, 17) if young else rng.randint(19, 45),
    )
    person_add(
        case=case,
        actor=actor,
        person=None,
        person_data={
            "aliases": rng.choice(["'De baas'", "Mo", "Tante", "Rik van het busje"]),
            "gender": Gender.MASCULINE,
        },
        role=InvolvementRole.SUSPECT,
        roles_in_process=rng.sample([RoleInProcess.EXPLOITER, RoleInProcess.RECRUITER, RoleInProcess.TRANSPORTER], 2),
    )
    if rng.random() < 0.5:
        person_add(
            case=case,
            actor=actor,
            person=None,
            person_data={"first_name": fake.first_name(), "last_name": fake.last_name()},
            role=InvolvementRole.OTHER,
            relation=rng.choice([Relation.PARENT, Relation.EMPLOYER, Relation.LANDLORD, Relation.AGENCY]),
        )


def _sector_and_border(case: Case, actor: User, rng: random.Random, form: str) -> None:
    """Most cases know their sector and whether a border was crossed, not all: a foreign national was mostly
    recruited abroad, a Dutch one mostly in the Netherlands."""
    victim = case.involvements.filter(role=InvolvementRole.VICTIM).select_related("person").first()
    dutch = victim is None or (victim.person.nationalities or ["NL"])[0] == "NL"
    sector = rng.choice(SECTORS) if form == ExploitationForm.LABOUR and rng.random() < 0.8 else ""
    border = ""
    if rng.random() < 0.8:
        domestic = rng.random() < (0.85 if dutch else 0.15)
        border = Border.DOMESTIC if domestic else Border.CROSS_BORDER
    case_update(case=case, actor=actor, labour_sector=sector, border=border)


def _walk(
    case: Case,
    path: str,
    director: User,
    coordinator: User,
    police: Organisation,
    care: Organisation,
    inspectorate: Organisation | None,
    rng: random.Random,
    today: date,
) -> None:
    note_add(
        case=case, actor=director, body="Informatieronde gestart bij politie en zorg.", visibility=Visibility.INTERNAL
    )
    if path == "screening":
        return
    case_change_status(case=case, name="to_risk_assessment", actor=director)
    level = rng.choice(["low", "medium", "high", "high", "acute"])
    risk_add(case=case, actor=director, level=level, factors="Afhankelijk van werkgever voor huis en inkomen.",
             assessed_on=today - timedelta(days=rng.randint(1, 60)))  # fmt: skip
    case_update(
        case=case,
        actor=director,
        act_note="Geworven via een kennis en gehuisvest door de werkgever.",
        means_note="Schuld voor reis en huisvesting; paspoort ingenomen.",
        purpose_note="Werkt lange dagen voor weinig of geen loon.",
        methods_of_control=rng.sample([m.value for m in MethodOfControl][:15], 3),
    )
    if path == "risk_assessment":
        return
    case_change_status(case=case, name="to_plan", actor=director)
    goal = goal_add(case=case, actor=director, text="Veilige woonplek en inkomen")
    if rng.random() < 0.5:
        case_update(case=case, actor=director, coordinator_user=coordinator)
    else:
        case_update(case=case, actor=director, coordinator_organisation=care)
    task_add(case=case, actor=director, title="Gesprek met het mogelijke slachtoffer", owner_user=coordinator,
             owner_organisation=None, due_date=today + timedelta(days=rng.randint(-20, 20)), goal=goal)  # fmt: skip
    task_add(case=case, actor=director, title="Informatie opvragen bij de politie", owner_user=None,
             owner_organisation=police, due_date=today + timedelta(days=rng.randint(-10, 30)))  # fmt: skip
    grant_add(case=case, actor=director, organisation=police, purpose="Informatieronde en onderzoek",
              legal_basis=LegalBasis.PUBLIC_TASK, valid_until=today + timedelta(days=180))  # fmt: skip
    if inspectorate is not None and rng.random() < 0.3:
        grant_add(case=case, actor=director, organisation=inspectorate, purpose="Inspectie werkplek",
                  legal_basis=LegalBasis.PUBLIC_TASK, valid_from=today - timedelta(days=200),
                  valid_until=today - timedelta(days=20))  # fmt: skip
    victim = case.involvements.filter(role=InvolvementRole.VICTIM).select_related("person").first()
    referral = referral_create(
        case=case,
        actor=director,
        person=victim.person if victim else None,
        organisation=care,
        purpose="Opvang en begeleiding",
        legal_basis=LegalBasis.CONSENT,
        consent=Consent.GIVEN,
    )
    if path == "plan":
        return
    referral_step(referral=referral, name="send", actor=director, sides=frozenset({CENTRE}))
    care_worker = User.objects.filter(organisation=care, roles__role="partner").first() or director
    referral_step(referral=referral, name="accept", actor=care_worker, sides=frozenset({RECIPIENT}))
    case_change_status(case=case, name="start", actor=director)
    note_add(case=case, actor=director, body="Slachtoffer is veilig ondergebracht.", visibility=Visibility.SHARED)
    if victim is not None and rng.random() < 0.6:
        victim_status_set(involvement=victim, actor=director, status=VictimStatus.IDENTIFIED,
                          decided_by=DecidingBody.POLICE, deciding_organisation=police,
                          note="Aangifte opgenomen; B8/3 bedenktijd aangeboden.")  # fmt: skip
    if path == "in_progress":
        return
    referral_step(referral=referral, name="complete", actor=director, sides=frozenset({CENTRE}))
    for report in case.reports.all():
        report_record_feedback(report=report, method=FeedbackMethod.PHONE, note="Gebeld en bedankt.", actor=director)
    case.tasks.update(status="done", completed_at=timezone.now())
    case_change_status(case=case, name="close", actor=director, text="Plan uitgevoerd; slachtoffer in begeleiding.")
    if path == "closed":
        return
    case_change_status(case=case, name="evaluate", actor=director, text="Snelle afstemming met de politie werkte goed.")
    if path == "reopened":
        case_change_status(case=case, name="reopen", actor=director, text="Nieuwe signalen op hetzelfde adres.")


def _backdate(case: Case, opened: datetime) -> None:
    """The file grew over the weeks after opening, not all today, and none of it after today."""
    Case.objects.filter(pk=case.pk).update(created_at=opened)
    steps = list(case.transitions.all())
    offsets = [timedelta(days=n * 9) for n in range(len(steps))] + [timedelta(days=d) for d in (3, 12, 8, 50)]
    *step_times, noted, tasked, assessed, closed = demo_moments(opened, offsets, timezone.now())
    for row, moment in zip(steps, step_times, strict=True):
        CaseTransition.objects.filter(pk=row.pk).update(created_at=moment)
    case.notes.update(created_at=noted)
    case.tasks.update(created_at=tasked)
    case.risk_assessments.update(created_at=assessed)
    if case.closed_at:
        Case.objects.filter(pk=case.pk).update(closed_at=closed)


def _meetings(cases: list[Case], director: User, police: Organisation, care: Organisation, rng: random.Random) -> None:
    for n in range(8):
        held = timezone.now() - timedelta(days=14 * n + 1)
        meeting = meeting_create(
            actor=director,
            type=MeetingType.SCREENING if n % 2 else MeetingType.CASE_MEETING,
            held_at=held.replace(hour=10, minute=0, second=0, microsecond=0),
            location="Zorg- en Veiligheidshuis Twente",
            organisations=[police, care],
        )
        for case in rng.sample(cases, min(4, len(cases))):
            item = item_add(meeting=meeting, case=case, actor=director)
            minutes_set(item=item, actor=director, minutes=rng.choice(MINUTES))
            if case.is_open:
                decision_add(item=item, actor=director, text="Politie en zorg gaan samen op huisbezoek.",
                             task_title="Huisbezoek plannen", owner_organisation=police,
                             due_date=timezone.localdate() + timedelta(days=rng.randint(-5, 20)))  # fmt: skip


# Nationals of these countries follow the EU route rather than B8/3; Ukrainians are under temporary protection.
EU = {"PL", "RO", "BG", "HU", "LT", "NL"}


def _trajectories(cases: list[Case], director: User, police: Organisation, care: Organisation, today: date) -> None:
    """The care coordinator's work in several stages: registered with CoMensha and in shelter, a reflection period
    about to end, one just offered, one not registered yet; one trajectory handed to another region and one case
    received from it, waiting for a case director."""
    other = Organisation.objects.get_or_create(
        name="Kenniscentrum Mensenhandel Voorbeeldregio (demo)",
        defaults={"type": OrganisationType.KNOWLEDGE_CENTRE, "other_region": "Voorbeeldregio (demo)"},
    )[0]
    reflections, ending_shown = 0, False
    for n, case in enumerate(cases):
        victim = case.involvements.filter(role=InvolvementRole.VICTIM).select_related("person").first()
        if victim is None or n % 4 == 3:
            continue  # left for the list of possible victims not registered yet
        nationality = (victim.person.nationalities or ["NL"])[0]
        comensha_register(case=case, actor=director, involvement=victim, kind=ComenshaRegistrationKind.SHELTER,
                          registered_on=today - timedelta(days=70 + n), legal_basis=LegalBasis.CONSENT,
                          comensha_reference=f"CM-DEMO-{n + 1:03d}")  # fmt: skip
        shelter_place(case=case, actor=director, involvement=victim, kind=ShelterKind.CATEGORICAL, organisation=care,
                      placed_on=today - timedelta(days=68 + n), note="Eerste plaatsing via CoMensha")  # fmt: skip
        task_add(case=case, actor=director, title="Inschrijving BRP regelen", owner_user=None, owner_organisation=care,
                 due_date=today + timedelta(days=7), support=PracticalSupport.BRP)  # fmt: skip
        if nationality != "NL":
            route = ReflectionRoute.TEMPORARY_PROTECTION if nationality == "UA" else (
                ReflectionRoute.EU if nationality in EU else ReflectionRoute.B8_3)  # fmt: skip
            # The first B8/3 period ends within two weeks: its director hears of it in the daily run. Every other
            # one is offered and not answered yet.
            ending = route == ReflectionRoute.B8_3 and not ending_shown
            ending_shown = ending_shown or ending
            starts = today - timedelta(days=80) if ending else today - timedelta(days=30 + n)
            accepted = ending or reflections % 2 == 0
            # Some who accepted have reported to the police (aangifte) within their reflection period.
            reported = accepted and n % 3 == 0
            reflection_record(
                case=case, actor=director, involvement=victim, route=route, offered_on=starts, offered_by=police,
                answer=ReflectionAnswer.ACCEPTED if accepted else ReflectionAnswer.PENDING,
                starts_on=starts if accepted else None, ends_on=add_months(starts, 3) if accepted else None,
                cooperation=Cooperation.REPORT if reported else "",
                cooperation_on=starts + timedelta(days=14) if reported else None, permit_applied_on=None,
                permit_status="",
            )  # fmt: skip
            reflections += 1
            safety_flag_add(case=case, actor=director, kind=SafetyFlagKind.INTERPRETER, involvement=victim,
                            language=(victim.person.languages or ["en"])[0], note="")  # fmt: skip
    if len(cases) > 1:
        case = cases[1]
        victim = case.involvements.filter(role=InvolvementRole.VICTIM).first()
        handover = handover_offer(
            case=case, actor=director, organisation=other, involvement=victim, handed_on=today - timedelta(days=3),
            reason="Het mogelijke slachtoffer verhuist naar de Voorbeeldregio.", legal_basis=LegalBasis.CONSENT,
            parts=["identity", "safety", "trajectory"],
        )  # fmt: skip
        handover_step(handover=handover, name="record_acceptance", actor=director,
                      text="Zorgcoördinator van de Voorbeeldregio, per telefoon")  # fmt: skip
    handover_receive(
        actor=User.objects.get(username="intake"), organisation=other, handed_on=today - timedelta(days=1),
        reason="Mogelijk slachtoffer woont sinds kort in Twente.", legal_basis=LegalBasis.CONSENT,
        parts=["identity", "trajectory"], received="Samenvatting per beveiligde mail: aangemeld bij CoMensha, "
        "bedenktijd loopt, opvang gezocht in Twente.", title="Overdracht uit de Voorbeeldregio", municipality=None,
    )  # fmt: skip
