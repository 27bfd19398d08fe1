"""The monitor's tables: which measures there are, what their values are called and in which fixed order they stand,
and each table for any period and municipality with its exact counts, for inside the centre only (not for
publication). What leaves the centre is a release of a completed year: publication.py."""

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.cases.models import Case, Cooperation, ReflectionAnswer, RoleInProcess, ShelterKind, Task
from kenniscentrum.indicators.models import Audience, CheckTally
from kenniscentrum.lib.templatetags.platform_tags import country_name
from kenniscentrum.lib.vocabulary import (
    Border,
    Channel,
    Gender,
    LabourSector,
    ReferralStatus,
    ReportStatus,
    TaskStatus,
    exploitation_forms,
)
from kenniscentrum.organisations.models import Municipality, OrganisationType
from kenniscentrum.reports.models import ConsultationAsker, ConsultationTopic, ProfessionalField, Report
from kenniscentrum.reports.staff_wording import REPORTER_ROLE_FOR_STAFF
from kenniscentrum.reports.workflow import OPEN_STATES

from . import figures
from .figures import AGE_BANDS, UNKNOWN

NOT_KNOWN = _("Not known")
OUTSIDE = _("Outside the region, or not known")


def _choices(choices: Any) -> Callable[[str], str]:
    # The labels stay lazy until a page asks: made into text here, at import, they would keep the language that
    # happened to be active then, and the English monitor would show Dutch labels.
    names = {str(k): v for k, v in choices}
    return lambda value: str(names.get(value, NOT_KNOWN if value in ("", UNKNOWN) else value))


def _forms(value: str) -> str:
    return _choices(exploitation_forms())(value)


def _form_codes() -> list[str]:
    return [code for code, _name in exploitation_forms()] + [UNKNOWN]


def _municipality(value: str) -> str:
    return municipality_names().get(value, str(OUTSIDE))


def municipality_names() -> dict[str, str]:
    return _recent("municipalities", lambda: dict(Municipality.objects.values_list("cbs_code", "name")))


def municipality_codes() -> list[str]:
    """Every municipality by name, then outside the region or not known."""
    names = municipality_names()
    return [*sorted(names, key=lambda code: names[code]), ""]


def age_label(band: str) -> str:
    """An age band as people read it: "0-8 years", "48 years and older"."""
    if band == UNKNOWN:
        return str(_("Age not known"))
    low, _sep, high = band.partition("--")
    if band.endswith("+"):
        return str(_("%(low)s years and older") % {"low": band.rstrip("+")})
    return str(_("%(low)s-%(high)s years") % {"low": low, "high": high})


def _country(value: str) -> str:
    return str(NOT_KNOWN) if value in ("", UNKNOWN) else country_name(value)


FUNNEL = [("reported", _("Reported")), ("triaged", _("Triaged")), ("case", _("In a case")),
          ("referral", _("Case with a referral")), ("closed", _("Case closed"))]  # fmt: skip
MINOR = [("yes", _("Under 18")), ("no", _("18 or older")), (UNKNOWN, _("Age not known"))]
# The values of a possible victim's trajectory that are not a choice of the case file itself (figures.TRAJECTORY).
COMENSHA = [("registered", _("Registered with CoMensha")), ("not_registered", _("Not registered with CoMensha"))]
NOT_OFFERED = [("not_offered", _("No reflection period offered"))]
COOPERATION = [c for c in Cooperation.choices if c[0]] + [(figures.NONE, _("No cooperation recorded"))]
NO_SHELTER = [(figures.BOTH_SHELTERS, _("Both kinds of shelter")), (figures.NONE, _("Never placed in shelter"))]


@dataclass(frozen=True)
class Measure:
    code: str
    title: Any
    caption: Any
    label: Callable[[str], str]
    # The values in this order, all shown even when zero (a callable for lists that live in the database); None: the
    # values found, largest first (inside the centre only: an order by size tells sizes).
    order: list[str] | Callable[[], list[str]] | None = None
    # Show at most this many values, the rest together as "Other".
    top: int | None = None
    # Tables in which each record counts once share their municipality totals with the family's own table
    # ("reports", "victims", "consultations"): as published, they keep its decisions on those totals, so two tables
    # side by side cannot give a hidden total away (`_published`). None: a record can count more than once.
    margin: str | None = None
    # Its total is one count of another table (professionals' fields add up to the "professional" count of who
    # asked): as published it keeps that table's decision on the count, and is withheld when it is hidden.
    total_of: tuple[str, str] | None = None
    # As published, the row that holds what no other row does (a value outside the list, a record without it).
    rest: str = UNKNOWN
    # Each record of this family counts in it at least once (a report with two forms twice): its total is nearly
    # always the family's, so as published it is withheld whenever the family hides its total.
    within: str | None = None


