"""Safe publication: from a published table's cells and totals, no hidden count can be worked out.

The check here solves for each hidden count on its own terms (an integer programme over every position of the
table, shown ones fixed), not with the code under test: what someone trying to recover a count would do."""

from collections.abc import Iterable

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from kenniscentrum.insights.suppression import PRIMARY, SMALL, Table, suppress

# Mostly small counts and zeros, as in a region with about 70 reports a year.
COUNTS = st.sampled_from([0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 12, 30])


def published_view(table: Table) -> tuple[list[tuple], dict[tuple, tuple[int, float]]]:
    """Every position with what the reader knows of it: its value when shown; when hidden, 1 to 4 for "< 5" and
    5 or more for "x"."""
    rows, columns = len(table.cells), len(table.cells[0])
    positions = [(r, c) for r in range(rows) for c in range(columns)]
    positions += [(r, None) for r in range(rows)] + [(None, c) for c in range(columns)] + [(None, None)]
    known = {}
    for p in positions:
        if p not in table.hidden and p in table.positions():
            known[p] = (table.value(p), table.value(p))
        elif p in table.hidden:
            known[p] = (0, SMALL - 1) if table.hidden[p] == PRIMARY else (SMALL, 10**6)
        else:  # a total the table does not publish on its own (one row or one column): only the sums say it
            known[p] = (0, 10**6)
    return positions, known


def extremes(table: Table, position: tuple) -> tuple[float, float]:
    positions, known = published_view(table)
    index = {p: i for i, p in enumerate(positions)}
    rows, columns = len(table.cells), len(table.cells[0])
    sums = []
    for r in range(rows):
        sums.append(((r, None), [(r, c) for c in range(columns)]))
    for c in range(columns):
        sums.append(((None, c), [(r, c) for r in range(rows)]))
    sums.append(((None, None), [(r, None) for r in range(rows)]))
    matrix = []
    for total, parts in sums:
        line = np.zeros(len(positions))
        line[index[total]] = -1
        for part in parts:
            line[index[part]] += 1
        matrix.append(line)
    objective = np.zeros(len(positions))
    objective[index[position]] = 1
    low, high = ([known[p][0] for p in positions], [known[p][1] for p in positions])
    found = []
    for sign in (1, -1):
        result = milp(sign * objective, constraints=LinearConstraint(np.array(matrix), 0, 0),
                      bounds=Bounds(low, high), integrality=np.ones(len(positions)))  # fmt: skip
        assert result.success
        found.append(sign * result.fun)
    return found[0], found[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4).flatmap(lambda rows: st.lists(st.lists(COUNTS, min_size=1, max_size=5).map(tuple),
                                                        min_size=rows, max_size=rows)))  # fmt: skip
def test_no_hidden_count_can_be_worked_out_from_a_published_table(rows) -> None:
    width = min(len(r) for r in rows)
    cells = [list(r[:width]) for r in rows]
    table = suppress(cells)
    if table.withheld:  # nothing of it is published
        assert {table.shown(p) for p in table.positions()} == {"."}
        return
    for position in table.positions():
        value = table.value(position)
        if value < SMALL:
            assert table.hidden.get(position) == PRIMARY, (cells, position)
        if position not in table.hidden:
            assert value >= SMALL or position not in table.positions()
    for position in table.hidden:
        low, high = extremes(table, position)
        assert low < high, (cells, table.hidden, position, low, high)


def test_a_small_count_beside_its_total_takes_a_second_count_with_it() -> None:
    table = suppress([[3, 10, 0, 12]])
    assert table.shown((0, 0)) == "< 5" and table.shown((0, 2)) == "< 5"  # 3 and 0 alike
    # Two counts below five: 25 - 10 - 12 = 3 is their sum, which does not say either. A lone one takes another.
    assert table.shown((0, 1)) == "10" and table.shown((0, 3)) == "12" and table.shown((None, None)) == "25"
    alone = suppress([[3, 10, 5, 12]])
    assert alone.shown((0, 0)) == "< 5" and alone.shown((0, 2)) == "x"


