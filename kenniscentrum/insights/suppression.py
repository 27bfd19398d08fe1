"""Safe publication: a table of counts as it may leave the centre.

A count below five is not shown ("< 5", primary suppression): with about 70 reports a year, such a number can point
to a person. That is not enough on its own: with the totals published, one hidden cell in a row is the total minus the
others. So more cells are hidden (secondary suppression, shown as "x") until no hidden count can be worked out from
what is shown. "Worked out" is checked the way someone trying would do it: for every hidden cell, the smallest and
the largest value it can have given every published count and total, with hidden small counts between 0 and 4 and the
other hidden counts 5 or more, solved as a linear programme (scipy's HiGHS; a table's sums form a network matrix, so
its extremes are whole numbers). A cell whose smallest and largest
values are equal can be worked out, and the next cell is hidden: the smallest count that shares a sum with it.

Zero is a count below five too and is shown as "< 5": were zeros shown, every "< 5" would be known to be at least
one, and in tables that share their totals those lower bounds add up to an exact count (found by the property test
of linked tables). Totals are cells too and are hidden when small. A table in which a hidden count still gives itself
away when every count is hidden is withheld: it shows none of its counts ("."). Tables that share totals are
published so that side by side they give nothing away: see tables.py `_published`.
"""

from dataclasses import dataclass, field
from typing import Any

SMALL = 5
WITHHELD = "."
# (row, column) of a cell; None for a total: (r, None) row r's total, (None, c) column c's, (None, None) the grand.
Position = tuple[int | None, int | None]
PRIMARY, SECONDARY = "primary", "secondary"


@dataclass
class Table:
    """A table of counts with its margins: `rows` × `columns` cells, a total per row and per column (when there is
    more than one row or column), and the grand total. `hidden` names the hidden cells by position: (r, c) for a cell,
    (r, None) for a row total, (None, c) for a column total, (None, None) for the grand total."""

    cells: list[list[int]]
    hidden: dict[Position, str] = field(default_factory=dict)
    # Too few to publish at all: every count hidden still gives itself away (four records of one each, with a
    # total below five), so the table shows none of its counts.
    withheld: bool = False
    # Positions another table has decided already (a linked table's totals, see tables.py): shown ones stay shown,
    # hidden ones stay hidden, and neither is chosen to hide more.
    fixed: set[Position] = field(default_factory=set)

    @property
    def row_totals(self) -> list[int]:
        return [sum(row) for row in self.cells]

    @property
    def column_totals(self) -> list[int]:
        return [sum(column) for column in zip(*self.cells, strict=True)] if self.cells else []

    @property
    def total(self) -> int:
        return sum(self.row_totals)

    def value(self, position: Position) -> int:
        r, c = position
        if r is None and c is None:
            return self.total
        if c is None:
            assert r is not None
            return self.row_totals[r]
        if r is None:
            return self.column_totals[c]
        return self.cells[r][c]

    def positions(self) -> list[Position]:
        """Every published position: the cells, the margins that are published, and the grand total."""
        rows, columns = len(self.cells), len(self.cells[0]) if self.cells else 0
        found: list[Position] = [(r, c) for r in range(rows) for c in range(columns)]
        if columns > 1:
            found += [(r, None) for r in range(rows)]
        if rows > 1:
            found += [(None, c) for c in range(columns)]
        return [*found, (None, None)]

    def equations(self) -> list[tuple[Position, list[Position]]]:
        """Each published sum: (the total, the positions it adds up). With one row the row total is the grand total,
        and with one column a column total is its cell: those are one position, not an equation."""
        rows, columns = len(self.cells), len(self.cells[0]) if self.cells else 0
        found: list[tuple[Position, list[Position]]] = []
        if columns > 1:
            found += [((r, None), [(r, c) for c in range(columns)]) for r in range(rows)]
        if rows > 1:
            found += [((None, c), [(r, c) for r in range(rows)]) for c in range(columns)]
        found.append(((None, None), [self.row_total(r) for r in range(rows)]))
        if rows > 1 and columns > 1:
            found.append(((None, None), [self.column_total(c) for c in range(columns)]))
        return found

    def row_total(self, r: int) -> Position:
        """Where row r's total is published: its own position, or its one cell when there is one column."""
        return (r, None) if self.cells and len(self.cells[0]) > 1 else (r, 0)

    def column_total(self, c: int) -> Position:
        return (None, c) if len(self.cells) > 1 else (0, c)

    def shown(self, position: Position) -> str:
        """The published text of a position: the count, "< 5", or "x"."""
        if self.withheld:
            return WITHHELD
        kind = self.hidden.get(position)
        if kind == PRIMARY:
            return f"< {SMALL}"
        if kind == SECONDARY:
            return "x"
        return str(self.value(position))


