"""Synthetic reports for the demo: made-up people and events (Faker nl_NL), never real ones."""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from kenniscentrum.accounts.models import User
from kenniscentrum.lib.vocabulary import (
    Channel,
    ContactPreference,
    ExploitationForm,
    FeedbackMethod,
    Priority,
    ReporterRole,
)
from kenniscentrum.organisations.models import Municipality, Organisation

from .models import Report, ReportTransition
from .receipts import new_submission_token
from .services import (
    report_ask_reporter,
    report_assign,
    report_change_status,
    report_close,
    report_record_feedback,
    report_reporter_reply,
    report_set_priority,
    report_submit,
)

STORIES = {
    ExploitationForm.LABOUR: [
        "{name} werkt zes dagen per week in een {sector} bij {place}, vaak meer dan twaalf uur per dag. "
        "Hij slaapt met acht anderen boven het bedrijf en zegt dat de baas zijn paspoort heeft.",
        "Een groep arbeidsmigranten wordt elke ochtend om vijf uur opgehaald met een busje. {name} vertelde dat "
        "ze nog een schuld voor de reis moeten afbetalen en bijna niets overhouden.",
    ],
    ExploitationForm.SEXUAL: [
        "Mijn nichtje {name} (16) heeft een veel oudere vriend die haar overal ophaalt. Ze heeft ineens dure "
        "spullen en meerdere telefoons, en spijbelt voor en na het weekend.",
        "In een woning aan de rand van {place} komen 's avonds steeds andere mannen. Er wonen jonge vrouwen "
        "die nooit alleen naar buiten gaan.",
    ],
    ExploitationForm.CRIMINAL: [
        "Een leerling ({name}, 15) wordt na school opgewacht door oudere jongens. Hij moet pakketjes rondbrengen "
        "en zegt dat hij een 'boete' moet afbetalen.",
        "{name} heeft bankrekeningen en telefoonabonnementen op zijn naam die hij niet zelf gebruikt. Hij lijkt "
        "bang voor iemand uit {place}.",
    ],
    ExploitationForm.UNSURE: [
        "Ik weet niet zeker of dit uitbuiting is. {name} woont bij een gezin in {place}, doet het hele "
        "huishouden en mag niet zelf over geld beschikken.",
    ],
}
SECTORS = ["distributiecentrum", "kas", "restaurant", "schoonmaakbedrijf", "slachterij", "nagelstudio"]

# Phone numbers in the demo come from a range that no one can ever have: a made-up Dutch number may be someone's
# real one, and the demo ties numbers to trafficking. We found no Dutch range kept for fiction (the Dutch numbering
# plan names none); Germany's Bundesnetzagentur keeps these numbers unassigned for films, books and teaching
# ("Drama Numbers", Amtsblatt 7/2021, Mitteilung 148/2021: Berlin (0)30 23125 000 to 999, Frankfurt (0)69 90009,
# Hamburg (0)40 66969, Köln (0)221 4710, München (0)89 99998). They are valid numbers, so linking recognises them
# however they are typed; a German number is also what a Twente report may well hold.
FICTION_PHONE_BLOCKS = ["+49 30 23125", "+49 69 90009", "+49 40 66969", "+49 221 4710", "+49 89 99998"]


def fiction_phone(block: int, number: int) -> str:
    """A number kept for fiction: `number` (0 to 999) in the `block`th range."""
    return f"{FICTION_PHONE_BLOCKS[block % len(FICTION_PHONE_BLOCKS)]} {number % 1000:03d}"


def demo_moments(start: datetime, offsets: list[timedelta], now: datetime) -> list[datetime]:
    """`start` plus each offset, in order, but all of them in the past: a file that would grow past today (a report
    received yesterday whose steps are days apart) has its steps drawn closer together, never into the future."""
    room = (now - start) * 0.9
    longest = max(offsets, default=timedelta(0))
    scale = min(1.0, room / longest) if longest > timedelta(0) else 1.0
    return [start + offset * scale for offset in offsets]


# The demo covers every state that triage itself reaches (case states arrive with case management).
FINAL_STEPS = ["new", "in_triage", "awaiting_reporter", "advised", "forwarded", "closed_no_action"]


def _story(fake: Faker, rng: random.Random, form: ExploitationForm, place: str) -> str:
    template = rng.choice(STORIES.get(form, STORIES[ExploitationForm.UNSURE]))
    return template.format(name=fake.first_name(), sector=rng.choice(SECTORS), place=place)


