"""The monitor's tables: which measures there are, what their values are called, and each table for a period and a
municipality, exact (inside the centre) or as published (suppression.py, on the table of every municipality at once,
so no two publications can be set side by side to work out a hidden count)."""

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
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
from kenniscentrum.organisations.models import Municipality
from kenniscentrum.reports.models import ConsultationAsker, ConsultationTopic, ProfessionalField, Report
from kenniscentrum.reports.staff_wording import REPORTER_ROLE_FOR_STAFF
from kenniscentrum.reports.workflow import OPEN_STATES

from . import figures, suppression
from .figures import AGE_BANDS, UNKNOWN
from .models import Figure

NOT_KNOWN = _("Not known")
OUTSIDE = _("Outside the region, or not known")


def _choices(choices: Any) -> Callable[[str], str]:
    names = {str(k): str(v) for k, v in choices}
    return lambda value: names.get(value, str(NOT_KNOWN) if value in ("", UNKNOWN) else value)


def _forms(value: str) -> str:
    return _choices(exploitation_forms())(value)


def _municipality(value: str) -> str:
    return _municipality_names().get(value, str(OUTSIDE))


def _municipality_names() -> dict[str, str]:
    return _recent("municipalities", lambda: dict(Municipality.objects.values_list("cbs_code", "name")))


def _country(value: str) -> str:
    return str(NOT_KNOWN) if value in ("", UNKNOWN) else country_name(value)


FUNNEL = [("reported", _("Reported")), ("triaged", _("Triaged")), ("case", _("In a case")),
          ("referral", _("Case with a referral")), ("closed", _("Case closed"))]  # fmt: skip
MINOR = [("yes", _("Under 18")), ("no", _("18 or older")), (UNKNOWN, _("Age not known"))]
# The values of a possible victim's trajectory that are not a choice of the case file itself (figures.TRAJECTORY).
COMENSHA = [("registered", _("Registered with CoMensha")), ("not_registered", _("Not registered with CoMensha"))]
NOT_OFFERED = [("not_offered", _("No reflection period offered"))]
COOPERATION = [c for c in Cooperation.choices if c[0]] + [(figures.NONE, _("No cooperation recorded"))]
NO_SHELTER = [(figures.NONE, _("Never placed in shelter"))]


@dataclass(frozen=True)
class Measure:
    code: str
    title: Any
    caption: Any
    label: Callable[[str], str]
    # The values in this order, all shown even when zero; None: the values found, largest first.
    order: list[str] | None = None
    # Show at most this many values, the rest together as "Other".
    top: int | None = None
    # Tables in which each record counts once share their municipality totals with the family's own table
    # ("reports", "victims", "consultations"): as published, they keep its decisions on those totals, so two tables
    # side by side cannot give a hidden total away (`_published`). None: a record can count more than once.
    margin: str | None = None
    # Its total is one count of another table (professionals' fields add up to the "professional" count of who
    # asked): as published it keeps that table's decision on the count, and is withheld when it is hidden.
    total_of: tuple[str, str] | None = None


