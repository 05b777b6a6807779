"""Ways a reader could try to get hidden cells back from a published table. Written
independently of toit.observatory.disclosure (no network, no residual graph): plain
equations, as an attacker with a spreadsheet would write them."""

from fractions import Fraction

from toit.observatory.disclosure import TOTAL


def grid_equations(rows, cols, *, row_totals, col_totals):
    """Each equation: list of (coefficient, cell key) summing to 0."""
    equations = []
    if row_totals:
        for r in rows:
            equations.append([(1, (r, c)) for c in cols] + [(-1, (r, TOTAL))])
    if col_totals:
        for c in cols:
            equations.append([(1, (r, c)) for r in rows] + [(-1, (TOTAL, c))])
    if row_totals and col_totals:
        equations.append([(1, (TOTAL, c)) for c in cols] + [(-1, (TOTAL, TOTAL))])
        equations.append([(1, (r, TOTAL)) for r in rows] + [(-1, (TOTAL, TOTAL))])
    return equations


def tree_equations(entries):
    """parent − Σ children = 0 for every territory with children (all children known)."""
    children = {}
    for key, parent, *_ in entries:
        if parent is not None:
            children.setdefault(parent, []).append(key)
    return [[(1, parent)] + [(-1, child) for child in kids] for parent, kids in children.items()]


def by_subtraction(equations, published):
    """Solve any equation with a single unknown, repeatedly. Returns what was recovered."""
    known = dict(published)
    recovered = {}
    progress = True
    while progress:
        progress = False
        for equation in equations:
            unknown = [(a, k) for a, k in equation if k not in known]
            if len(unknown) == 1:
                a, key = unknown[0]
                rest = sum(Fraction(b) * Fraction(known[k]) for b, k in equation if k in known)
                known[key] = recovered[key] = -rest / a
                progress = True
    return recovered


def determined_by_linear_algebra(equations, published, hidden):
    """Hidden cells fixed by the equations alone: e_k in the row space of the system
    restricted to the unknowns (reduced row echelon form over the rationals)."""
    unknowns = sorted(hidden, key=str)
    index = {k: i for i, k in enumerate(unknowns)}
    matrix = []
    for equation in equations:
        row = [Fraction(0)] * len(unknowns)
        for a, key in equation:
            if key in index:
                row[index[key]] += a
        if any(row):
            matrix.append(row)
    pivot_row = 0
    for col in range(len(unknowns)):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [x / lead for x in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [x - factor * y for x, y in zip(matrix[r], matrix[pivot_row], strict=True)]
        pivot_row += 1
    determined = set()
    for row in matrix:
        nonzero = [i for i, x in enumerate(row) if x != 0]
        if len(nonzero) == 1:
            determined.add(unknowns[nonzero[0]])
    return determined


class SearchExhausted(Exception):
    pass


def alternative_exists(equations, published, truth, target, *, cap, floor=1, budget=200_000):
    """Search for whole numbers between `floor` and `cap` for the hidden cells satisfying
    every equation, with `target` different from its true value. True if found: the
    attacker cannot pin `target` down. The floor is 1: zeros are published, so the
    attacker knows a hidden count is at least 1.

    Depth-first, most constrained cell first, values nearest the truth first, pruning any
    equation whose remaining unknowns cannot reach its balance."""
    relevant = [eq for eq in equations if any(k not in published for _, k in eq)]
    hidden = sorted({k for eq in relevant for _, k in eq if k not in published}, key=str)
    assignment = dict(published)
    steps = [0]

    def feasible():
        for equation in relevant:
            known = sum(a * assignment[k] for a, k in equation if k in assignment)
            low = high = known
            for a, k in equation:
                if k not in assignment:
                    low += min(a * floor, a * cap)
                    high += max(a * floor, a * cap)
            if not low <= 0 <= high:
                return False
        return True

    def next_cell():
        best, best_count = None, None
        for equation in relevant:
            unknown = [k for _, k in equation if k not in assignment]
            if unknown and (best_count is None or len(unknown) < best_count):
                best, best_count = unknown[0], len(unknown)
        if best is None:
            best = next((k for k in hidden if k not in assignment), None)
        return best

    def search():
        steps[0] += 1
        if steps[0] > budget:
            raise SearchExhausted
        key = next_cell()
        if key is None:
            return True
        centre = truth[key]
        values = sorted(range(floor, cap + 1), key=lambda v: (abs(v - centre), v))
        if key == target:
            values = [v for v in values if v != centre]
        for value in values:
            assignment[key] = value
            if feasible() and search():
                return True
            del assignment[key]
        return False

    # The target first: every other cell then only has to fit around its new value.
    centre = truth[target]
    for value in sorted(range(floor, cap + 1), key=lambda v: (abs(v - centre), v)):
        if value == centre:
            continue
        assignment[target] = value
        if feasible() and search():
            return True
        del assignment[target]
    return False