MEASURES = {m.code: m for m in [
    Measure("reports.channel", _("Reports by channel"), _("How reports reached the centre."), _choices(Channel.choices),
            [c for c, _label in Channel.choices]),
    Measure("reports.reporter_role", _("Reports by reporter"), _("Who made the report."),
            _choices(REPORTER_ROLE_FOR_STAFF.items()), list(REPORTER_ROLE_FOR_STAFF)),
    Measure("reports.form", _("Reports by form of exploitation"),
            _("The forms a report points to; a report can point to more than one, so the total counts forms."),
            _forms, _form_codes),
    Measure("reports.residence", _("Reports by municipality where the person lives"),
            _("Where the person it happens to lives, as far as known; this can differ from where it happens."),
            _municipality, municipality_codes),
    Measure("consultations.asker", _("Advice contacts by who asked"), _("Questions without a report."),
            _choices(ConsultationAsker.choices), [c for c, _label in ConsultationAsker.choices]),
    Measure("consultations.field", _("Advice contacts from professionals by field"),
            _("The field of the professionals who asked."), _choices(ProfessionalField.choices),
            [c for c, _label in ProfessionalField.choices]),
    Measure("consultations.topic", _("Advice contacts by topic"), _("What was asked about."),
            _choices(ConsultationTopic.choices), [c for c, _label in ConsultationTopic.choices]),
    Measure("victims.age_band", _("Possible victims by age at the start of the exploitation"),
            _("In the age bands of the CTDC global dataset."), age_label, [b for _l, _h, b in AGE_BANDS] + [UNKNOWN]),
    Measure("victims.minor", _("Possible victims who were minors"),
            _("Under 18 when the exploitation started: then no means of coercion is needed for it to be trafficking."),
            _choices(MINOR), [c for c, _label in MINOR]),
    Measure("victims.gender", _("Possible victims by gender"), _("As recorded in the case."), _choices(Gender.choices),
            [c for c, _label in Gender.choices]),
    Measure("victims.nationality", _("Possible victims by nationality"),
            _("The first nationality recorded; the ten most frequent, the rest together."), _country, top=10),
    Measure("victims.form", _("Possible victims by form of exploitation"),
            _("The forms of the case; a case can have more than one."), _forms, _form_codes),
    Measure("suspects.role", _("Possible perpetrators by role"),
            _("Their part in the exploitation, as recorded; a person can have more than one."),
            _choices(RoleInProcess.choices), [c for c, _label in RoleInProcess.choices] + [UNKNOWN]),
    Measure("referrals.partner", _("Referrals by partner"), _("To which organisation cases were referred."),
            lambda value: value),
    Measure("referrals.partner_type", _("Referrals by kind of partner"),
            _("To which kind of organisation cases were referred."), _choices(OrganisationType.choices),
            [c for c, _label in OrganisationType.choices]),
    Measure("referrals.outcome", _("Referrals by outcome"), _("Where the referrals stand now."),
            _choices(ReferralStatus.choices), [c for c, _label in ReferralStatus.choices]),
    Measure("victims.comensha", _("Possible victims registered with CoMensha"),
            _("Whether a possible victim is registered with CoMensha, which registers possible victims for the "
              "Ministry of Justice and Security."), _choices(COMENSHA), figures.TRAJECTORY["victims.comensha"]),
    Measure("victims.reflection", _("Possible victims by reflection period"),
            _("Whether a reflection period was offered, and the answer to it."),
            _choices(NOT_OFFERED + ReflectionAnswer.choices), figures.TRAJECTORY["victims.reflection"]),
    Measure("victims.cooperation", _("Possible victims by cooperation with the police"),
            _("A report to the police (aangifte), cooperation in another way, or none recorded."),
            _choices(COOPERATION), figures.TRAJECTORY["victims.cooperation"]),
    Measure("victims.shelter", _("Possible victims by kind of shelter"),
            _("The kind of shelter a possible victim was placed in; someone placed in both kinds is counted once, "
              "in the row for both."),
            _choices(ShelterKind.choices + NO_SHELTER), figures.TRAJECTORY["victims.shelter"]),
    Measure("victims.sector", _("Possible victims of labour exploitation by sector"),
            _("Only cases with labour exploitation among their forms; the sectors are the sections of ISIC, as in "
              "HTCDS 2.0."), _choices(LabourSector.choices), figures.TRAJECTORY["victims.sector"]),
    Measure("victims.border", _("Possible victims: within the Netherlands or across a border"),
            _("Whether the exploitation crossed a border: recruited and exploited in the Netherlands, or across a "
              "border."), _choices(Border.choices), figures.TRAJECTORY["victims.border"]),
]}  # fmt: skip
# Each record counts once in these: their municipality totals are the family's own table (see Measure.margin).
MARGINS = {"reports.channel": "reports", "reports.reporter_role": "reports", "reports.residence": "reports",
           "consultations.asker": "consultations", "consultations.topic": "consultations",
           "victims.age_band": "victims", "victims.minor": "victims", "victims.gender": "victims",
           "victims.nationality": "victims", "referrals.partner": "referrals",
           "referrals.partner_type": "referrals", "referrals.outcome": "referrals", "victims.comensha": "victims",
           "victims.reflection": "victims", "victims.cooperation": "victims", "victims.border": "victims",
           "victims.shelter": "victims"}  # fmt: skip
