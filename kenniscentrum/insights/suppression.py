"""Safe publication: counts as they may leave the centre.

A count below five is not shown ("< 5", primary suppression): with about 70 reports a year, such a number can point
to a person. That is not enough on its own: with the totals published, one hidden cell in a row is the total minus the
others. So more counts are hidden (secondary suppression, shown as "x") until no hidden count can be worked out, or
narrowed to fewer than three values, from what is shown. Counts that are linked are one `Programme`: every published
count is a sum of atoms (the finest counts, never published), and the check is the reader's: for every hidden count,
the smallest and the largest value it can have given everything shown, with "< 5" from 0 to 4 and "x" 5 or more,
solved as an integer programme (scipy's `milp`). The next count to hide is the cheapest one that opens an exposed
count (`_cheapest_opening`).

Zero is a count below five too and is shown as "< 5": were zeros shown, every "< 5" would be known to be at least
one, and in tables that share their totals those lower bounds add up to an exact count (found by the property test
of linked tables). A programme in which a hidden count still gives itself away when every count is hidden is
withheld: it shows none of its counts ("."). What is published together is built in publication.py.
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

    def row_total(self, r: int) -> Position:
        """Where row r's total is published: its own position, or its one cell when there is one column."""
        return (r, None) if self.cells and len(self.cells[0]) > 1 else (r, 0)

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


# One programme for what is linked -----------------------------------------------------------------------------------


@dataclass
class Item:
    """One published count: the sum of some atoms (the finest counts, never published themselves). `hidden`: None
    when shown, else PRIMARY or SECONDARY; `fixed`: decided by an earlier release or a linked programme, kept as it
    is; `withheld`: published as nothing at all ("."); `weight`: how much hiding it costs the reader, times its
    value (a region's yearly total, which the tables of the year depend on, weighs more than a five-year total)."""

    key: Any
    atoms: frozenset[int]
    value: int
    hidden: str | None = None
    fixed: bool = False
    withheld: bool = False
    weight: int = 1

    def shown(self) -> str:
        if self.withheld:
            return WITHHELD
        if self.hidden == PRIMARY:
            return f"< {SMALL}"
        if self.hidden == SECONDARY:
            return "x"
        return str(self.value)


@dataclass
class Programme:
    """Counts published together, with every sum that links them: the year and its municipalities, a multi-year
    total and the years it adds up, age bands and "minor", the steps of the funnel. The reader's knowledge of the
    atoms is: each shown item's sum equals its value, each "< 5" lies from 0 to 4, each "x" is at least 5, every
    atom is a whole number of at least 0. A hidden item is exposed when that knowledge leaves it one value."""

    atoms: int
    items: list[Item] = field(default_factory=list)

    def add(self, key: Any, atoms: Any, value: int, *, hidden: str | None = None, fixed: bool = False,
            withheld: bool = False, weight: int = 1) -> Item:  # fmt: skip
        item = Item(key, frozenset(atoms), value, hidden, fixed, withheld, weight)
        self.items.append(item)
        return item

    def item(self, key: Any) -> Item:
        return next(i for i in self.items if i.key == key)


def small(value: int) -> bool:
    """A count hidden as "< 5": below five, zero included (see the module's note on zeros)."""
    return value < SMALL


def _bounds(programme: Programme, ceiling: int) -> tuple[Any, list[int], list[int]]:
    import numpy as np

    rows, low, high = [], [], []
    for item in programme.items:
        if item.withheld:
            continue
        if item.hidden is None:
            limits = (item.value, item.value)
        elif item.hidden == PRIMARY:
            limits = (0, SMALL - 1)
        else:
            limits = (SMALL, ceiling)
        line = np.zeros(programme.atoms)
        line[list(item.atoms)] = 1
        rows.append(line)
        low.append(limits[0])
        high.append(limits[1])
    return np.array(rows), low, high


# A hidden count is exposed when a reader can narrow it to fewer than three values ("0 or 1" says too much about a
# count of people), not only when they can work it out exactly.
WIDEST_KNOWN = 2


