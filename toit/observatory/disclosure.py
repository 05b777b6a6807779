"""Statistical disclosure control for every aggregate that leaves Toit (reports, exports,
open data). Documented in French in docs/disclosure-control.md.

Rule
----
*Primary suppression*: a count from 1 to settings.TOIT_DISCLOSURE_THRESHOLD − 1 (10 by
default) for a commune, an EPCI or any territory below the département is not published
and is shown as « s ». A zero is published: it describes nobody, and hiding zeros would
force hiding every total equal to 0 (which gives all its parts away). The protection
takes it into account: a reader who knows that zeros are never hidden knows
that every hidden cell is at least 1.

*Secondary suppression*: hiding small cells is useless if a reader can get them back from
the totals (a row total minus the other cells of the row). Every table published with its
totals is therefore protected as a whole: further cells are hidden until **no hidden cell
can be pinned to a single value**, by an attacker who knows every published figure, the
table's additive relations (rows and columns add up to their totals, communes to their
EPCI, EPCIs to the département), that counts are whole numbers ≥ 0 and that hidden ones
are ≥ 1.

Method
------
The additive relations of a 2-D table with margins, and of a territorial hierarchy, are
the flow-conservation equations of a small network in which every cell is an arc (see
`grid` and `hierarchy` for the construction). A set of values is consistent with the
published table exactly when it is a circulation on that network agreeing with the
published arcs. Hence, for a hidden cell c = (u → v) of current value x:

- c can be larger in some consistent table iff the hidden arcs other than c carry a
  path from v back to u, where a hidden arc p → q may be used forwards (increasing it is
  always possible) and backwards q → p only if its value is above its known floor
  (decreasing it must keep it ≥ 1, or ≥ 0 for a figure that is not published at all);
- c can be smaller iff x is above its floor and such a path goes from u to v.

This is the classic residual-graph argument of network flows; the flow polytope being
integral, it is exact for whole numbers too. A hidden cell is *pinned* when neither holds.

The algorithm:

1. hide every sensitive count from 1 to the threshold − 1 (primary);
2. while some hidden cell is pinned: for that cell, try the published non-zero cells of
   its own lines (the nodes it touches), smallest value first, and hide the first one
   that makes it unpinned; if no single cell does, hide the smallest one and go on (the
   set only grows, so this ends — at worst with every non-zero cell hidden).

For a 2-D table this reproduces the usual rule "a row or column with exactly one hidden
cell gets a second suppression, the smallest other cell", iterated to a fixed point, and
it also catches what that rule misses: hidden cells at their floor (a hidden 1 can only
grow), totals, and chains of suppressions across rows and columns.

Limits
------
Protection is per table. The same figure published in two tables (a report and the open
data) is protected consistently because both use the same hierarchy for one (indicator,
period); figures for nested periods (quarters inside a year) are not linked: below the
département, open data publish each indicator at one periodicity only.
"""

from collections import defaultdict, deque
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings


class DisclosureError(Exception):
    pass


SECRET = "s"  # noqa: S105 - the statistical-secret mark, not a password
PUBLISHED = "publie"
SUPPRESSED = "secret"
UNAVAILABLE = "non_disponible"


@dataclass
class Cell:
    key: object
    tail: object  # network node; None for a cell tied to no relation
    head: object
    value: Decimal | int | None
    sensitive: bool = False
    shown: bool = True  # False for a structural remainder, never displayed

    @property
    def free(self):
        return self.tail is None or self.head is None


@dataclass
class Protection:
    cells: dict
    hidden: set = field(default_factory=set)
    primary: set = field(default_factory=set)

    def status(self, key):
        cell = self.cells.get(key)
        if cell is None or cell.value is None:
            return UNAVAILABLE
        return SUPPRESSED if key in self.hidden else PUBLISHED

    def value(self, key):
        """The publishable value: None when suppressed or unavailable."""
        return self.cells[key].value if self.status(key) == PUBLISHED else None

    def display(self, key, formatter=str):
        status = self.status(key)
        if status == SUPPRESSED:
            return SECRET
        if status == UNAVAILABLE:
            return "non disponible"
        return formatter(self.cells[key].value)

    @property
    def secondary(self):
        return {k for k in self.hidden if k not in self.primary and self.cells[k].shown}


