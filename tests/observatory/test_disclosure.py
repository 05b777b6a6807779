"""Disclosure control: hidden cells must stay hidden against attackers who know the
published figures, the table's additive relations and that counts are whole numbers ≥ 0."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.observatory.attackers import (
    alternative_exists,
    by_subtraction,
    determined_by_linear_algebra,
    grid_equations,
    tree_equations,
)
from toit.observatory.disclosure import PUBLISHED, SECRET, SUPPRESSED, TOTAL, grid, hierarchy, protect

LIMIT = 11
# Small counts dominate real tables at commune level: draw them often.
counts = st.one_of(st.integers(0, 12), st.integers(0, 40))


@st.composite
def tables(draw):
    n_rows = draw(st.integers(1, 3))
    n_cols = draw(st.integers(1, 4))
    rows = [f"r{i}" for i in range(n_rows)]
    cols = [f"c{j}" for j in range(n_cols)]
    values = {(r, c): draw(counts) for r in rows for c in cols}
    margins = draw(st.sampled_from(["both", "rows", "cols"]))
    # Which cells the threshold applies to: by default every inner cell and margin below
    # the département; the grand total (the département) never.
    sensitive_total = draw(st.booleans())
    return rows, cols, values, margins, sensitive_total


def build(rows, cols, values, margins, sensitive_total):
    row_totals = {r: sum(values[(r, c)] for c in cols) for r in rows} if margins in ("both", "rows") else None
    col_totals = {c: sum(values[(r, c)] for r in rows) for c in cols} if margins in ("both", "cols") else None
    grand = sum(values.values()) if margins == "both" else None

    def sensitive(r, c):
        if r == TOTAL and c == TOTAL:
            return False
        if r == TOTAL or c == TOTAL:
            return sensitive_total
        return True

    cells = grid(
        values,
        rows=rows,
        cols=cols,
        row_totals=row_totals,
        col_totals=col_totals,
        grand_total=grand,
        sensitive=sensitive,
    )
    truth = {cell.key: cell.value for cell in cells}
    equations = grid_equations(rows, cols, row_totals=row_totals is not None, col_totals=col_totals is not None)
    return cells, truth, equations


def attack(cells, truth, equations, protection):
    published = {k: v for k, v in truth.items() if k not in protection.hidden}
    hidden = set(protection.hidden)
    recovered = by_subtraction(equations, published)
    assert not recovered, f"retrouvées par soustraction : {recovered}"
    determined = determined_by_linear_algebra(equations, published, hidden)
    assert not determined, f"fixées par les équations : {determined}"
    cap = max(truth.values()) + 2
    for key in sorted(hidden, key=str):
        assert alternative_exists(equations, published, truth, key, cap=cap), (
            f"{key} (valeur {truth[key]}) est la seule valeur possible"
        )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_hidden_cell_of_a_grid_can_be_pinned(table):
    cells, truth, equations = build(*table)
    protection = protect(cells, LIMIT)
    # Every sensitive small count is hidden; zeros never are.
    for cell in cells:
        if cell.sensitive and 0 < cell.value < LIMIT:
            assert protection.status(cell.key) == SUPPRESSED
        if cell.value == 0:
            assert protection.status(cell.key) == PUBLISHED
    attack(cells, truth, equations, protection)


@st.composite
def trees(draw):
    """département → 1-3 territories → 0-4 communes each."""
    entries = []
    children_values = []
    for i in range(draw(st.integers(1, 3))):
        n_communes = draw(st.integers(0, 4))
        communes = [draw(counts) for _ in range(n_communes)]
        value = sum(communes) if communes else draw(counts)
        children_values.append(value)
        entries.append((f"t{i}", "dep", value, True))
        entries += [(f"t{i}-c{j}", f"t{i}", v, True) for j, v in enumerate(communes)]
    entries.insert(0, ("dep", None, sum(children_values), False))
    return entries


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_no_hidden_cell_of_a_hierarchy_can_be_pinned(entries):
    cells = hierarchy(entries)
    truth = {key: value for key, _, value, _ in entries}
    protection = protect(cells, LIMIT)
    for key, _, value, sensitive in entries:
        if sensitive and 0 < value < LIMIT:
            assert protection.status(key) == SUPPRESSED
        if value == 0:
            assert protection.status(key) == PUBLISHED
    attack(cells, truth, tree_equations(entries), protection)


def test_single_small_cell_in_a_row_gets_the_smallest_partner():
    values = {("a", "x"): 3, ("a", "y"): 40, ("a", "z"): 25}
    cells = grid(values, rows=["a"], cols=["x", "y", "z"], row_totals={"a": 68}, sensitive=lambda r, c: c != TOTAL)
    protection = protect(cells, LIMIT)
    assert protection.primary == {("a", "x")}
    assert protection.secondary == {("a", "z")}
    assert protection.display(("a", "x")) == SECRET
    assert protection.display(("a", TOTAL)) == "68"


def test_zeros_are_published_and_a_hidden_one_is_known_to_be_at_least_one():
    values = {("a", "x"): 0, ("a", "y"): 0}
    cells = grid(values, rows=["a"], cols=["x", "y"], row_totals={"a": 0}, sensitive=lambda r, c: c != TOTAL)
    assert protect(cells, LIMIT).hidden == set()
    # 1 and 1 hidden, total 2 shown: both are ≥ 1, so both would be 1. The total goes too.
    values = {("a", "x"): 1, ("a", "y"): 1, ("a", "z"): 0}
    cells = grid(values, rows=["a"], cols=["x", "y", "z"], row_totals={"a": 2}, sensitive=lambda r, c: c != TOTAL)
    protection = protect(cells, LIMIT)
    assert protection.hidden == {("a", "x"), ("a", "y"), ("a", TOTAL)}
    assert protection.status(("a", "z")) == PUBLISHED


def test_large_counts_are_published_untouched():
    values = {("a", "x"): 12, ("a", "y"): 30}
    cells = grid(values, rows=["a"], cols=["x", "y"], row_totals={"a": 42})
    assert protect(cells, LIMIT).hidden == set()


@pytest.mark.parametrize("limit", [5, 11, 20])
def test_threshold_is_configurable(limit):
    cells = hierarchy([("dep", None, 60, False), ("a", "dep", 10, True), ("b", "dep", 50, True)])
    hidden = protect(cells, limit).hidden
    assert (("a" in hidden) and ("b" in hidden)) == (limit > 10)


def test_default_threshold_comes_from_settings(settings):
    settings.TOIT_DISCLOSURE_THRESHOLD = 3
    cells = hierarchy([("dep", None, 60, False), ("a", "dep", 5, True), ("b", "dep", 55, True)])
    assert protect(cells).hidden == set()