@transaction.atomic
def demo_reports_create(
    count: int = 300, seed: int = 2026, *, days_back: tuple[int, int] = (0, 730), receipt: bool = True
) -> int:
    """`count` synthetic reports received between `days_back` days ago, in every state; with the report whose receipt
    code load_demo prints (`receipt`)."""
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    municipalities = list(Municipality.objects.all())
    handlers = list(User.objects.filter(username__in=["intake", "regie"]))
    intake = handlers[0]
    partners = list(Organisation.objects.partners())
    now = timezone.now()
    for i in range(count):
        # A tenth came in the last two weeks: a queue has its recent reports, not only a thin spread over two years.
        recent = days_back[0] == 0 and rng.random() < 0.1
        days = rng.uniform(0, 14) if recent else rng.uniform(*days_back)
        received = now - timedelta(days=days, minutes=rng.randint(0, 600))
        age_days = (now - received).days
        # Old reports are mostly closed; recent ones are more often still open.
        step = rng.choice(FINAL_STEPS[3:] if age_days > 60 else FINAL_STEPS)
        if step == "new" and days_back[0] == 0:
            # Nobody has looked at a new report yet: in a queue that keeps its terms that is one of the last day or
            # so, and now and then one that slipped past its term, so the badge "late" means something.
            late = rng.random() < 0.2
            received = now - timedelta(hours=rng.uniform(30, 150) if late else rng.uniform(0.5, 20))
        form = rng.choice(list(STORIES))
        municipality = rng.choice(municipalities)
        channel = Channel.WEB if i % 3 else rng.choice([c for c in Channel if c != Channel.WEB])
        preference = rng.choice(list(ContactPreference))
        data = {
            "reporter_role": rng.choice(list(ReporterRole)),
            "contact_preference": preference,
            "reporter_name": fake.name() if preference != ContactPreference.ANONYMOUS else "",
            "reporter_phone": fiction_phone(i, rng.randint(0, 999)) if preference == ContactPreference.PHONE else "",
            "reporter_email": fake.email() if preference == ContactPreference.EMAIL else "",
            "description": _story(fake, rng, form, municipality.name),
            "municipality": municipality,
            # Often where it happens, sometimes elsewhere in the region, sometimes not known.
            "residence_municipality": rng.choice([municipality, municipality, rng.choice(municipalities), None]),
            "place": fake.street_name(),
            "when_text": rng.choice(["sinds vorige zomer", "afgelopen week", "al maanden", ""]),
            "ongoing": rng.choice(["yes", "no", "unknown"]),
            "acute_danger": "yes" if rng.random() < 0.05 else rng.choice(["no", "unknown"]),
        }
        submission = report_submit(
            data=data,
            forms=[form],
            persons=[{"description": fake.first_name(), "role": "possible_victim", "age": str(rng.randint(14, 50))}],
            files=[],
            token=new_submission_token(),
            language="nl",
            channel=channel,
            actor=None if channel == Channel.WEB else intake,
            received_at=received,
            partner_organisation=rng.choice(partners) if channel == Channel.PARTNER else None,
        )
        report = submission.report
        actor = rng.choice(handlers)
        if step != "new":
            report_change_status(report=report, name="start_triage", actor=actor)
            priority = report.priority if report.priority == Priority.URGENT else rng.choice(list(Priority))
            report_assign(report=report, assignee=actor, actor=actor)
            report_set_priority(report=report, priority=priority, actor=actor)
        if step == "awaiting_reporter" or (step in FINAL_STEPS[3:] and rng.random() < 0.4):
            report_ask_reporter(report=report, question="Kunt u vertellen sinds wanneer dit speelt?", actor=actor)
            if step != "awaiting_reporter":
                report_reporter_reply(report=report, body="Ik denk sinds het voorjaar, misschien eerder.")
        if step in ("advised", "forwarded", "closed_no_action"):
            name = {
                "advised": "close_advised",
                "forwarded": "forward",
                "closed_no_action": "close_no_action",
            }[step]
            report_close(
                report=report,
                name=name,
                reason="Besproken in het screeningsteam.",
                actor=actor,
                feedback_method=FeedbackMethod.RECEIPT_MESSAGE,
                message_to_reporter="Dank voor uw melding. We hebben deze besproken en geven u dit advies.",
                forwarded_to=rng.choice(partners) if name == "forward" else None,
            )
        if step in ("in_triage", "awaiting_reporter") and now - received > timedelta(days=2) and rng.random() < 0.85:
            # Most open reports past the first days have heard back already: the centre keeps its feedback term.
            report_record_feedback(report=report, method=FeedbackMethod.RECEIPT_MESSAGE, actor=actor,
                                   note="Bedankt en gezegd dat we ermee bezig zijn.")  # fmt: skip
        _backdate(report, received, rng.randint(2, 40), now)
    if receipt:
        demo_receipt_report_create(intake)
    return count


def _backdate(report: Report, received: datetime, closed_after_days: int, now: datetime) -> None:
    """The history happened over the days after receipt, not all today, and none of it after today."""
    steps = list(report.transitions.all())
    offsets = [timedelta(hours=n * 20) for n in range(len(steps))]
    offsets += [timedelta(days=1), timedelta(days=closed_after_days)]
    *step_times, message_time, closed = demo_moments(received, offsets, now)
    for row, moment in zip(steps, step_times, strict=True):
        ReportTransition.objects.filter(pk=row.pk).update(created_at=moment)
    report.messages.update(created_at=message_time)
    if report.closed_at or report.feedback_at:
        type(report).objects.filter(pk=report.pk).update(
            closed_at=closed if report.closed_at else None, feedback_at=closed if report.feedback_at else None
        )


