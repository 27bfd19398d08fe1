"""The publication model: what leaves the centre is the release of a completed calendar year, made once and never
changed (docs/insights.md, "The publication model").

Why: suppressing each table of each chosen period on its own is not enough. Any two overlapping periods differ by a
period nobody asked for ([Jan..May] minus [Jan..April] is May), and tables that share a count give away together
what each hides. So outside the centre there are no chosen periods: only calendar years, each published once, in a
release that is frozen and listed in the release log. Everything a release publishes that is linked is protected as
one programme (suppression.Programme): a municipality's years and its five-year total, together with every earlier
release; the age bands, "minor", nationality and the four groups; the steps from report to closed case. The layout
gives nothing away: every table has its rows in a fixed order, all of them always present, zeros hidden like any
small count. Lead times are given as a median and a 90th percentile over at least twenty, without the number.

Inside the centre the exact counts of any period remain (tables.py), marked as not for publication.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kenniscentrum.indicators.models import Audience

from . import figures, records, suppression, tables
from .figures import AGE_BANDS, UNKNOWN
from .models import Release

# A municipality's multi-year total, and the trend, cover this many years up to the release's.
WINDOW = 5
# No median or percentile over fewer: with fewer, the 90th percentile is one report's own number of days.
MIN_MEASURED = 20
# How much hiding a count costs, times its value: the region's count of a year most (the tables of the year share
# it, and are withheld when it is hidden), a municipality's count of the year more than a five-year total (what a
# mayor reads first; the five-year totals are what most often gives a hidden year away).
REGION_WEIGHT, YEAR_WEIGHT, WINDOW_WEIGHT = 100, 4, 1


def _weight(key: tuple[str, int, str | None]) -> int:
    kind, _year, place = key
    if kind == "cell":
        return REGION_WEIGHT if place is None else YEAR_WEIGHT
    return WINDOW_WEIGHT


# The families published per municipality: their totals per municipality, with the region.
FAMILIES = ["reports", "victims", "consultations"]
NATIONALITY_GROUPS = ["NL", "EU", "non_EU", UNKNOWN]
BANDS = [label for _low, _high, label in AGE_BANDS] + [UNKNOWN]
MINOR_BANDS = {label for low, _high, label in AGE_BANDS if low < 18}
# The funnel's finest counts: a report is triaged or not, came into a case or not; a case has a referral or not and
# is closed or not; and either way the reporter heard back or not. Each step is a sum of these.
FUNNEL_ATOMS = [
    (triaged, case, referral, closed, feedback)
    for feedback in (0, 1)
    for triaged, case in ((0, 0), (1, 0), (1, 1))
    for referral in ((0, 1) if case else (0,))
    for closed in ((0, 1) if case else (0,))
]
FUNNEL_STEPS = {"reported": None, "triaged": 0, "case": 1, "referral": 2, "closed": 3, "feedback": 4}
# The gaps between a step and the one it is part of: (step, part) -> (the part's position, the step's position).
FUNNEL_GAPS = {("reported", "triaged"): (0, None), ("triaged", "case"): (1, 0), ("case", "referral"): (2, 1),
               ("case", "closed"): (3, 1), ("reported", "feedback"): (4, None)}  # fmt: skip


def year_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 1)


def releases() -> list[Release]:
    return list(Release.objects.order_by("year"))


def released(year: int) -> Release | None:
    return Release.objects.filter(year=year).first()


def latest() -> Release | None:
    return Release.objects.order_by("-year").first()


def first_year_counted() -> int | None:
    """The year of the first figure: the centre counted nothing before it."""
    first = figures.Figure.objects.order_by("month").values_list("month", flat=True).first()
    return first.year if first else None


def next_releasable() -> int | None:
    """The year that may be released now: a completed year after the latest release; None when there is none."""
    this_year = timezone.localdate().year
    last = latest()
    first_counted = first_year_counted()
    if first_counted is None:
        return None
    candidate = last.year + 1 if last else first_counted
    return candidate if candidate < this_year else None


class NotReleasable(ValueError):
    pass


def make_release(year: int, actor: Any) -> Release:
    """Counts, protects and freezes the figures of `year`. Only a completed year, after the latest release (later
    years build on earlier ones); a year is released once."""
    this_year = timezone.localdate().year
    if year >= this_year:
        raise NotReleasable(_("Only a year that has ended can be published."))
    with transaction.atomic():
        _one_at_a_time()
        earlier = list(Release.objects.order_by("year"))
        if any(r.year >= year for r in earlier):
            raise NotReleasable(
                _("This year, or a later one, has been published already: a release is never made again.")
            )
        exact = _exact(year, earlier)
        published = _published(year, exact, earlier)
        record_file = records.record_release(year)
        # Of what is published only: the record file stays inside the centre, and its exact counts (how many
        # possible victims, how many left out) would be found by trying every number against a digest of both.
        digest = hashlib.sha256(json.dumps(published, sort_keys=True).encode()).hexdigest()
        try:
            with transaction.atomic():
                return Release.objects.create(year=year, made_by=actor, published=published, exact=exact,
                                              records=record_file, digest=digest)  # fmt: skip
        except IntegrityError as error:  # two at once: the other one was first
            raise NotReleasable(_("This year has been published already.")) from error


# Any fixed number: the key of the lock that makes releases one at a time.
RELEASE_LOCK = 2025_12_07


def _one_at_a_time() -> None:
    """Releases are made one at a time, so each is built on every release before it: without this, 2025 could be
    made while 2024 is being made, from a state without it. PostgreSQL's advisory lock holds until the transaction
    ends; SQLite (a single writer, for development) needs none."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RELEASE_LOCK])