MEASURES = {m.code: m for m in [
    Measure("reports.channel", _("Reports by channel"), _("How reports reached the centre."), _choices(Channel.choices),
            [c for c, _label in Channel.choices]),
    Measure("reports.reporter_role", _("Reports by reporter"), _("Who made the report."),
            _choices(REPORTER_ROLE_FOR_STAFF.items()), list(REPORTER_ROLE_FOR_STAFF)),
    Measure("reports.form", _("Reports by form of exploitation"),
            _("The forms a report points to; a report can point to more than one, so the total counts forms."),
            _forms),
    Measure("reports.residence", _("Reports by municipality where the person lives"),
            _("Where the person it happens to lives, as far as known; this can differ from where it happens."),
            _municipality),
    Measure("consultations.asker", _("Advice contacts by who asked"), _("Questions without a report."),
            _choices(ConsultationAsker.choices), [c for c, _label in ConsultationAsker.choices]),
    Measure("consultations.field", _("Advice contacts from professionals by field"),
            _("The field of the professionals who asked."), _choices(ProfessionalField.choices)),
    Measure("consultations.topic", _("Advice contacts by topic"), _("What was asked about."),
            _choices(ConsultationTopic.choices)),
    Measure("victims.age_band", _("Possible victims by age at the start of the exploitation"),
            _("In the age bands of the CTDC global dataset."), _choices([(b, b) for _l, _h, b in AGE_BANDS]),
            [b for _l, _h, b in AGE_BANDS] + [UNKNOWN]),
    Measure("victims.minor", _("Possible victims who were minors"),
            _("Under 18 when the exploitation started: then no means of coercion is needed for it to be trafficking."),
            _choices(MINOR), [c for c, _label in MINOR]),
    Measure("victims.gender", _("Possible victims by gender"), _("As recorded in the case."), _choices(Gender.choices)),
    Measure("victims.nationality", _("Possible victims by nationality"),
            _("The first nationality recorded; the ten most frequent, the rest together."), _country, top=10),
    Measure("victims.form", _("Possible victims by form of exploitation"),
            _("The forms of the case; a case can have more than one."), _forms),
    Measure("suspects.role", _("Possible perpetrators by role"),
            _("Their part in the exploitation, as recorded; a person can have more than one."),
            _choices(RoleInProcess.choices)),
    Measure("referrals.partner", _("Referrals by partner"), _("To which organisation cases were referred."),
            lambda value: value),
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
            _("Each kind of shelter a possible victim was placed in; someone placed in two kinds counts in both, so "
              "the total can be more than the number of possible victims."),
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
           "referrals.outcome": "referrals", "victims.comensha": "victims", "victims.reflection": "victims",
           "victims.cooperation": "victims", "victims.border": "victims"}  # fmt: skip
MEASURES = {code: replace(m, margin=MARGINS.get(code)) for code, m in MEASURES.items()}
MEASURES["consultations.field"] = replace(
    MEASURES["consultations.field"], total_of=("consultations.asker", "professional")
)
# The possible victims of labour exploitation by sector add up to the labour row of the victims' forms.
MEASURES["victims.sector"] = replace(MEASURES["victims.sector"], total_of=("victims.form", "labour"))
# The tables of the municipality report, for its mayor.
MUNICIPALITY_REPORT = ["reports.channel", "reports.reporter_role", "reports.form", "victims.age_band",
                       "victims.minor", "victims.form", "consultations.asker"]  # fmt: skip
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


def version() -> str:
    """Changes whenever the figures change: the key under which published tables are kept in the cache."""

    def stamp() -> str:
        found = Figure.objects.aggregate(rows=Count("*"), at=Max("refreshed_at"), total=Sum("count"))
        return hashlib.sha256(repr(sorted(found.items())).encode()).hexdigest()[:16]

    return str(_recent("version", stamp))


def _values(measure: Measure, counts: Counter[str]) -> list[str]:
    if measure.order is not None:
        return measure.order + [v for v in counts if v not in measure.order]
    return [v for v, _n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


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
    places = ["", *sorted(_municipality_names())]
    matrix = [[0] * len(keys) for _p in places]
    column = {k: i for i, (k, _label) in enumerate(keys)}
    row = {p: i for i, p in enumerate(places)}
    for (place, value), count in cells.items():
        matrix[row.get(place, 0)][column[_grouped(measure, keys, value)]] += count
    return keys, places, matrix


def table(
    code: str, start: date, end: date, *, municipality: str | None = None, exact: bool = True, by_month: bool = False
) -> Shown:
    """One measure for the period: for the region, or for one municipality (where it happens) beside the region;
    by value, or (by_month) by month. As published, for the region only (`_published`)."""
    measure = REPORTS if code == "reports" else MEASURES[code]
    keys, places, matrix = _matrix_for(measure, start, end, by_month=by_month)
    if not exact:
        municipality = None
        matrix = [[sum(column) for column in zip(*matrix, strict=True)]] if keys else [[]]
        places = [""]
    published = suppression.Table(matrix) if exact else _published(measure, start, end, matrix, by_month=by_month)
    columns = [str(_("Region"))]
    if municipality is not None:
        columns.insert(0, _municipality(municipality))

    def shown(r: int | None, c: int | None) -> dict[str, Any]:
        position = (r, c)
        if len(keys) == 1 and c is None:  # one value: its column is the row total
            position = (r, 0)
        if not exact and r is None and c is not None:  # one row, the region: its cells are the column totals
            position = (0, c)
        return {"shown": published.shown(position), "count": published.value(position)}

    r = places.index(municipality) if municipality in places else 0
    rows = []
    for c, (_key, label) in enumerate(keys):
        cells_shown = ([shown(r, c)] if municipality is not None else []) + [shown(None, c)]
        rows.append({"label": label, "cells": cells_shown, **cells_shown[0]})
    total = ([shown(r, None)] if municipality is not None else []) + [shown(None, None)]
    return Shown(code, str(measure.title), str(measure.caption), rows, {"cells": total, **total[0]}, exact, columns)


def _suppressed(
    code: str, start: date, end: date, matrix: list[list[int]], fixed: dict[Any, str | None] | None = None
) -> suppression.Table:
    """The table of every municipality suppressed once, and kept while the figures stay the same."""
    key = f"published:{version()}:{code}:{start}:{end}:" + hashlib.sha256(repr((matrix, fixed)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        table = suppression.suppress(matrix, fixed)
        found = (table.hidden, table.withheld)
        cache.set(key, found, 24 * 60 * 60)
    return suppression.Table(matrix, dict(found[0]), withheld=found[1], fixed=set(fixed or {}))


def family(margin: str, start: date, end: date) -> suppression.Table:
    """The family's own table: its records per municipality (one column), as published."""
    total = Measure(margin, margin, "", lambda value: value, [""])
    _keys, _places, matrix = _matrix_for(total, start, end)
    return _suppressed(f"{margin}:family", start, end, matrix)


def _published(
    measure: Measure, start: date, end: date, region: list[list[int]], *, by_month: bool
) -> suppression.Table:
    """A table as published: the region's one row, suppressed. Its total is the region total of its family (the
    reports, possible victims, advice contacts or referrals of the period), published once in the family's table of
    municipalities (`family`); the row keeps that table's decision on it, and when the family hides its region
    total the row is withheld. Per municipality only the family totals are published: tables that share totals
    give, side by side, what each hides (the property test of linked tables found it), and with about 70 reports a
    year a municipality's breakdown would be "< 5" nearly everywhere."""
    code = f"{measure.code}:{by_month}:region"
    shape = suppression.Table(region)
    if measure.total_of is not None and region[0]:
        other, value = measure.total_of
        label = MEASURES[other].label(value)
        cell = next((r for r in table(other, start, end, exact=False).rows if r["label"] == label), None)
        if cell is None or not cell["shown"].isdigit():
            return suppression.Table(region, withheld=True)
        return _suppressed(code, start, end, region, {shape.row_total(0): None, (None, None): None})
    if measure.margin is None or not region[0]:
        return _suppressed(code, start, end, region)
    regional = family(measure.margin, start, end)
    grand = regional.hidden.get((None, 0)) or regional.hidden.get((None, None))
    if regional.withheld or grand:
        return suppression.Table(region, withheld=True)
    return _suppressed(code, start, end, region, {shape.row_total(0): None, (None, None): None})


def by_month(start: date, end: date, *, municipality: str | None = None, exact: bool = True) -> list[dict[str, Any]]:
    """Reports per month in the period, for the region or one municipality."""
    return table("reports", start, end, municipality=municipality, exact=exact, by_month=True).rows


def by_municipality(start: date, end: date, *, exact: bool = True) -> list[dict[str, Any]]:
    """Reports per municipality where it happens: the table of every municipality with its one column, as the
    "reports" table publishes it."""
    _keys, places, matrix = _matrix_for(REPORTS, start, end)
    published = suppression.Table(matrix) if exact else family("reports", start, end)
    names = _municipality_names()
    rows: list[dict[str, Any]] = [
        {"label": names.get(place, str(OUTSIDE)), "shown": published.shown((r, 0)), "count": matrix[r][0]}
        for r, place in enumerate(places)
    ]
    return sorted(rows[1:], key=lambda row: str(row["label"])) + rows[:1]


def funnel(start: date, end: date, *, municipality: str | None = None, exact: bool = True) -> dict[str, Any]:
    """From report to closed case. As published, a step is hidden when its count, or how many fewer it has than the
    step before, is from 1 to 4: either would be a small count."""
    counts = figures.counted("funnel", start, end, municipality=municipality)
    reported = counts["reported"]
    share = round(100 * counts["feedback"] / reported) if reported else None
    rows, before = [], None
    for code, label in FUNNEL:
        count = counts[code]
        small = 0 < count < suppression.SMALL or (before is not None and 0 < before - count < suppression.SMALL)
        shown = str(count) if exact or not small else (f"< {suppression.SMALL}" if count < suppression.SMALL else "x")
        rows.append({"label": str(label), "shown": shown, "count": count})
        before = count
    if not exact and (
        0 < counts["feedback"] < suppression.SMALL or 0 < reported - counts["feedback"] < suppression.SMALL
    ):
        share = None
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


def lead_times(start: date, end: date, *, municipality: str | None = None, exact: bool = True) -> list[dict[str, Any]]:
    """Median and 90th percentile days, with how many were measured; not given over fewer than 5 (a median of two
    reports says more about those two than about the centre). As published, fewer than 5 measured is "< 5"."""
    from kenniscentrum.lib.vocabulary import CaseStatus

    rows = []
    steps = [(code, str(label)) for code, label in LEAD_TIMES] + [
        (f"days.state.{state}", str(_("Case in state: %(state)s") % {"state": label}))
        for state, label in CaseStatus.choices
    ]
    for code, label in steps:
        histogram = figures.counted(code, start, end, municipality=municipality)
        n = sum(histogram.values())
        enough = n >= suppression.SMALL
        shown = str(n) if exact or not 0 < n < suppression.SMALL else f"< {suppression.SMALL}"
        rows.append({"label": label, "n": shown, "median": percentile(histogram, 0.5) if enough else None,
                     "p90": percentile(histogram, 0.9) if enough else None})  # fmt: skip
    return rows


def checks(start: date, end: date) -> dict[str, list[dict[str, Any]]]:
    """Signals checks completed, by audience and by the form the result pointed to (CheckTally: counts only). Shown
    exactly everywhere: a check is anonymous use of a public page, not a record about a person."""
    tallies = CheckTally.objects.filter(month__gte=start.replace(day=1), month__lte=end)
    audiences: Counter[str] = Counter()
    forms: Counter[str] = Counter()
    for audience, form, count in tallies.values_list("audience", "form", "count"):
        if form:
            forms[form] += count
        else:
            audiences[audience] += count
    label = _choices(Audience.choices)
    return {
        "audiences": [
            {"label": label(a), "shown": str(audiences[a]), "count": audiences[a]} for a, _l in Audience.choices
        ],  # fmt: skip
        "forms": [{"label": _forms(f), "shown": str(n), "count": n} for f, n in forms.most_common()],
    }


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


def family_totals(start: date, end: date, municipality: str | None) -> list[dict[str, str]]:
    """As published: the reports, possible victims and advice contacts of the period, for the municipality (where
    it happens) and the region, from the family tables of municipalities."""
    found = []
    for margin, label in FAMILIES:
        published = family(margin, start, end)
        _keys, places, _matrix = _matrix_for(Measure(margin, margin, "", lambda value: value, [""]), start, end)
        row = places.index(municipality) if municipality in places else None
        found.append({
            "label": str(label),
            "municipality": published.shown((row, 0)) if row is not None else "",
            "region": published.shown((None, 0)) if len(places) > 1 else published.shown((None, None)),
        })  # fmt: skip
    return found
