"""Safe publication: from a published table's cells and totals, no hidden count can be worked out.

The check here solves for each hidden count on its own terms (an integer programme over every position of the
table, shown ones fixed), not with the code under test: what someone trying to recover a count would do."""

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
            known[p] = (1, SMALL - 1) if table.hidden[p] == PRIMARY else (SMALL, 10**6)
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
        if 0 < value < SMALL:
            assert table.hidden.get(position) == PRIMARY, (cells, position)
        if position not in table.hidden:
            assert value == 0 or value >= SMALL or position not in table.positions()
    for position in table.hidden:
        low, high = extremes(table, position)
        assert low < high, (cells, table.hidden, position, low, high)


def test_a_small_count_beside_its_total_takes_a_second_count_with_it() -> None:
    table = suppress([[3, 10, 0, 12]])
    assert table.shown((0, 0)) == "< 5" and table.shown((0, 1)) == "x"
    assert table.shown((0, 2)) == "0" and table.shown((0, 3)) == "12" and table.shown((None, None)) == "25"


def test_a_table_too_small_to_protect_is_withheld() -> None:
    table = suppress([[1], [1], [1], [1]])
    assert table.withheld and table.shown((0, 0)) == "." and table.shown((None, None)) == "."


def test_a_table_without_small_counts_is_published_whole() -> None:
    table = suppress([[5, 10], [0, 7]])
    assert table.hidden == {}