# The exact counts a release is made from --------------------------------------------------------------------------


def _places() -> list[str]:
    return ["", *sorted(tables.municipality_names())]


def _family_year(family: str, year: int) -> dict[str, int]:
    start, end = year_period(year)
    found = {place: 0 for place in _places()}
    for (place, _value), count in figures.cells(family, start, end).items():
        found[place if place in found else ""] += count
    return found


def _exact(year: int, earlier: list[Release]) -> dict[str, Any]:
    """The counts of the year, and of the years its five-year totals cover: a year counted in an earlier release
    keeps the numbers that release used."""
    start, end = year_period(year)
    families: dict[str, dict[str, dict[str, int]]] = {}
    for family in FAMILIES:
        families[family] = {}
        for y in range(year - WINDOW + 1, year + 1):
            kept = next((r.exact["families"][family][str(y)] for r in earlier
                         if str(y) in r.exact["families"].get(family, {})), None)  # fmt: skip
            families[family][str(y)] = kept if kept is not None else _family_year(family, y)
    joined = [f"{first}+{second}" for first, second in figures.JOINED]
    region_tables = {code: dict(figures.counted(code, start, end)) for code in [*tables.PUBLISHED, *joined]}
    return {
        "families": families,
        "tables": region_tables,
        "victims": dict(figures.counted("victims.nat_age", start, end)),
        "funnel": dict(figures.counted("funnel", start, end)),
        "lead_times": {code: dict(figures.counted(code, start, end)) for code, _label in tables.lead_time_steps()},
    }


# What a release publishes ---------------------------------------------------------------------------------------


def _state(shown: str) -> dict[str, Any]:
    """An earlier release's published text as what the reader knows of it."""
    if shown == suppression.WITHHELD:
        return {"withheld": True}
    if shown == "x":
        return {"hidden": suppression.SECONDARY}
    if shown.startswith("<"):
        return {"hidden": suppression.PRIMARY}
    return {}