def threshold():
    return settings.TOIT_DISCLOSURE_THRESHOLD


class _Residual:
    """Residual arcs of the hidden cells, counted per ordered pair of nodes."""

    def __init__(self):
        self.arcs = defaultdict(lambda: defaultdict(int))

    def add(self, cell, sign=1):
        if cell.free:
            return
        self.arcs[cell.tail][cell.head] += sign
        if _can_shrink(cell):
            self.arcs[cell.head][cell.tail] += sign

    def reaches(self, start, goal):
        seen, queue = {start}, deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                return True
            for nxt, count in self.arcs[node].items():
                if count > 0 and nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return False

    def pinned(self, cell):
        if cell.free:
            return False
        self.add(cell, -1)
        try:
            can_grow = self.reaches(cell.head, cell.tail)
            can_shrink = _can_shrink(cell) and self.reaches(cell.tail, cell.head)
        finally:
            self.add(cell, 1)
        return not (can_grow or can_shrink)


def _floor(cell):
    """The least value a reader knows a hidden cell has: 1 for a published kind of cell,
    since zeros are never hidden (a hidden cell is therefore known to be ≥ 1), 0 for a
    structural remainder or a figure nobody has."""
    return 1 if cell.shown and cell.value is not None else 0


def _can_shrink(cell):
    # An unknown value (None) is treated as 0: the cautious assumption, it may only grow.
    return cell.value is not None and cell.value > _floor(cell)


def protect(cells, limit=None, *, forced=(), frozen=()):
    """Decide which cells to hide. `cells`: Cell objects (use `grid` or `hierarchy` to
    build them). `forced`: keys hidden anyway (decided by another table showing the same
    figures); `frozen`: keys that must not be hidden here (published elsewhere as they
    are). Returns a Protection; raises DisclosureError if `frozen` leaves no way out."""
    limit = threshold() if limit is None else limit
    cells = {c.key: c for c in cells}
    protection = Protection(cells)
    residual = _Residual()

    def hide(cell):
        protection.hidden.add(cell.key)
        residual.add(cell)

    for cell in cells.values():
        if not cell.shown or cell.value is None:
            hide(cell)  # not published: the attacker does not know it either
        elif cell.sensitive and 0 < cell.value < limit:
            protection.primary.add(cell.key)
            hide(cell)
        elif cell.key in forced and cell.value:
            hide(cell)

    incident = defaultdict(list)
    for cell in cells.values():
        if not cell.free:
            incident[cell.tail].append(cell)
            incident[cell.head].append(cell)

    def candidates(cell):
        lines = [c for node in (cell.tail, cell.head) for c in incident[node]]

        # Zeros are never hidden (see the module docstring), so they are no candidates.
        def open_(c):
            return c.key not in protection.hidden and c.key not in frozen and c.value

        pool = [c for c in lines if open_(c)]
        if not pool:
            pool = [c for c in cells.values() if open_(c) and not c.free]
        unique = {c.key: c for c in pool}
        return sorted(unique.values(), key=lambda c: (c.value, str(c.key)))

    while True:
        # Cells nobody has (structural, unavailable) need no protection of their own.
        pinned = [cells[k] for k in sorted(protection.hidden, key=str) if cells[k].shown and cells[k].value is not None]
        pinned = [c for c in pinned if residual.pinned(c)]
        if not pinned:
            return protection
        hidden_before = len(protection.hidden)
        for cell in pinned:
            if not residual.pinned(cell):
                continue  # an earlier suppression of this pass already freed it
            options = candidates(cell)
            if not options:
                continue
            chosen = None
            for option in options:
                residual.add(option)
                freed = not residual.pinned(cell)
                residual.add(option, -1)
                if freed:
                    chosen = option
                    break
            hide(chosen or options[0])
        if len(protection.hidden) == hidden_before:
            # Nothing left to hide around the pinned cells: only when `frozen` forbids the
            # cells that would protect them (without it, a pinned cell always has a published
            # non-zero cell in its lines). Never loop forever.
            raise DisclosureError(f"Impossible de protéger les cases {[c.key for c in pinned]}.")