MEASURES = {code: replace(m, margin=MARGINS.get(code)) for code, m in MEASURES.items()}
MEASURES["consultations.field"] = replace(
    MEASURES["consultations.field"], total_of=("consultations.asker", "professional")
)
MEASURES["reports.residence"] = replace(MEASURES["reports.residence"], rest="")
MEASURES["reports.form"] = replace(MEASURES["reports.form"], within="reports")
MEASURES["victims.form"] = replace(MEASURES["victims.form"], within="victims")
MEASURES["victims.gender"] = replace(MEASURES["victims.gender"], rest=Gender.UNKNOWN)
# The possible victims of labour exploitation by sector add up to the labour row of the victims' forms.
MEASURES["victims.sector"] = replace(MEASURES["victims.sector"], total_of=("victims.form", "labour"))
# Where every possible victim has one of the values, the last one holds what none of them does.
for _code, _rest in (("victims.comensha", "not_registered"), ("victims.reflection", "not_offered"),
                     ("victims.cooperation", "none"), ("victims.shelter", "none")):  # fmt: skip
    MEASURES[_code] = replace(MEASURES[_code], rest=_rest)
# The region's tables a release publishes by value, each in its fixed order (publication.py); the age bands, "minor",
# nationality and the four groups are published together as one programme, the funnel and lead times apart.
# A table whose total is a row of another (Measure.total_of) comes after it.
PUBLISHED = ["reports.channel", "reports.reporter_role", "reports.form", "reports.residence", "consultations.asker",
             "consultations.field", "consultations.topic", "victims.gender", "victims.form", "victims.comensha",
             "victims.reflection", "victims.cooperation", "victims.shelter", "victims.sector", "victims.border",
             "suspects.role", "referrals.partner_type", "referrals.outcome"]  # fmt: skip
LEAD_TIMES = [("days.triage", _("From receipt to triage")), ("days.feedback", _("From receipt to feedback")),
              ("days.case", _("From receipt to a case"))]  # fmt: skip


_RECENT: dict[str, tuple[float, Any]] = {}


def _recent(key: str, compute: Callable[[], Any]) -> Any:
    """What `compute` gave less than a second ago, else computed now: a page asks the same for every table and
    every row (the figures' version, the municipalities' names)."""
    until, value = _RECENT.get(key, (0.0, None))
    if until < time.monotonic():
        value = compute()
        _RECENT[key] = (time.monotonic() + 1, value)
    return value


def _order(measure: Measure) -> list[str] | None:
    return measure.order() if callable(measure.order) else measure.order