def _family_programme(family: str, year: int, exact: dict[str, Any], earlier: list[Release]) -> dict[str, Any]:
    """The family's counts per municipality for the year, and each municipality's total over the five years up to
    it, protected together with what every earlier release published of the same family."""
    places = _places()
    first = min([r.year for r in earlier] + [year]) - WINDOW + 1
    years = list(range(first, year + 1))
    atom = {(p, y): i for i, (p, y) in enumerate((p, y) for p in places for y in years)}

    def atoms_value(y: int, place: str, source: dict[str, Any]) -> int:
        return int(source["families"][family].get(str(y), {}).get(place, 0))

    programme = suppression.Programme(len(atom))
    # Nothing was counted before the centre began, and when it began is known: a reader takes those years as zero
    # and subtracts two five-year totals to a year's count. So they are known here too.
    began = first_year_counted() or year
    for place in places:
        for y in range(first, min(began, year + 1)):
            programme.add(("before", y, place), [atom[(place, y)]], 0, fixed=True)
    for release in [*earlier, None]:
        r_year = release.year if release else year
        source = release.exact if release else exact
        shown = release.published["families"][family] if release else None
        window = range(r_year - WINDOW + 1, r_year + 1)
        entries: list[tuple[Any, list[int], int, Any]] = []
        for place in places:
            entries.append((("cell", r_year, place), [atom[(place, r_year)]], atoms_value(r_year, place, source),
                            shown["cells"].get(place) if shown else None))  # fmt: skip
            entries.append((("window", r_year, place), [atom[(place, y)] for y in window if (place, y) in atom],
                            sum(atoms_value(y, place, source) for y in window),
                            shown["window"].get(place) if shown else None))  # fmt: skip
        entries.append(
            (
                ("cell", r_year, None),
                [atom[(p, r_year)] for p in places],
                sum(atoms_value(r_year, p, source) for p in places),
                shown["region"] if shown else None,
            )
        )
        entries.append((("window", r_year, None), [atom[(p, y)] for p in places for y in window if (p, y) in atom],
                        sum(atoms_value(y, p, source) for p in places for y in window),
                        shown["window_region"] if shown else None))  # fmt: skip
        for key, atoms, value, before in entries:
            if release is not None and before is None:  # a municipality that release did not know: not published
                continue
            if before is None:
                programme.add(key, atoms, value, weight=_weight(key))  # the region's count of the year last
            else:
                programme.add(key, atoms, value, fixed=True, **_state(before))
    suppression.protect(programme)
    mine = {item.key: item.shown() for item in programme.items if not item.fixed}
    return {
        "cells": {p: mine[("cell", year, p)] for p in places},
        "region": mine[("cell", year, None)],
        "window": {p: mine[("window", year, p)] for p in places},
        "window_region": mine[("window", year, None)],
    }


def _one_way(code: str, counts: dict[str, int], total: str | None, family: int | None) -> dict[str, Any]:
    """A table of the region by value, rows in the measure's fixed order. `total`: the family total it shares, as
    published (its decision is kept; a hidden one withholds the table), and `family` its exact value; None: the
    table's own total. What the rows do not hold of the family total (a value outside the list, a record without
    the field) is in the row for "not known", so rows and total always agree."""
    rows, rest = tables.published_values(code), tables.MEASURES[code].rest
    cells = Counter[str]()
    for value, count in counts.items():
        cells[value if value in rows else rest] += int(count)
    if family is not None and family > sum(cells.values()):
        cells[rest] += family - sum(cells.values())
    if total is not None and _state(total):
        return {"rows": [[v, suppression.WITHHELD] for v in rows], "total": suppression.WITHHELD}
    programme = suppression.Programme(len(rows))
    for i, value in enumerate(rows):
        programme.add(value, [i], cells[value])
    programme.add("total", range(len(rows)), sum(cells.values()), fixed=total is not None)
    suppression.protect(programme)
    return {"rows": [[v, programme.item(v).shown()] for v in rows], "total": programme.item("total").shown()}


