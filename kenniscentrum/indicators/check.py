"""The signals check: what the signals a visitor recognised point to, and where to go now.

Nothing here stores anything: the answers live in the request only.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kenniscentrum.lib.region import channels, region
from kenniscentrum.reports.models import ExploitationForm

from .models import Audience, CheckTally, Indicator, LegalElement

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


def check_questions(audience: str, sector: str = "") -> list[tuple[Any, list[Indicator]]]:
    """The active signals phrased for `audience`, grouped by their published list.

    A professional who names their field sees the lists meant for that field (IndicatorList.sectors).
    """
    # An item only partly retrieved from its source is for the team, not for a visitor to tick.
    indicators = Indicator.objects.filter(active=True, truncated=False).select_related("indicator_list")
    groups: dict[int, tuple[Any, list[Indicator]]] = {}
    for indicator in indicators:
        if audience == Audience.PROFESSIONAL and sector and sector not in indicator.indicator_list.sectors:
            continue
        if audience in indicator.audiences:
            groups.setdefault(indicator.indicator_list_id, (indicator.indicator_list, []))[1].append(indicator)
    return list(groups.values())


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
    for form in ExploitationForm:
        matched = [s for s in signals if form.value in s.forms]
        if matched:
            forms.append(FormMatch(form.value, str(form.label), matched))
    forms.sort(key=lambda m: -len(m.signals))
    # A general signal points to every form the catalogue knows; by itself it suggests none of them, so
    # three signals of labour exploitation do not also tick sexual and criminal exploitation in the report.
    every = {
        form for forms_of in Indicator.objects.filter(active=True).values_list("forms", flat=True) for form in forms_of
    }
    report_forms = [m.form for m in forms if any(set(s.forms) != every for s in m.signals)]
    by_element = [
        (str(element.label), [s for s in signals if s.element == element.value])
        for element in LegalElement
        if any(s.element == element.value for s in signals)
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
