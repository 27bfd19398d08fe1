"""The signals check: what the signals a visitor recognised point to, and where to go now.

Nothing here stores anything: the answers live in the request only.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.region import channels, region
from kenniscentrum.lib.vocabulary import ExploitationForm, exploitation_forms

from .models import Audience, CheckStep, CheckTally, Indicator, LegalElement, Topic

# Channels as data (region file), chosen per situation. Order matters: the first is shown first.
EMERGENCY = "emergency"


@dataclass
class FormMatch:
    form: str
    label: str
    signals: list[Indicator]


@dataclass
class CheckResult:
    signals: list[Indicator]
    forms: list[FormMatch]
    by_element: list[tuple[str, list[Indicator]]]
    minor: bool
    acute: bool
    channels: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.signals

    @property
    def form_codes(self) -> list[str]:
        return [m.form for m in self.forms]

    # The forms a report made from this result starts with (see check_score).
    report_forms: list[str] = field(default_factory=list)


@dataclass
class Step:
    """One short page of the check: the signals of one theme, each once, with where they were published."""

    key: str
    title: str
    signals: list[Indicator]
    sources: list[tuple[str, str]]


# The check asks a short set of signals (`check_step` in the catalogue, with the reason for each in the data file),
# so that a visitor answers it on a phone in a few minutes: at most 8 a page (about what a phone shows in two
# screens) and at most 24 in all (some three minutes at a few seconds a signal). The sources' own weight chose them:
# the general list of Informatiepunt Mensenhandel and the labour inspectorate's (published by both, and by the
# ILO), the signals a list marks as the ones to watch, the municipal citizen list; each legal element of art. 273f
# Sr and each form of exploitation keeps signals, and near-duplicates in several lists are one question
# (`asked_as`) with all their sources. The whole catalogue stays for the team and the knowledge pages.
CHECK_MOST = 24
STEP_MOST = 8

# The themes of the whole catalogue on the knowledge pages, the most telling first: what someone has to do and the
# pressure they are under, then how they feel, and last the context signals, which say least on their own.
STEPS = [
    ("work", _("Work, money and sex")),
    ("control", _("Pressure, control and dependence")),
    ("wellbeing", _("Feelings and self-image")),
    (Topic.APPEARANCE.value, Topic.APPEARANCE.label),
    (Topic.BEHAVIOUR.value, Topic.BEHAVIOUR.label),
    (Topic.DAILY_LIFE.value, Topic.DAILY_LIFE.label),
]
STEP_OF_ELEMENT = {
    LegalElement.PURPOSE: "work",
    LegalElement.MEANS: "control",
    LegalElement.ACT: "control",
    LegalElement.VULNERABILITY: "wellbeing",
}


def signal_step(indicator: Indicator) -> str:
    """The step a signal is asked in: by its legal element, and a context signal by its topic."""
    if indicator.element == LegalElement.CONTEXT:
        return indicator.topic or Topic.DAILY_LIFE
    return STEP_OF_ELEMENT[LegalElement(indicator.element)]


# What the legal elements mean, in words a lay reader knows ("oogmerk" and "middel" are for the team).
PLAIN_ELEMENTS = {
    LegalElement.ACT: _("How someone was drawn in: recruited, brought over, housed or put to work"),
    LegalElement.MEANS: _("Pressure, threats, deception or control"),
    LegalElement.PURPOSE: _("Being made to work, have sex or commit crimes for others"),
    LegalElement.VULNERABILITY: _("What makes someone easier to exploit"),
    LegalElement.CONTEXT: _("Other changes that were noticed"),
}


def question_of(indicator: Indicator, by_pk: dict[int, Indicator]) -> Indicator:
    """The check's question a signal is asked as: the signal it is a copy of (`same_as`), or the question its
    near-duplicate is merged into (`asked_as`), else itself."""
    root = by_pk.get(indicator.same_as_id or 0, indicator)
    merged_into = indicator.asked_as_id or root.asked_as_id
    return by_pk.get(merged_into or 0, root)


def _catalogue() -> tuple[list[Indicator], dict[int, Indicator], dict[int, list[Indicator]]]:
    """The active signals a visitor may see, by pk, and per question the signals asked as it (the question first)."""
    # An item only partly retrieved from its source is for the team, not for a visitor to tick.
    indicators = list(Indicator.objects.filter(active=True, truncated=False).select_related("indicator_list"))
    by_pk = {indicator.pk: indicator for indicator in indicators}
    groups: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        groups.setdefault(question_of(indicator, by_pk).pk, []).append(indicator)
    for pk, members in groups.items():
        members.sort(key=lambda member: member.pk != pk)  # stable: the question, then the catalogue's order
    return indicators, by_pk, groups


def _shown_to(indicator: Indicator, audience: str, sector: str) -> bool:
    if not audience:
        return True  # the catalogue as a whole, on the signals page
    if audience not in indicator.audiences:
        return False
    # A professional who names their field sees the lists meant for that field (IndicatorList.sectors).
    return not (audience == Audience.PROFESSIONAL and sector and sector not in indicator.indicator_list.sectors)


def _step_of(key: str, title: str, signals: list[Indicator]) -> Step:
    """A page of signals with its sources, each publisher once (a publisher's pages may differ in address)."""
    sources: dict[str, str] = {}
    for signal in signals:
        for publisher, url in signal.all_sources:  # type: ignore[attr-defined]
            sources.setdefault(publisher, url)
    return Step(key, title, signals, list(sources.items()))


def check_steps(audience: str, sector: str = "") -> list[Step]:
    """The check's short set of questions for `audience`, each once, in short steps (CheckStep), the most telling
    first.

    Of a question published in several lists, or merged with near-duplicates, the visitor sees the first copy meant
    for them (the question's own first), worded as the question for their audience, with the sources of all copies.
    Steps without a signal for this visitor are left out.
    """
    _indicators, by_pk, groups = _catalogue()
    by_step: dict[str, list[Indicator]] = {}
    for pk, copies in groups.items():
        question = by_pk[pk]
        shown = next((copy for copy in copies if _shown_to(copy, audience, sector)), None)
        if not question.check_step or shown is None:
            continue
        shown.phrased = question.phrased_for(audience)  # type: ignore[attr-defined]
        shown.all_sources = list(dict.fromkeys(source for copy in copies for source in copy.sources))  # type: ignore[attr-defined]
        by_step.setdefault(question.check_step, []).append(shown)
    return [_step_of(key, str(title), by_step[key]) for key, title in CheckStep.choices if key in by_step]


def catalogue_steps() -> list[Step]:
    """Every active signal of the catalogue, each once even when several lists publish it, by theme (the knowledge
    pages). Of a signal published in several lists (`same_as`), the first copy is shown with the sources of all."""
    indicators = list(Indicator.objects.filter(active=True, truncated=False).select_related("indicator_list"))
    twins: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        twins.setdefault(indicator.same_as_id or indicator.pk, []).append(indicator)
    by_step: dict[str, list[Indicator]] = {}
    for copies in twins.values():
        shown = copies[0]
        shown.phrased = shown.text  # type: ignore[attr-defined]  # the catalogue as published
        shown.all_sources = list(dict.fromkeys(source for copy in copies for source in copy.sources))  # type: ignore[attr-defined]
        by_step.setdefault(signal_step(shown), []).append(shown)
    order = {indicator.pk: position for position, indicator in enumerate(indicators)}
    return [
        _step_of(key, str(title), sorted(by_step[key], key=lambda indicator: order[indicator.pk]))
        for key, title in STEPS
        if key in by_step
    ]


def check_channels(*, audience: str, forms: list[str], minor: bool, acute: bool) -> list[dict[str, Any]]:
    """Where to go now, as data from the region file: 112 first when someone is in danger.

    Someone who wants to stop exploiting others is shown confidential help only (region file,
    `perpetrator_help`): sending them to the police or a crime tip line would close the door they opened.
    """
    if audience == "perpetrator":
        return channels(region().get("perpetrator_help", {}).get("channels", []))
    wanted = []
    if acute:
        wanted.append(EMERGENCY)
    wanted.append("police")
    if ExploitationForm.LABOUR in forms:
        wanted.append("labour_inspectorate")
        if audience in (Audience.VICTIM, Audience.CONCERNED):
            wanted.append("fairwork")
    if minor or audience in (Audience.CONCERNED, Audience.PROFESSIONAL):
        wanted.append("veilig_thuis")
    wanted.append("meld_misdaad_anoniem")
    if audience in (Audience.VICTIM, Audience.PROFESSIONAL):
        wanted.append("comensha")
    return channels(wanted)


def check_score(*, codes: list[str], audience: str, minor: bool, acute: bool) -> CheckResult:
    """Maps the recognised signals to forms of exploitation and legal elements; stores nothing.

    A ticked question also stands for the near-duplicates merged into it, so it points to their forms and elements too.
    """
    signals = signals_phrased(codes, audience)
    forms = []
    for code, name in exploitation_forms():
        matched = [s for s in signals if code in s.asked_forms]  # type: ignore[attr-defined]
        if matched:
            forms.append(FormMatch(code, name, matched))
    forms.sort(key=lambda m: -len(m.signals))
    # A general signal points to every form the catalogue knows; by itself it suggests none of them, so
    # three signals of labour exploitation do not also tick sexual and criminal exploitation in the report.
    every = {
        form for forms_of in Indicator.objects.filter(active=True).values_list("forms", flat=True) for form in forms_of
    }
    report_forms = [m.form for m in forms if any(set(s.asked_forms) != every for s in m.signals)]  # type: ignore[attr-defined]
    by_element = [
        (str(PLAIN_ELEMENTS[element]), [s for s in signals if element.value in s.asked_elements])  # type: ignore[attr-defined]
        for element in LegalElement
        if any(element.value in s.asked_elements for s in signals)  # type: ignore[attr-defined]
    ]
    return CheckResult(
        signals=signals,
        forms=forms,
        by_element=by_element,
        minor=minor,
        acute=acute,
        channels=check_channels(audience=audience, forms=[m.form for m in forms], minor=minor, acute=acute),
        report_forms=report_forms,
    )


def signals_phrased(codes: list[str], audience: str) -> list[Indicator]:
    """The active signals among `codes`, each worded as its question was asked of `audience` (`phrased`), with the
    forms and legal elements of every signal asked as that question (`asked_forms`, `asked_elements`)."""
    _indicators, by_pk, groups = _catalogue()
    wanted = set(codes)
    signals = [indicator for indicator in by_pk.values() if indicator.code in wanted]
    for signal in signals:
        question = question_of(signal, by_pk)
        # The ticked copy keeps the forms of its own list (the labour inspectorate's copy of a general signal points
        # to labour exploitation); the near-duplicates merged into its question add theirs.
        merged = [copy for copy in groups[question.pk] if (copy.same_as_id or copy.pk) != question.pk]
        asked = [signal, *merged]
        signal.phrased = question.phrased_for(audience)  # type: ignore[attr-defined]
        signal.asked_forms = list(dict.fromkeys(form for copy in asked for form in copy.forms))  # type: ignore[attr-defined]
        signal.asked_elements = list(dict.fromkeys(e for copy in asked for e in copy.elements))  # type: ignore[attr-defined]
    return signals


@transaction.atomic
def check_tally(*, audience: str, forms: list[str]) -> None:
    """Counts one completed check for its audience and for each form its result pointed to."""
    month = timezone.localdate().replace(day=1)
    for form in ["", *forms]:
        tally, _ = CheckTally.objects.select_for_update().get_or_create(month=month, audience=audience, form=form)
        CheckTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)