def _pair(first: str, second: str, joint: dict[str, int], total: str, family: int) -> dict[str, dict[str, Any]]:
    """Two tables of the possible victims that depend on each other (CoMensha and shelter; reflection period and
    cooperation), protected as one programme over their joint counts. A joint count that is zero is taken as known
    to the reader, as the rules make most of them (no categorical shelter without CoMensha, no cooperation recorded
    without a reflection period): what such a reader can work out is what is checked."""
    rows = {code: tables.published_values(code) for code in (first, second)}
    rests = {code: tables.MEASURES[code].rest for code in (first, second)}
    pairs = [(a, b) for a in rows[first] for b in rows[second]]
    index = {pair: i for i, pair in enumerate(pairs)}
    cells = Counter[tuple[str, str]]()
    for value, count in joint.items():
        a, _sep, b = value.partition("|")
        cells[(a if a in rows[first] else rests[first], b if b in rows[second] else rests[second])] += int(count)
    if family > sum(cells.values()):  # counted before the pair was: taken as neither
        cells[(rests[first], rests[second])] += family - sum(cells.values())
    withheld = {code: {"rows": [[v, suppression.WITHHELD] for v in rows[code]], "total": suppression.WITHHELD}
                for code in (first, second)}  # fmt: skip
    if _state(total):
        return withheld
    programme = suppression.Programme(len(pairs))
    programme.add("total", range(len(pairs)), sum(cells.values()), fixed=True)
    for code, axis in ((first, 0), (second, 1)):
        for value in rows[code]:
            atoms = [i for pair, i in index.items() if pair[axis] == value]
            programme.add((code, value), atoms, sum(cells[p] for p in pairs if p[axis] == value))
    for pair, i in index.items():
        if not cells[pair]:
            programme.add(("zero", pair), [i], 0, fixed=True)
    suppression.protect(programme)
    total_shown = programme.item("total").shown()
    return {code: {"rows": [[v, programme.item((code, v)).shown()] for v in rows[code]], "total": total_shown}
            for code in (first, second)}  # fmt: skip


def _victims_programme(counts: dict[str, int], total: str, family: int) -> dict[str, Any]:
    """Age bands, "minor" and "adult", nationality groups and the four groups (Dutch or not, minor or adult): all sums
    of one table of nationality group by age band, protected as one. Victims counted without it (figures kept from
    before it was counted) are in "not known" on both sides."""
    index = {(n, b): i for i, (n, b) in enumerate((n, b) for n in NATIONALITY_GROUPS for b in BANDS)}
    joint = Counter[tuple[str, str]]()
    for value, count in counts.items():
        nationality, _sep, band = value.partition("|")
        key = (nationality if nationality in NATIONALITY_GROUPS else UNKNOWN, band if band in BANDS else UNKNOWN)
        joint[key] += int(count)
    if family > sum(joint.values()):
        joint[(UNKNOWN, UNKNOWN)] += family - sum(joint.values())
    ages = {"minor": MINOR_BANDS, "adult": set(BANDS) - MINOR_BANDS - {UNKNOWN}, UNKNOWN: {UNKNOWN}}
    nationalities = {"NL": {"NL"}, "not_NL": {"EU", "non_EU"}, UNKNOWN: {UNKNOWN}}
    programme = suppression.Programme(len(index))

    def add(key: Any, nationality: set[str], bands: set[str], **extra: Any) -> None:
        atoms = [i for (n, b), i in index.items() if n in nationality and b in bands]
        programme.add(key, atoms, sum(joint[(n, b)] for (n, b) in index if n in nationality and b in bands), **extra)

    everyone, all_bands = set(NATIONALITY_GROUPS), set(BANDS)
    add("total", everyone, all_bands, fixed=True)
    for band in BANDS:
        add(("age", band), everyone, {band})
    for group in ("minor", "adult"):
        add(("age", group), everyone, ages[group])
    for nationality in NATIONALITY_GROUPS:
        add(("nationality", nationality), {nationality}, all_bands)
    add(("nationality", "not_NL"), nationalities["not_NL"], all_bands)
    for n, members in nationalities.items():
        for a, bands in ages.items():
            add(("groups", f"{n}|{a}"), members, bands)
    if _state(total):  # the family hides its region total: nothing of what it consists of is published
        for item in programme.items:
            item.withheld = True
    else:
        suppression.protect(programme)
    shown = {item.key: item.shown() for item in programme.items}
    return {
        "age": {b: shown[("age", b)] for b in [*BANDS, "minor", "adult"]},
        "nationality": {n: shown[("nationality", n)] for n in [*NATIONALITY_GROUPS, "not_NL"]},
        "groups": {f"{n}|{a}": shown[("groups", f"{n}|{a}")] for n in nationalities for a in ages},
        "by_nationality": {
            "NL": shown[("nationality", "NL")],
            "not_NL": shown[("nationality", "not_NL")],
            UNKNOWN: shown[("nationality", UNKNOWN)],
        },
        "by_age": {
            "minor": shown[("age", "minor")],
            "adult": shown[("age", "adult")],
            UNKNOWN: shown[("age", UNKNOWN)],
        },
        "total": shown["total"],
    }