def test_small_counts_and_zeros_alike_are_below_five() -> None:
    table = suppress([[1], [1], [1], [1]])  # were zeros shown, four "< 5" with a total below five would be ones
    assert not table.withheld and {table.shown(p) for p in table.positions()} == {"< 5"}


def test_a_table_without_small_counts_is_published_whole() -> None:
    table = suppress([[5, 10], [6, 7]])
    assert table.hidden == {}


def _positions(cells: list[list[int]]) -> list[tuple]:
    rows, columns = len(cells), len(cells[0])
    return ([(r, c) for r in range(rows) for c in range(columns)] + [(r, None) for r in range(rows)]
            + [(None, c) for c in range(columns)] + [(None, None)])  # fmt: skip


def _sums(cells: list[list[int]]) -> list[tuple[tuple, list[tuple]]]:
    rows, columns = len(cells), len(cells[0])
    found = [((r, None), [(r, c) for c in range(columns)]) for r in range(rows)]
    found += [((None, c), [(r, c) for r in range(rows)]) for c in range(columns)]
    return [*found, ((None, None), [(r, None) for r in range(rows)])]


def joint_extremes(tables: dict[str, Table], links: list[tuple[tuple, tuple]], target: tuple) -> tuple[float, float]:
    """The smallest and largest value of `target` ((table, position)) given everything every table shows, their own
    sums, and which positions of different tables are one number (`links`)."""
    keys = [(name, p) for name, t in tables.items() for p in _positions(t.cells)]
    index = {k: i for i, k in enumerate(keys)}
    low, high = [], []
    for name, p in keys:
        table = tables[name]
        if table.withheld or (p not in table.hidden and p not in table.positions()):
            low.append(0), high.append(10**6)
        elif p in table.hidden:
            kind = table.hidden[p]
            low.append(0 if kind == PRIMARY else SMALL), high.append(SMALL - 1 if kind == PRIMARY else 10**6)
        else:
            low.append(table.value(p)), high.append(table.value(p))
    matrix = []
    for name, table in tables.items():
        for total, parts in _sums(table.cells):
            line = np.zeros(len(keys))
            line[index[(name, total)]] = -1
            for part in parts:
                line[index[(name, part)]] += 1
            matrix.append(line)
    for a, b in links:
        line = np.zeros(len(keys))
        line[index[a]], line[index[b]] = 1, -1
        matrix.append(line)
    objective = np.zeros(len(keys))
    objective[index[target]] = 1
    found = []
    for sign in (1, -1):
        result = milp(sign * objective, constraints=LinearConstraint(np.array(matrix), 0, 0),
                      bounds=Bounds(low, high), integrality=np.ones(len(keys)))  # fmt: skip
        assert result.success
        found.append(sign * result.fun)
    return found[0], found[1]


def split(total: int, parts: int, rng) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(COUNTS, min_size=2, max_size=4), st.integers(2, 4), st.integers(2, 4), st.randoms(use_true_random=False)
)
def test_two_tables_that_share_their_totals_give_nothing_away_side_by_side(totals, wide, other, rng) -> None:
    """Reports per municipality (the family table), and reports by channel and by reporter for the region, as
    tables.py publishes them: each region row keeps the family table's decision on the region total, and is
    withheld when the family hides it. Solved together, no hidden count comes out."""
    first = [split(t, wide, rng) for t in totals]
    second = [split(t, other, rng) for t in totals]
    family = suppress([[t] for t in totals])
    grand = family.hidden.get((None, 0)) or family.hidden.get((None, None))
    published = {"family": family}
    for name, cells in (("first", first), ("second", second)):
        region = [[sum(column) for column in zip(*cells, strict=True)]]
        if grand:
            published[name] = Table(region, withheld=True)
        else:
            published[name] = suppress(region, {Table(region).row_total(0): None, (None, None): None})
    links = [(("family", (None, None)), (name, (None, None))) for name in ("first", "second")]
    for name, table in published.items():
        if table.withheld:
            continue
        for position in table.hidden:
            low, high = joint_extremes(published, links, (name, position))
            assert low < high, (name, position, totals, first, second, {n: t.hidden for n, t in published.items()})