# --- Building the network of a table ----------------------------------------------------

TOTAL = "total"


def grid(values, *, rows, cols, row_totals=None, col_totals=None, grand_total=None, sensitive=None):
    """Cells of a 2-D table. `values[(r, c)]` are the inner cells; `row_totals[r]` (the
    total of row r, over its columns), `col_totals[c]` and `grand_total` the margins, when
    the table has them. `sensitive(r, c)` tells which cells the threshold applies to, with
    r or c equal to TOTAL for margins. Keys: (r, c), (r, TOTAL), (TOTAL, c), (TOTAL, TOTAL).

    The network (rows R_r, columns C_c, and the two total lines TR, TC): inner cell
    R_r → C_c, row total TC → R_r, column total C_c → TR, grand total TR → TC; each node's
    conservation equation is one additive relation of the table."""
    sensitive = sensitive or (lambda r, c: True)
    has_rows, has_cols = row_totals is not None, col_totals is not None
    cells = []

    def node(kind, key):
        return (kind, key)

    for r in rows:
        for c in cols:
            if has_rows and has_cols:
                tail, head = node("R", r), node("C", c)
            elif has_rows:
                tail, head = node("R", r), "G"
            elif has_cols:
                tail, head = "G", node("C", c)
            else:
                tail = head = None
            cells.append(Cell((r, c), tail, head, values.get((r, c)), sensitive(r, c)))
    if has_rows:
        for r in rows:
            tail = node("TC", TOTAL) if has_cols else "G"
            cells.append(Cell((r, TOTAL), tail, node("R", r), row_totals.get(r), sensitive(r, TOTAL)))
    if has_cols:
        for c in cols:
            head = node("TR", TOTAL) if has_rows else "G"
            cells.append(Cell((TOTAL, c), node("C", c), head, col_totals.get(c), sensitive(TOTAL, c)))
    if has_rows and has_cols:
        cells.append(Cell((TOTAL, TOTAL), node("TR", TOTAL), node("TC", TOTAL), grand_total, sensitive(TOTAL, TOTAL)))
    return cells


def hierarchy(entries):
    """Cells of a territorial hierarchy. `entries`: (key, parent_key, value, sensitive),
    the parent's value being the sum of its children's (communes → EPCI → département).

    The network: one node per territory that has children, plus a ground node G. A
    territory with children is the arc parent → itself, a leaf the arc parent → G, the
    root the arc G → itself. When the children known do not add up to their parent (a
    commune without value, say) the difference is a structural cell, hidden and never
    shown, so that the relation stays exact."""
    entries = list(entries)
    known = {key for key, *_ in entries}
    children = defaultdict(list)
    for _key, parent, value, _sensitive in entries:
        if parent is not None and parent in known:
            children[parent].append(value)
    cells = []
    for key, parent, value, is_sensitive in entries:
        parent = parent if parent in known else None
        has_children = key in children
        if parent is None:
            tail, head = ("G", (key if has_children else None))
            if not has_children:
                tail = None  # a lone territory: tied to nothing
        else:
            tail, head = parent, (key if has_children else "G")
        cells.append(Cell(key, tail, head, value, is_sensitive))
        if has_children:
            parts = [v for v in children[key] if v is not None]
            missing = len(parts) < len(children[key])
            remainder = (value - sum(parts)) if value is not None else None
            if missing or value is None or remainder != 0:
                rest = remainder if remainder is not None and remainder > 0 else 0
                cells.append(Cell(("reste", key), key, "G", rest, shown=False))
    return cells