def _funnel_programme(counts: dict[str, int], total: str, reported: int) -> dict[str, Any]:
    """The steps from report to closed case, and how many reporters heard back: sums of one set of finest counts,
    protected as one, the number of reports keeping the family's decision."""
    steps = list(FUNNEL_STEPS)
    if _state(total):
        return {"rows": [[s, suppression.WITHHELD] for s in steps], "share": None}
    programme = suppression.Programme(len(FUNNEL_ATOMS))
    values = {}
    for step, position in FUNNEL_STEPS.items():
        atoms = [i for i, atom in enumerate(FUNNEL_ATOMS) if position is None or atom[position]]
        values[step] = reported if step == "reported" else int(counts.get(step, 0))
        programme.add(step, atoms, values[step], fixed=step == "reported")
    # What lies between two steps is a count of reports too ("2 not triaged"), though no row shows it: when it is
    # below five, zero included, it must not come out of the two steps either. Not published, so taken as "< 5".
    for (whole, part), (position, among) in FUNNEL_GAPS.items():
        gap = values[whole] - values[part]
        if 0 <= gap and suppression.small(gap):
            atoms = [i for i, atom in enumerate(FUNNEL_ATOMS) if (among is None or atom[among]) and not atom[position]]
            programme.add(("gap", whole, part), atoms, gap, hidden=suppression.PRIMARY)
    suppression.protect(programme)
    rows = [[s, programme.item(s).shown()] for s in steps]
    heard = programme.item("feedback")
    share = None
    if heard.hidden is None and not heard.withheld and reported:
        share = round(100 * heard.value / reported)
    return {"rows": rows, "share": share}


def _checks(year: int) -> list[list[Any]]:
    audiences, _forms = tables.check_counts(*year_period(year))
    return [[code, audiences[code]] for code, _label in Audience.choices]


def checks_rows(release: Release) -> list[dict[str, Any]]:
    return tables.audience_rows(Counter(dict(release.published.get("checks", []))))


def _lead_times(histograms: dict[str, dict[str, int]]) -> list[list[Any]]:
    """Per step: the median and the 90th percentile of days, when at least MIN_MEASURED were measured; the number
    measured is not published (beside the funnel it would be a step's count)."""
    found = []
    for code, _label in tables.lead_time_steps():
        histogram = Counter({k: int(v) for k, v in histograms.get(code, {}).items()})
        enough = sum(histogram.values()) >= MIN_MEASURED
        found.append([code, tables.percentile(histogram, 0.5) if enough else None,
                      tables.percentile(histogram, 0.9) if enough else None])  # fmt: skip
    return found


