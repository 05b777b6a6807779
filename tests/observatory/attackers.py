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


def alternative_exists(equations, published, truth, target, *, cap, budget=200_000):
    """Search for whole numbers ≥ 0 (≤ cap) for the hidden cells satisfying every
    equation, with `target` different from its true value. True if found: the attacker
    cannot pin `target` down."""
    hidden = sorted({k for eq in equations for _, k in eq if k not in published}, key=str)
    relevant = [eq for eq in equations if any(k not in published for _, k in eq)]
    order = [target] + [k for k in hidden if k != target]
    assignment = dict(published)
    steps = [0]

    def consistent():
        for equation in relevant:
            unknown = [k for _, k in equation if k not in assignment]
            if not unknown and sum(a * assignment[k] for a, k in equation) != 0:
                return False
        return True

    def forced():
        """Values implied by equations with one unknown left; None on contradiction."""
        implied = {}
        changed = True
        while changed:
            changed = False
            for equation in relevant:
                unknown = [(a, k) for a, k in equation if k not in assignment and k not in implied]
                if len(unknown) == 1:
                    a, key = unknown[0]
                    rest = sum(b * (assignment[k] if k in assignment else implied[k]) for b, k in equation if k != key)
                    value = Fraction(-rest, a)
                    if value.denominator != 1 or value < 0 or value > cap:
                        return None
                    implied[key] = int(value)
                    changed = True
        return implied

    def search(position):
        steps[0] += 1
        if steps[0] > budget:
            raise SearchExhausted
        while position < len(order) and order[position] in assignment:
            position += 1
        if position == len(order):
            return consistent()
        key = order[position]
        centre = truth[key]
        values = sorted(range(cap + 1), key=lambda v: (abs(v - centre), v))
        if key == target:
            values = [v for v in values if v != centre]
        for value in values:
            assignment[key] = value
            implied = forced()
            if implied is not None:
                assignment.update(implied)
                if consistent() and search(position + 1):
                    return True
                for k in implied:
                    del assignment[k]
            del assignment[key]
        return False

    return search(0)