# The token of one demo report whose receipt code `load_demo` prints, so the follow-up can be tried.
DEMO_RECEIPT_TOKEN = "demo-receipt-token"  # noqa: S105 (a form token, public by design in the demo)


def demo_receipt_report_create(intake: User) -> Report:
    submission = report_submit(
        data={
            "reporter_role": ReporterRole.CONCERNED,
            "contact_preference": ContactPreference.ANONYMOUS,
            "description": "Mijn buurmeisje van 15 wordt elke avond opgehaald door een man in een dure auto.",
            "municipality": Municipality.objects.get(cbs_code="GM0153"),
            "acute_danger": "no",
        },
        forms=[ExploitationForm.SEXUAL],
        persons=[],
        files=[],
        token=DEMO_RECEIPT_TOKEN,
        language="nl",
    )
    report = submission.report
    if submission.created:
        report_change_status(report=report, name="start_triage", actor=intake)
        report_ask_reporter(
            report=report, question="Weet u hoe de auto eruitziet of wat het kenteken is?", actor=intake
        )
    return report


# Two standard texts for the demo, in the project's own words, in every visitor language.
DEMO_STANDARD_REPLIES = {
    "Vraag: waar gebeurt het?": {
        "nl": "Dank je voor je melding. Kun je vertellen in welke plaats of straat dit gebeurt?",
        "en": "Thank you for your report. Can you tell us in which town or street this happens?",
        "pl": (
            "Dziękujemy za zgłoszenie. Czy możesz powiedzieć, w jakiej miejscowości lub na jakiej ulicy to się dzieje?"
        ),
        "ro": "Mulțumim pentru sesizare. Ne poți spune în ce localitate sau pe ce stradă se întâmplă asta?",
        "bg": "Благодарим за сигнала. Можеш ли да кажеш в кое населено място или на коя улица се случва това?",
        "uk": "Дякуємо за повідомлення. Чи можеш сказати, в якому місті або на якій вулиці це відбувається?",
    },
    "Terugkoppeling: we zijn ermee bezig": {
        "nl": (
            "We hebben je melding gelezen en kijken samen met andere "
            "organisaties wat we kunnen doen. Je hoort hier weer van ons."
        ),
        "en": (
            "We have read your report and are looking with other organisations at "
            "what we can do. You will hear from us here again."
        ),
        "pl": (
            "Przeczytaliśmy Twoje zgłoszenie i razem z innymi organizacjami "
            "sprawdzamy, co możemy zrobić. Odezwiemy się tutaj ponownie."
        ),
        "ro": (
            "Am citit sesizarea ta și analizăm împreună cu alte organizații ce "
            "putem face. Vei primi din nou vești de la noi aici."
        ),
        "bg": (
            "Прочетохме сигнала ти и заедно с други организации преценяваме "
            "какво можем да направим. Ще се чуем отново тук."
        ),
        "uk": (
            "Ми прочитали твоє повідомлення і разом з іншими організаціями "
            "з'ясовуємо, що можемо зробити. Ми ще напишемо тобі тут."
        ),
    },
}


def demo_standard_replies_create() -> None:
    from .models import StandardReply

    for title, texts in DEMO_STANDARD_REPLIES.items():
        StandardReply.objects.get_or_create(title=title, defaults={"texts": texts})


def demo_consultations_create(count: int = 120, seed: int = 2026) -> int:
    """Advice contacts over the last two years: mostly professionals asking about signals and next steps."""
    from .models import Consultation, ConsultationAsker, ConsultationTopic, ProfessionalField
    from .services import consultation_record

    if Consultation.objects.exists():
        return 0
    rng = random.Random(seed)
    municipalities = [*Municipality.objects.all(), None]
    intake = User.objects.get(username="intake")
    today = timezone.localdate()
    for n in range(count):
        asker = rng.choice([ConsultationAsker.PROFESSIONAL] * 3 + list(ConsultationAsker))
        consultation_record(
            actor=intake, token=f"demo-consultation-{n}", received_on=today - timedelta(days=rng.randint(0, 720)),
            channel=rng.choice([Channel.PHONE, Channel.PHONE, Channel.EMAIL, Channel.WALK_IN]), asker=asker,
            field=rng.choice(list(ProfessionalField)) if asker == ConsultationAsker.PROFESSIONAL else "",
            topic=rng.choice(list(ConsultationTopic)), forms=[rng.choice(list(STORIES))] if rng.random() < 0.6 else [],
            municipality=rng.choice(municipalities),
        )  # fmt: skip
    return count