# Hierarchies and periods: the publication model's programmes (publication.py), checked the same way --------------


def solved(rows: list[tuple[dict[int, int], int, int]], size: int, target: dict[int, int]) -> tuple[int, int]:
    """The smallest and largest value of the sum `target` over `size` whole numbers of at least 0, given each row's
    sum between its bounds: the attacker's own integer programme."""
    matrix = np.zeros((len(rows), size))
    for r, (terms, _low, _high) in enumerate(rows):
        for v, c in terms.items():
            matrix[r, v] = c
    objective = np.zeros(size)
    for v, c in target.items():
        objective[v] = c
    found = []
    for sign in (1, -1):
        result = milp(sign * objective, constraints=LinearConstraint(matrix, [lo for _t, lo, _h in rows],
                      [hi for _t, _lo, hi in rows]), bounds=Bounds(0, 10**4), integrality=np.ones(size))  # fmt: skip
        assert result.success
        found.append(round(sign * result.fun))
    return found[0], found[1]


def read_as(text: str) -> tuple[int, int] | None:
    """What a published text tells: exactly, 0 to 4, 5 or more; nothing for "."."""
    if text == ".":
        return None
    if text == "< 5":
        return 0, SMALL - 1
    if text == "x":
        return SMALL, 10**4
    return int(text), int(text)


def nothing_pinned(published: list[tuple[dict[int, int], str]], size: int) -> None:
    rows = [(terms, *read_as(text)) for terms, text in published if read_as(text) is not None]
    for terms, text in published:
        if text in ("< 5", "x"):
            low, high = solved(rows, size, terms)
            assert low < high, (terms, text, low, high, published)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 4), st.integers(2, 4), st.randoms(use_true_random=False))
def test_a_municipalitys_years_and_five_year_totals_over_several_releases_give_nothing_away(places, years, rng) -> None:
    """Random municipalities by year, released year by year (publication._family_programme): each year's counts, each
    municipality's five-year total and the region's, protected with every earlier release. The reader knows the
    years before the first release counted nothing. Across all releases together, no hidden count comes out."""
    from types import SimpleNamespace
    from unittest import mock

    from kenniscentrum.insights import publication

    first, names = 2020, [f"GM{p}" for p in range(places)]
    counts = {(p, y): rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15]) for p in names for y in range(first, first + years)}
    window = publication.WINDOW
    earlier: list[SimpleNamespace] = []
    with mock.patch.object(publication, "_places", lambda: ["", *names]), \
            mock.patch.object(publication, "first_year_counted", lambda: first):  # fmt: skip
        for year in range(first, first + years):
            exact = {"families": {"f": {str(y): {p: counts.get((p, y), 0) for p in ["", *names]}
                                        for y in range(year - window + 1, year + 1)}}}  # fmt: skip
            shown = publication._family_programme("f", year, exact, list(earlier))
            earlier.append(SimpleNamespace(year=year, exact=exact, published={"families": {"f": shown}}))
    atoms = {(p, y): i for i, (p, y) in enumerate((p, y) for p in ["", *names]
                                                  for y in range(first - window + 1, first + years))}  # fmt: skip
    published = [({atoms[(p, y)]: 1}, "0") for (p, y) in atoms if y < first]

    def terms(where: list[str], start: int, end: int) -> dict[int, int]:
        return {atoms[(p, y)]: 1 for p in where for y in range(start, end + 1)}

    for release in earlier:
        shown, y = release.published["families"]["f"], release.year
        for p in ["", *names]:
            published += [(terms([p], y, y), shown["cells"][p]), (terms([p], y - window + 1, y), shown["window"][p])]
        published += [(terms(["", *names], y, y), shown["region"]),
                      (terms(["", *names], y - window + 1, y), shown["window_region"])]  # fmt: skip
    nothing_pinned(published, len(atoms))


