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

from .models import Audience, CheckTally, Indicator, LegalElement, Topic

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


# The steps of the check, the most telling first: what someone has to do and the pressure they are under, then
# how they feel, and last the context signals, which say least on their own.
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


def signal_phrased(indicator: Indicator, audience: str) -> str:
    """Someone worried about themselves reads the signal in the second person."""
    return indicator.text_for_yourself if audience == Audience.VICTIM else indicator.text


def _shown_to(indicator: Indicator, audience: str, sector: str) -> bool:
    if not audience:
        return True  # the catalogue as a whole, on the signals page
    if audience not in indicator.audiences:
        return False
    # A professional who names their field sees the lists meant for that field (IndicatorList.sectors).
    return not (audience == Audience.PROFESSIONAL and sector and sector not in indicator.indicator_list.sectors)


def check_steps(audience: str, sector: str = "") -> list[Step]:
    """The active signals for `audience` (all of them if empty), each once even when several lists publish it,
    in short steps.

    Of a signal published in several lists (`same_as`), the visitor sees the first copy meant for them, with the
    sources of all copies. Steps without a signal for this visitor are left out.
    """
    # An item only partly retrieved from its source is for the team, not for a visitor to tick.
    indicators = list(Indicator.objects.filter(active=True, truncated=False).select_related("indicator_list"))
    twins: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        twins.setdefault(indicator.same_as_id or indicator.pk, []).append(indicator)
    by_step: dict[str, list[Indicator]] = {}
    for copies in twins.values():
        shown = next((copy for copy in copies if _shown_to(copy, audience, sector)), None)
        if shown is None:
            continue
        shown.phrased = signal_phrased(shown, audience)  # type: ignore[attr-defined]
        shown.all_sources = list(dict.fromkeys(source for copy in copies for source in copy.sources))  # type: ignore[attr-defined]
        by_step.setdefault(signal_step(shown), []).append(shown)
    order = {indicator.pk: position for position, indicator in enumerate(indicators)}
    steps = []
    for key, title in STEPS:
        signals = sorted(by_step.get(key, []), key=lambda indicator: order[indicator.pk])
        if signals:
            sources = list(dict.fromkeys(source for signal in signals for source in signal.all_sources))  # type: ignore[attr-defined]
            steps.append(Step(key, str(title), signals, sources))
    return steps


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
    """Maps the recognised signals to forms of exploitation and legal elements; stores nothing."""
    signals = list(Indicator.objects.filter(code__in=codes, active=True).select_related("indicator_list"))
    forms = []
    for code, name in exploitation_forms():
        matched = [s for s in signals if code in s.forms]
        if matched:
            forms.append(FormMatch(code, name, matched))
    forms.sort(key=lambda m: -len(m.signals))
    # A general signal points to every form the catalogue knows; by itself it suggests none of them, so
    # three signals of labour exploitation do not also tick sexual and criminal exploitation in the report.
    every = {
        form for forms_of in Indicator.objects.filter(active=True).values_list("forms", flat=True) for form in forms_of
    }
    report_forms = [m.form for m in forms if any(set(s.forms) != every for s in m.signals)]
    for signal in signals:
        signal.phrased = signal_phrased(signal, audience)  # type: ignore[attr-defined]
    by_element = [
        (str(element.label), [s for s in signals if element.value in s.elements])
        for element in LegalElement
        if any(element.value in s.elements for s in signals)
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


@transaction.atomic
def check_tally(*, audience: str, forms: list[str]) -> None:
    """Counts one completed check for its audience and for each form its result pointed to."""
    month = timezone.localdate().replace(day=1)
    for form in ["", *forms]:
        tally, _ = CheckTally.objects.select_for_update().get_or_create(month=month, audience=audience, form=form)
        CheckTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)