def _values(measure: Measure, counts: Counter[str]) -> list[str]:
    order = _order(measure)
    if order is not None:
        return order + [v for v in counts if v not in order]
    return [v for v, _n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def published_values(code: str) -> list[str]:
    """The rows of a published table: every value in its fixed order, whether counted or not, and the row for what
    no other row holds."""
    measure = MEASURES[code]
    order = _order(measure)
    assert order is not None, f"{code} has no fixed order and cannot be published"
    return order if measure.rest in order else [*order, measure.rest]


def _rows_of(measure: Measure, counts: Counter[str]) -> list[tuple[str, str]]:
    """(value key, label) in order; with a top, the rest are one key "other"."""
    values = _values(measure, counts)
    if measure.top is not None and len(values) > measure.top:
        return [(v, measure.label(v)) for v in values[: measure.top]] + [("__other__", str(_("Other")))]
    return [(v, measure.label(v)) for v in values]


def _grouped(measure: Measure, keys: list[tuple[str, str]], value: str) -> str:
    known = {k for k, _label in keys}
    return value if value in known else "__other__"


@dataclass
class Shown:
    """A table as a page or an export shows it: rows of (label, shown count, count), the total, and whether the
    counts are exact (not for publication) or as published."""

    code: str
    title: str
    caption: str
    rows: list[dict[str, Any]]
    total: dict[str, Any]
    exact: bool
    columns: list[str]


REPORTS = Measure(
    "reports", _("Reports by month"), _("By the month they were received."), lambda value: value, [""], margin="reports"
)


def _months(start: date, end: date) -> list[str]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(f"{day:%Y-%m}")
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def _matrix_for(
    measure: Measure, start: date, end: date, *, by_month: bool = False
) -> tuple[list[tuple[str, str]], list[str], list[list[int]]]:
    """The table of every municipality (rows; "" first: outside the region or not known) by value or month
    (columns): the keys with their labels, the municipalities' codes, and the counts."""
    cells = figures.cells(measure.code, start, end, by_month=by_month)
    region: Counter[str] = Counter()
    for (_place, value), count in cells.items():
        region[value] += count
    keys = [(m, m) for m in _months(start, end)] if by_month else _rows_of(measure, region)
    places = ["", *sorted(municipality_names())]
    matrix = [[0] * len(keys) for _p in places]
    column = {k: i for i, (k, _label) in enumerate(keys)}
    row = {p: i for i, p in enumerate(places)}
    for (place, value), count in cells.items():
        matrix[row.get(place, 0)][column[_grouped(measure, keys, value)]] += count
    return keys, places, matrix


def table(code: str, start: date, end: date, *, municipality: str | None = None, by_month: bool = False) -> Shown:
    """One measure for the period with its exact counts: for the region, or for one municipality (where it happens)
    beside the region; by value, or (by_month) by month. Inside the centre only."""
    measure = REPORTS if code == "reports" else MEASURES[code]
    keys, places, matrix = _matrix_for(measure, start, end, by_month=by_month)
    columns = [str(_("Region"))]
    if municipality is not None:
        columns.insert(0, _municipality(municipality))
    r = places.index(municipality) if municipality in places else None

    def cells(counts: list[int]) -> list[dict[str, Any]]:
        own = [sum(counts[i] for i in ([r] if r is not None else []))] if municipality is not None else []
        return [{"shown": str(n), "count": n} for n in [*own, sum(counts)]]

    rows = []
    for c, (_key, label) in enumerate(keys):
        shown = cells([row[c] for row in matrix])
        rows.append({"label": label, "cells": shown, "level": 0, **shown[0]})
    total = cells([sum(row) for row in matrix])
    return Shown(code, str(measure.title), str(measure.caption), rows, {"cells": total, **total[0]}, True, columns)


def by_month(start: date, end: date, *, municipality: str | None = None) -> list[dict[str, Any]]:
    """Reports per month in the period, for the region or one municipality."""
    return table("reports", start, end, municipality=municipality, by_month=True).rows


def by_municipality(start: date, end: date) -> list[dict[str, Any]]:
    """Reports per municipality where it happens, by name, then outside the region or not known."""
    _keys, places, matrix = _matrix_for(REPORTS, start, end)
    counts = {place: matrix[r][0] for r, place in enumerate(places)}
    return [{"label": _municipality(place), "shown": str(counts.get(place, 0)), "count": counts.get(place, 0)}
            for place in municipality_codes()]  # fmt: skip


def funnel(start: date, end: date, *, municipality: str | None = None) -> dict[str, Any]:
    """From report to closed case, and how many reporters heard back."""
    counts = figures.counted("funnel", start, end, municipality=municipality)
    reported = counts["reported"]
    share = round(100 * counts["feedback"] / reported) if reported else None
    rows = [{"label": str(label), "shown": str(counts[code]), "count": counts[code]} for code, label in FUNNEL]
    return {"rows": rows, "feedback": counts["feedback"], "reported": reported, "share": share}


def percentile(histogram: Counter[str], share: float) -> int | None:
    """The value below which `share` of the counted days fall (the median at 0.5), from {days: count}."""
    total = sum(histogram.values())
    if not total:
        return None
    seen = 0
    for days in sorted(histogram, key=int):
        seen += histogram[days]
        if seen >= share * total:
            return int(days)
    return None


def lead_time_steps() -> list[tuple[str, str]]:
    from kenniscentrum.lib.vocabulary import CaseStatus

    return [(code, str(label)) for code, label in LEAD_TIMES] + [
        (f"days.state.{state}", str(_("Case in state: %(state)s") % {"state": label}))
        for state, label in CaseStatus.choices
    ]


# Inside the centre a median is given from five measured: below that it says more about those few than the centre.
FEWEST_FOR_MEDIAN = 5


def lead_times(start: date, end: date, *, municipality: str | None = None) -> list[dict[str, Any]]:
    """Median and 90th percentile days, with how many were measured."""
    rows = []
    for code, label in lead_time_steps():
        histogram = figures.counted(code, start, end, municipality=municipality)
        n = sum(histogram.values())
        enough = n >= FEWEST_FOR_MEDIAN
        rows.append({"label": label, "n": str(n), "median": percentile(histogram, 0.5) if enough else None,
                     "p90": percentile(histogram, 0.9) if enough else None})  # fmt: skip
    return rows


def checks(start: date, end: date) -> dict[str, list[dict[str, Any]]]:
    """Signals checks completed, by audience and by the form the result pointed to (CheckTally: counts only). Shown
    exactly everywhere: a check is anonymous use of a public page, not a record about a person."""
    audiences, forms = check_counts(start, end)
    return {
        "audiences": audience_rows(audiences),
        "forms": [{"label": _forms(f), "shown": str(n), "count": n} for f, n in forms.most_common()],
    }


def check_counts(start: date, end: date) -> tuple[Counter[str], Counter[str]]:
    """Completed signals checks of the months from `start` to `end`: by audience, and by the form pointed to."""
    audiences: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    tallies = CheckTally.objects.filter(month__gte=start.replace(day=1), month__lte=end)
    for audience, form, count in tallies.values_list("audience", "form", "count"):
        if form:
            forms[form] += count
        else:
            audiences[audience] += count
    return audiences, forms


def audience_rows(audiences: Counter[str]) -> list[dict[str, Any]]:
    label = _choices(Audience.choices)
    return [{"label": label(a), "shown": str(audiences[a]), "count": audiences[a]} for a, _l in Audience.choices]


def workload() -> dict[str, Any]:
    """What is open now: reports by state, cases by state, and open and overdue tasks per team (the organisation
    that owns the task, or the owner's organisation)."""
    today = timezone.localdate()
    # count(*), not count(id): PostgreSQL answers it from the status index without reading a million rows.
    reports = Counter(dict(Report.objects.filter(status__in=OPEN_STATES).values_list("status").annotate(n=Count("*"))))
    cases = Counter(dict(Case.objects.filter(closed_at__isnull=True).values_list("status").annotate(n=Count("*"))))
    tasks = (
        Task.objects.filter(status=TaskStatus.OPEN)
        .values("owner_organisation__name", "owner_user__organisation__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
    )
    teams: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for row in tasks:
        team = row["owner_organisation__name"] or row["owner_user__organisation__name"] or str(NOT_KNOWN)
        teams[team] += row["open"]
        overdue[team] += row["overdue"]
    from kenniscentrum.lib.vocabulary import CaseStatus

    return {
        "reports": [
            {"label": str(label), "count": reports[code]} for code, label in ReportStatus.choices if code in OPEN_STATES
        ],  # fmt: skip
        "cases": [
            {"label": str(label), "count": cases[code]}
            for code, label in CaseStatus.choices
            if code in {c for c in cases}
        ],  # fmt: skip
        "tasks": [{"label": team, "open": teams[team], "overdue": overdue[team]} for team in sorted(teams)],
    }


FAMILIES = [("reports", _("Reports")), ("victims", _("Possible victims")), ("consultations", _("Advice contacts"))]