def _programme(table: Table) -> tuple[list[Position], Any, list[int], list[tuple[int, int]]]:
    """The hidden positions, and what the shown counts say about them: A·x = b, with each hidden small count between
    1 and 4 and each other hidden count at least 5."""
    import numpy as np

    hidden = list(table.hidden)
    index = {p: i for i, p in enumerate(hidden)}
    ceiling = max(table.total, SMALL) * 4 + 100
    limits = [(0, SMALL - 1) if table.hidden[p] == PRIMARY else (SMALL, ceiling) for p in hidden]
    matrix, sums = [], []
    for total, parts in table.equations():
        row = np.zeros(len(hidden))
        known = 0
        for part, sign in [(total, -1), *((p, 1) for p in parts)]:
            if part in index:
                row[index[part]] += sign
            else:
                known += sign * table.value(part)
        if row.any():
            matrix.append(row)
            sums.append(-known)
    return hidden, np.array(matrix) if matrix else None, sums, limits


def _extreme(matrix: Any, sums: list[int], limits: list[tuple[int, int]], objective: Any) -> float | None:
    from scipy.optimize import linprog

    # A table's sums form a network matrix (totally unimodular): the programme's extremes are whole numbers, so
    # the linear programme answers what the integer one would.
    result = linprog(objective, A_eq=matrix, b_eq=sums if matrix is not None else None, bounds=limits,
                     method="highs")  # fmt: skip
    return float(result.fun) if result.success else None


def exposed(table: Table) -> list[Position]:
    """The hidden positions whose value can be worked out from what is shown: the smallest and the largest value the
    position can have, given everything shown, are one."""
    import numpy as np

    if not table.hidden:
        return []
    hidden, matrix, sums, limits = _programme(table)
    found = []
    for i, position in enumerate(hidden):
        objective = np.zeros(len(hidden))
        objective[i] = 1
        low = _extreme(matrix, sums, limits, objective)
        high = _extreme(matrix, sums, limits, -objective)
        if low is not None and high is not None and round(-high) - round(low) < 1:
            found.append(position)
    return found


def _partners(table: Table, position: Position) -> list[Position]:
    """The shown, non-zero positions that add up with `position` in some published sum."""
    found = []
    for total, parts in table.equations():
        group = [total, *parts]
        if position in group:
            found += [
                p
                for p in group
                if p not in table.hidden and p not in table.fixed and table.value(p) > 0 and p != position
            ]
    return found


def _hide_cheapest(table: Table, candidates: list[Position]) -> None:
    chosen = min(candidates, key=lambda p: (None in p, table.value(p), str(p)))
    table.hidden[chosen] = SECONDARY


def _lines_closed(table: Table) -> None:
    """The quick rule first: a published sum with exactly one hidden member gives that member away, so another
    member of the sum is hidden. Repeated until every sum has none or at least two."""
    changed = True
    while changed:
        changed = False
        for total, parts in table.equations():
            group = [total, *parts]
            if sum(p in table.hidden for p in group) != 1:
                continue
            shown = [p for p in group if p not in table.hidden and p not in table.fixed and table.value(p) > 0]
            if shown:
                _hide_cheapest(table, shown)
                changed = True


def suppress(cells: list[list[int]], fixed: dict[Position, str | None] | None = None) -> Table:
    """The table as it may be published: small counts hidden, and as many more as it takes that none can be worked
    out. Prefers hiding a small inner cell over a total. `fixed`: positions decided by a linked table, hidden (with
    their kind) or shown (None); they are kept as they are."""
    table = Table([list(row) for row in cells], fixed=set(fixed or {}))
    if not cells or not cells[0]:
        return table  # nothing counted: nothing to hide
    table.hidden.update({p: kind for p, kind in (fixed or {}).items() if kind})
    for position in table.positions():
        if position not in table.fixed and table.value(position) < SMALL:
            table.hidden[position] = PRIMARY
    while True:
        _lines_closed(table)
        open_ = exposed(table)
        if not open_:
            return table
        before = len(table.hidden)
        for position in open_:
            candidates = _partners(table, position) or [
                p for p in table.positions() if p not in table.hidden and p not in table.fixed and table.value(p) > 0
            ]
            if candidates:
                _hide_cheapest(table, candidates)
        if len(table.hidden) == before:  # every count is hidden and one still gives itself away
            table.withheld = True
            return table
