"""Quoted table and column names for the set-based SQL, read from the models so that a
renamed field breaks loudly rather than writes into the wrong column."""

from django.db import connection


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


def columns(model, names):
    return ", ".join(column(model, name) for name in names)


# The set-based import speaks to PostgreSQL and to SQLite with the same algorithm; what
# follows is the little that differs in their SQL (toit.imports.importing._apply_set,
# toit.imports.sinks.reports_sql).


def is_postgresql():
    return connection.vendor == "postgresql"


def _split_part_function():
    """PostgreSQL's split_part for SQLite. The same statement reads a dozen parts of each
    row's packed text one after the other, so the last split is kept (one memo per
    connection, hence per thread)."""
    last = [None, ()]

    def split_part(text, separator, position):
        if text is None:
            return None
        if last[0] != text:
            last[0], last[1] = text, text.split(separator)
        parts = last[1]
        return parts[position - 1] if 0 < position <= len(parts) else ""

    return split_part


def prepare():
    """Give SQLite the functions the set-based statements use (PostgreSQL has them)."""
    if not is_postgresql():
        connection.ensure_connection()
        connection.connection.create_function("split_part", 3, _split_part_function(), deterministic=True)


def char(code):
    return f"chr({code})" if is_postgresql() else f"char({code})"


def cast(expression, sql_type):
    """`expression` as `sql_type` (PostgreSQL's names). SQLite keeps dates as ISO text and
    lets the column's affinity convert numbers; integers are cast."""
    if is_postgresql():
        return f"{expression}::{sql_type}"
    if sql_type in ("bigint", "integer", "smallint"):
        return f"CAST({expression} AS INTEGER)"
    return expression


def now():
    """The current time as a query parameter: one clock (Python's) for both databases."""
    from django.utils import timezone

    return connection.ops.adapt_datetimefield_value(timezone.now())


def create_temp(cursor, name, select, params=None, index=None):
    """A temporary table from `select`. PostgreSQL drops it at commit and gets statistics;
    SQLite gets an index on `index` and is dropped by drop_temp."""
    if is_postgresql():
        cursor.execute(f"CREATE TEMP TABLE {name} ON COMMIT DROP AS {select}", params)
        cursor.execute(f"ANALYZE {name}")
    else:
        cursor.execute(f"CREATE TEMP TABLE {name} AS {select}", params)
        if index:
            cursor.execute(f"CREATE INDEX temp.{name}_idx ON {name} ({index})")


def drop_temp(cursor, *names):
    for name in names:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def defaults(model, names, params, prefix):
    """The columns an INSERT … SELECT listing `names` leaves out, with the model's plain
    default as a parameter (added to `params`): a field added to the model later gets its
    default rather than breaking the import on NOT NULL. Returns (", cols", ", values")."""
    listed = set(names)
    extra_columns, extra_values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in listed or not field.has_default() or callable(field.default):
            continue
        key = f"{prefix}_{field.column}"
        params[key] = field.get_db_prep_save(field.default, connection)
        extra_columns.append(connection.ops.quote_name(field.column))
        extra_values.append(f"%({key})s")
    if not extra_columns:
        return "", ""
    return ", " + ", ".join(extra_columns), ", " + ", ".join(extra_values)