def _published(year: int, exact: dict[str, Any], earlier: list[Release]) -> dict[str, Any]:
    families = {family: _family_programme(family, year, exact, earlier) for family in FAMILIES}
    # Each family's region total as published, and its exact value: the tables in which each record counts once
    # share it. A family not published per municipality (referrals) takes the first of its tables' decision.
    shared: dict[str, tuple[str, int]] = {
        family: (families[family]["region"], sum(exact["families"][family][str(year)].values())) for family in FAMILIES
    }
    region_tables: dict[str, dict[str, Any]] = {}
    for first, second in figures.JOINED:
        region_tables.update(_pair(first, second, exact["tables"].get(f"{first}+{second}", {}), *shared["victims"]))
    for code in tables.PUBLISHED:
        if code in region_tables:
            continue
        measure = tables.MEASURES[code]
        counts = exact["tables"].get(code, {})
        total, family = shared.get(measure.margin or "", (None, None))
        if measure.total_of is not None:
            other, value = measure.total_of
            total = dict(region_tables[other]["rows"]).get(value, suppression.WITHHELD)
            family = int(exact["tables"].get(other, {}).get(value, 0))
        if measure.within and _state(shared[measure.within][0]):
            # Counted at least once per record of a family whose total is hidden: its total would give that away.
            total = suppression.WITHHELD
        region_tables[code] = _one_way(code, counts, total, family)
        if measure.margin and measure.margin not in shared:
            shared[measure.margin] = (region_tables[code]["total"], sum(int(n) for n in counts.values()))
    return {
        "year": year,
        "families": families,
        "tables": {code: region_tables[code] for code in tables.PUBLISHED},
        "victims": _victims_programme(exact["victims"], *shared["victims"]),
        "funnel": _funnel_programme(exact["funnel"], *shared["reports"]),
        "lead_times": _lead_times(exact["lead_times"]),
        # Completed signals checks: anonymous use of a public page, not a record about a person, so exact.
        "checks": _checks(year),
    }


# Reading a release ----------------------------------------------------------------------------------------------


@dataclass
class Trend:
    years: list[int]
    rows: list[dict[str, Any]]


def trend(release: Release, place: str | None = None) -> Trend:
    """The families over the five years up to the release, each year as its own release published it ("–" for a
    year without a release); for a municipality, its own counts and its five-year total beside the region's."""
    years = list(range(release.year - WINDOW + 1, release.year + 1))
    by_year = {r.year: r for r in Release.objects.filter(year__in=years)}
    rows = []
    for family, label in tables.FAMILIES:
        if family not in FAMILIES:
            continue
        own = release.published["families"][family]
        cells = [_cell(by_year.get(y), family, place) for y in years]
        rows.append({"family": family, "label": str(label), "years": cells,
                     "window": own["window"].get(place, "–") if place is not None else own["window_region"],
                     "region": own["region"], "window_region": own["window_region"]})  # fmt: skip
    return Trend(years, rows)


def _cell(release: Release | None, family: str, place: str | None) -> str:
    if release is None:
        return "–"
    found = release.published["families"][family]
    return str(found["cells"].get(place, "–") if place is not None else found["region"])


def shown_table(release: Release, code: str) -> tables.Shown:
    """A published table of the release as pages and exports show it, with labels in the reader's language."""
    measure = tables.MEASURES[code]
    found = release.published["tables"][code]
    rows = [_row(measure.label(value), shown) for value, shown in found["rows"]]
    return tables.Shown(code, str(measure.title), str(measure.caption), rows, _row(_("Total"), found["total"]),
                        False, [str(_("Region"))])  # fmt: skip


def _row(label: Any, shown: str, level: int = 0) -> dict[str, Any]:
    count = int(shown) if shown.isdigit() else None
    cell = {"shown": shown, "count": count}
    return {"label": str(label), "cells": [cell], "level": level, **cell}