GROUPS = ["NL", "EU", "non_EU", "unknown"]
AGE_BANDS = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+", "unknown"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([f"{g}|{b}" for g in GROUPS for b in AGE_BANDS]),
                       st.sampled_from([1, 1, 2, 3, 4, 5, 7, 12]), min_size=3, max_size=14))  # fmt: skip
def test_age_bands_minors_nationality_and_the_four_groups_together_give_nothing_away(counts) -> None:
    """Random possible victims by nationality group and age band (publication._victims_programme): the age bands, minor
    and adult, nationality, and the four groups with their totals, all sums of one table, read together."""
    from kenniscentrum.insights import publication

    shown = publication._victims_programme(counts, str(sum(counts.values())), sum(counts.values()))
    index = {(g, b): i for i, (g, b) in enumerate((g, b) for g in GROUPS for b in AGE_BANDS)}
    minors, unknown = {"0--8", "9--17"}, "unknown"
    ages = {b: {b} for b in AGE_BANDS} | {"minor": minors, "adult": set(AGE_BANDS) - minors - {unknown}}
    nationalities = {g: {g} for g in GROUPS} | {"not_NL": {"EU", "non_EU"}}
    groups = {"NL": {"NL"}, "not_NL": {"EU", "non_EU"}, unknown: {unknown}}

    def cell(gs: Iterable[str], bs: Iterable[str]) -> dict[int, int]:
        return {index[(g, b)]: 1 for g in gs for b in bs}

    published = [(cell(GROUPS, bs), shown["age"][a]) for a, bs in ages.items()]
    published += [(cell(gs, AGE_BANDS), shown["nationality"][n]) for n, gs in nationalities.items()]
    by_age = {"minor": minors, "adult": ages["adult"], unknown: {unknown}}
    published += [(cell(gs, bs), shown["groups"][f"{g}|{a}"]) for g, gs in groups.items() for a, bs in by_age.items()]
    published += [(cell(gs, AGE_BANDS), shown["by_nationality"][g]) for g, gs in groups.items()]
    published += [(cell(GROUPS, bs), shown["by_age"][a]) for a, bs in by_age.items()]
    published += [(cell(GROUPS, AGE_BANDS), shown["total"])]
    nothing_pinned(published, len(index))


COMENSHA = ["registered", "not_registered"]
SHELTER = ["categorical", "other", "both", "none"]


def published_pair(joint: dict[str, int]) -> dict:
    from kenniscentrum.insights import publication

    total = sum(joint.values())
    return publication._pair("victims.comensha", "victims.shelter", joint, str(total), total)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([f"{a}|{b}" for a in COMENSHA for b in SHELTER]),
                       st.sampled_from([1, 1, 2, 3, 4, 6, 9, 20]), min_size=2, max_size=8))  # fmt: skip
def test_two_tables_that_depend_on_each_other_give_nothing_away_together(joint) -> None:
    """Found by the re-test: CoMensha registered 6 and categorical shelter 6 shown; a reader who knows categorical
    shelter is placed through CoMensha worked out "both kinds" as 0. Random joint counts
    (publication._pair), read with every joint count that is zero known, as the rules make most of them."""
    shown = published_pair(joint)
    pairs = [(a, b) for a in COMENSHA for b in SHELTER]
    index = {pair: i for i, pair in enumerate(pairs)}
    published = [({i: 1 for i in index.values()}, str(sum(joint.values())))]
    for code, values, axis in (("victims.comensha", COMENSHA, 0), ("victims.shelter", SHELTER, 1)):
        rows = dict(shown[code]["rows"])
        published += [({index[p]: 1 for p in pairs if p[axis] == v}, rows[v]) for v in values]
    published += [({index[(a, b)]: 1}, "0") for a, b in pairs if not joint.get(f"{a}|{b}")]
    nothing_pinned(published, len(pairs))
