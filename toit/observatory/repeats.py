"""Snapshots that only repeat their cell's previous figure.

Every computation writes a snapshot for each cell it computes, and a correction in a file
recomputes the département's plans: left alone, the table would grow by a full set of
cells for every correction (2 000 rows for the Sarthe's plan territories, 200 000 with every
commune) while most figures stay the same. A superseded snapshot with the same value, base,
metric, parameters and territory label as the snapshot before it in its cell says nothing
that one does not: it is deleted. What stays of a cell is each figure it took, from the
computation that first found it, and the figure in force, from the latest computation
(the date reports and open data give). ComputationRun keeps when each computation ran.

Raw SQL for the null-safe comparison (`IS NOT DISTINCT FROM`, PostgreSQL and SQLite ≥ 3.39),
which the ORM has no lookup for."""

from django.db import connection

from toit.observatory.models import IndicatorSnapshot

_TABLE = IndicatorSnapshot._meta.db_table
# What a cell is (the engine's and the unique index's), and what makes two of its
# snapshots the same figure. Every statement below reads these two lists.
_CELL = ("indicator_id", "territory_kind", "territory_code", "period_start", "period_end")
_FIGURE = ("value", "base", "metric_key", "metric_params", "territory_label")


def _equal(columns, left, right, operator="IS NOT DISTINCT FROM"):
    """`left.c <operator> right.c` for each column, `left`/`right` a format of the column
    name. A cell's columns are compared with « = », which its index serves; a figure's
    with the null-safe operator (a value or a base may be NULL)."""
    return " AND ".join(f"{left.format(c)} {operator} {right.format(c)}" for c in columns)


def drop_repeats_replaced_from(first_id, indicator_ids):
    """Before the snapshots from `first_id` on (one computation's, of `indicator_ids`)
    take over their cells: delete each figure in force they replace that repeats the
    snapshot before it. One statement; each cell's earlier snapshots are found by its
    index, and a cell keeps few of them since repeats go as they come."""
    if not indicator_ids:
        return 0
    marks = ", ".join(["%s"] * len(indicator_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DELETE FROM {_TABLE} WHERE id IN (
                SELECT r.id
                FROM {_TABLE} n
                JOIN {_TABLE} r ON {_equal(_CELL, "r.{}", "n.{}", "=")} AND r.current AND r.id < n.id
                JOIN {_TABLE} p ON p.id = (
                    SELECT max(q.id) FROM {_TABLE} q WHERE {_equal(_CELL, "q.{}", "r.{}", "=")} AND q.id < r.id
                )
                WHERE n.id >= %s AND n.indicator_id IN ({marks}) AND {_equal(_FIGURE, "p.{}", "r.{}")}
            )
            """,  # noqa: S608 (the table, fixed fragments and placeholders: values are bound)
            [first_id, *indicator_ids],
        )
        return cursor.rowcount


def drop_repeats():
    """Every superseded snapshot that repeats the one before it in its cell, at once (the
    history written before repeats were dropped as they came): one pass in cell order."""
    columns = ("id", *_FIGURE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DELETE FROM {_TABLE} WHERE id IN (
                SELECT s.id FROM (
                    SELECT current, {", ".join(columns)},
                        {", ".join(f"LAG({c}) OVER w AS previous_{c}" for c in columns)}
                    FROM {_TABLE}
                    WINDOW w AS (PARTITION BY {", ".join(_CELL)} ORDER BY id)
                ) s
                WHERE NOT s.current AND s.previous_id IS NOT NULL AND {_equal(_FIGURE, "s.{}", "s.previous_{}")}
            )
            """  # noqa: S608 (the table and fixed fragments: no value from outside)
        )
        return cursor.rowcount