def victims_tables(release: Release) -> list[tables.Shown]:
    """The age bands under "minor" and "adult", nationality, and the four groups, as published."""
    v = release.published["victims"]
    age_rows = [_row(_("Minors (under 18)"), v["age"]["minor"])]
    age_rows += [_row(tables.age_label(b), v["age"][b], 1) for b in BANDS if b in MINOR_BANDS]
    age_rows += [_row(_("Adults (18 or older)"), v["age"]["adult"])]
    age_rows += [_row(tables.age_label(b), v["age"][b], 1) for b in BANDS if b not in MINOR_BANDS and b != UNKNOWN]
    age_rows += [_row(_("Age not known"), v["age"][UNKNOWN])]
    nationality_rows = [
        _row(_("Dutch"), v["nationality"]["NL"]),
        _row(_("Not Dutch"), v["nationality"]["not_NL"]),
        _row(_("Another EU country"), v["nationality"]["EU"], 1),
        _row(_("Outside the EU"), v["nationality"]["non_EU"], 1),
        _row(_("Nationality not known"), v["nationality"][UNKNOWN]),
    ]
    total = _row(_("Total"), v["total"])
    age = tables.Shown("victims.age", _("Possible victims by age at the start of the exploitation"),
                       _("Under 18 when the exploitation started, no means of coercion is needed for it to be "
                         "trafficking. In the age bands of the CTDC global dataset."), age_rows, total, False,
                       [str(_("Region"))])  # fmt: skip
    nationality = tables.Shown("victims.nationality_group", _("Possible victims by nationality"),
                               _("The first nationality recorded."), nationality_rows, total, False,
                               [str(_("Region"))])  # fmt: skip
    columns = [str(_("Minors")), str(_("Adults")), str(_("Age not known")), str(_("Total"))]
    group_rows = []
    for n, label in (("NL", _("Dutch")), ("not_NL", _("Not Dutch")), (UNKNOWN, _("Nationality not known"))):
        cells = [v["groups"][f"{n}|{a}"] for a in ("minor", "adult", UNKNOWN)] + [v["by_nationality"][n]]
        group_rows.append({"label": str(label), "cells": [{"shown": s, "count": None} for s in cells], "level": 0,
                           "shown": cells[-1], "count": None})  # fmt: skip
    totals = [v["by_age"][a] for a in ("minor", "adult", UNKNOWN)] + [v["total"]]
    groups = tables.Shown("victims.groups", _("The four groups: Dutch or not, minor or adult"),
                          _("As the National Rapporteur reports them; age at the start of the exploitation."),
                          group_rows, {"cells": [{"shown": s} for s in totals], "shown": totals[-1]}, False,
                          columns)  # fmt: skip
    return [groups, age, nationality]


def funnel_rows(release: Release) -> dict[str, Any]:
    labels = dict(tables.FUNNEL) | {"feedback": _("Reporter heard back")}
    found = release.published["funnel"]
    return {"rows": [_row(labels[step], shown) for step, shown in found["rows"]], "share": found["share"]}


def lead_time_rows(release: Release) -> list[dict[str, Any]]:
    labels = dict(tables.lead_time_steps())
    return [{"label": str(labels.get(code, code)), "median": median, "p90": p90}
            for code, median, p90 in release.published["lead_times"]]  # fmt: skip


def municipalities_table(release: Release) -> tables.Shown:
    """The families per municipality where it happens: the year, and the five years up to it together."""
    families = release.published["families"]
    names = tables.municipality_names()
    labels = dict(tables.FAMILIES)
    columns = []
    for family in FAMILIES:
        columns += [f"{labels[family]} {release.year}",
                    str(_("%(family)s %(first)s-%(last)s") % {"family": labels[family],
                                                              "first": release.year - WINDOW + 1,
                                                              "last": release.year})]  # fmt: skip

    def line(label: str, cells: list[str], code: str | None = None) -> dict[str, Any]:
        return {"label": label, "code": code, "level": 0, "cells": [{"shown": c, "count": None} for c in cells],
                "shown": cells[-1], "count": None}  # fmt: skip

    def of(code: str) -> list[str]:
        return [
            v for f in FAMILIES for v in (families[f]["cells"].get(code, "–"), families[f]["window"].get(code, "–"))
        ]

    rows = [line(names.get(code, str(tables.OUTSIDE)), of(code), code) for code in tables.municipality_codes()]
    total = line(str(_("Region")), [v for f in FAMILIES for v in (families[f]["region"], families[f]["window_region"])])
    return tables.Shown("municipalities", str(_("Per municipality where it happens")),
                        str(_("Each municipality's count of the year, and of the five years up to it together.")),
                        rows, total, False, columns)  # fmt: skip


def published_tables(release: Release) -> list[tables.Shown]:
    """Every table a release publishes, as the exports and the API give them."""
    return [municipalities_table(release), *victims_tables(release),
            *[shown_table(release, code) for code in release.published["tables"]]]  # fmt: skip