def pinned(programme: Programme, among: list[Item] | None = None) -> list[Item]:
    """The hidden items (of `among`, else of the whole programme) whose value the reader can work out, or narrow to
    fewer than three values: an integer programme over the atoms (scipy's HiGHS) for the smallest and the largest
    value of each; exposed when they are less than WIDEST_KNOWN apart. The true counts fit everything shown, so a
    smallest value that far below the item's own already makes the range wide enough."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    hidden = [i for i in (programme.items if among is None else among) if i.hidden and not i.withheld]
    if not hidden:
        return []
    ceiling = max([i.value for i in programme.items] + [SMALL]) * 4 + 100
    matrix, low, high = _bounds(programme, ceiling)
    constraint = LinearConstraint(matrix, low, high)
    bounds, integral = Bounds(0, ceiling), np.ones(programme.atoms)
    found = []
    for item in hidden:
        objective = np.zeros(programme.atoms)
        objective[list(item.atoms)] = 1
        least = milp(objective, constraints=constraint, bounds=bounds, integrality=integral)
        if least.success and round(least.fun) <= item.value - WIDEST_KNOWN:
            continue  # the true value fits too, so the range is at least that wide already
        most = milp(-objective, constraints=constraint, bounds=bounds, integrality=integral)
        if least.success and most.success and round(-most.fun) - round(least.fun) < WIDEST_KNOWN:
            found.append(item)
    return found


def _hideable(item: Item) -> bool:
    return item.hidden is None and not item.fixed and not item.withheld and item.value > 0


def _siblings(programme: Programme, exposed_item: Item) -> list[Item]:
    """Shown items that may be hidden and stand beside the exposed one in a shown sum (another municipality in the
    region's count, another age band under "minor"): hiding one opens the sum, as a statistical office hides a
    second cell in the same line rather than the line's total."""
    parents = [p for p in programme.items if p.hidden is None and not p.withheld and p.atoms > exposed_item.atoms]
    return [i for i in programme.items if _hideable(i) and not i.atoms & exposed_item.atoms
            and any(i.atoms <= p.atoms for p in parents)]  # fmt: skip


def _overlapping(programme: Programme, exposed_item: Item) -> list[Item]:
    """Shown items that may be hidden and share an atom with the exposed one (its total, a part of it): hiding one
    of them is what can open it again when no sibling can."""
    return [i for i in programme.items if _hideable(i) and i.atoms & exposed_item.atoms]


# At most this many candidates are tried, cheapest first, for one that opens an exposed count on its own.
TRIED = 12


def _cheapest_opening(programme: Programme, exposed_item: Item) -> Item | None:
    """The count to hide next for an exposed one: the cheapest (weight times value, then the narrowest) beside it in
    a shown sum (`_siblings`), else sharing a count with it, that opens it on its own; when none does, the cheapest,
    and the next round goes on from there."""
    siblings = _siblings(programme, exposed_item)
    candidates = siblings + [i for i in _overlapping(programme, exposed_item) if i not in siblings] or [
        i for i in programme.items if _hideable(i)
    ]
    if not candidates:
        return None
    candidates.sort(key=lambda i: (i.weight * i.value, len(i.atoms), str(i.key)))
    for candidate in candidates[:TRIED]:
        candidate.hidden = SECONDARY
        opens = not pinned(programme, [exposed_item])
        candidate.hidden = None
        if opens:
            return candidate
    return candidates[0]


def protect(programme: Programme) -> Programme:
    """Hides, in place, every item below five (primary), then as many more as it takes that no hidden item, of this
    programme or of the fixed ones it is linked to, can be worked out: for each exposed one, the cheapest count that
    opens it (`_cheapest_opening`). When nothing is left to hide and an item is still exposed, every item not fixed
    is withheld."""
    for item in programme.items:
        if not item.fixed and small(item.value):
            item.hidden = PRIMARY
    # Hiding a count only widens what the reader knows of every other, so an item found safe stays safe: each round
    # checks again only the items found exposed and those hidden since.
    to_check = None
    while True:
        exposed_items = pinned(programme, to_check)
        if not exposed_items:
            return programme
        changed, to_check = False, list(exposed_items)
        for item in exposed_items:
            if not pinned(programme, [item]):  # opened already by what was hidden for another one this round
                changed = True
                continue
            chosen = _cheapest_opening(programme, item)
            if chosen is not None:
                chosen.hidden = SECONDARY
                to_check.append(chosen)
                changed = True
        if not changed:
            for item in programme.items:
                if not item.fixed:
                    item.withheld = True
            return programme


def _as_programme(table: Table) -> tuple[Programme, dict[Position, Item]]:
    """The table as a programme: its cells are the atoms, and every published position (a cell, a margin, the grand
    total) is an item over them."""
    rows, columns = len(table.cells), len(table.cells[0])
    programme = Programme(rows * columns)
    items = {}
    for position in table.positions():
        r, c = position
        atoms = [
            i * columns + j
            for i in range(rows)
            for j in range(columns)
            if (r is None or r == i) and (c is None or c == j)
        ]
        kind = table.hidden.get(position)
        items[position] = programme.add(position, atoms, table.value(position), hidden=kind,
                                        fixed=position in table.fixed)  # fmt: skip
    return programme, items


def suppress(cells: list[list[int]], fixed: dict[Position, str | None] | None = None) -> Table:
    """The table as it may be published: small counts hidden, and as many more as it takes that none can be worked
    out (`protect`). `fixed`: positions decided by a linked table, hidden (with their kind) or shown (None); they are
    kept as they are."""
    table = Table([list(row) for row in cells], fixed=set(fixed or {}))
    if not cells or not cells[0]:
        return table  # nothing counted: nothing to hide
    table.hidden.update({p: kind for p, kind in (fixed or {}).items() if kind})
    programme, items = _as_programme(table)
    protect(programme)
    table.hidden = {p: item.hidden for p, item in items.items() if item.hidden}
    table.withheld = any(item.withheld for item in items.values())
    return table
