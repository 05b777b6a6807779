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


def unpack_staged(cursor, job, fields, statuses=None):
    """`_import_row`: the job's valid staged rows (or those of `statuses`) with their packed values split into one
    column per field of `fields` (named after them, as text: toit.imports.packing.sql_value
    types them), next to line_number, key_hash and row_hash. Every set-based statement reads
    the values there. PostgreSQL splits in place with its native split_part (a view over the
    staging table, which the planner inlines). SQLite has no split_part: a function
    registered from Python costs a call per value read (about 1 µs, a dozen values per row
    in each statement), so each row is split once, here, into a temporary table."""
    from toit.imports.enums import RowStatus
    from toit.imports.models import StagedRow
    from toit.imports.packing import SEPARATOR

    names = [connection.ops.quote_name(name) for name, _ in fields]
    staged, job_id = table(StagedRow), int(job.pk)
    # Enum constants only: quoted inline for the view, which takes no parameters.
    wanted = ", ".join(f"'{RowStatus(s).value}'" for s in (statuses or [RowStatus.VALID]))
    drop_temp(cursor, "_import_row")
    if is_postgresql():
        # Literals (an int, an enum constant): a view takes no parameters.
        parts = ", ".join(f"split_part(s.packed, chr(31), {i}) AS {n}" for i, n in enumerate(names, start=1))
        cursor.execute(
            f"""CREATE TEMP VIEW _import_row AS SELECT s.line_number, s.key_hash, s.row_hash, {parts}
            FROM {staged} s WHERE s.job_id = {job_id} AND s.status IN ({wanted})"""  # noqa: S608
        )
        return
    cursor.execute(
        f"CREATE TEMP TABLE _import_row (line_number INTEGER PRIMARY KEY, key_hash, row_hash, {', '.join(names)})"
    )
    insert = f"INSERT INTO _import_row VALUES ({', '.join(['%s'] * (len(names) + 3))})"  # noqa: S608
    with connection.cursor() as reader:
        reader.execute(
            f"SELECT line_number, key_hash, row_hash, packed FROM {staged} WHERE job_id = %s AND status IN ({wanted})",  # noqa: S608
            [job_id],
        )
        while batch := reader.fetchmany(5000):
            # A packed value of another width fails loudly (sqlite3: wrong number of bindings).
            cursor.executemany(insert, [(line, key, row, *packed.split(SEPARATOR)) for line, key, row, packed in batch])


def claimed_row():
    """(alias, join) to read the values of a claimed row of `_import_claimed c`: on
    PostgreSQL they are in it (toit.imports.importing._apply_set copies them there); on
    SQLite they are in `_import_row r`, joined by line."""
    if is_postgresql():
        return "c", ""
    return "r", "JOIN _import_row r ON r.line_number = c.line_number"


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
        cursor.execute(f"ANALYZE temp.{name}")


def drop_temp(cursor, *names):
    for name in names:
        if name == "_import_row" and is_postgresql():
            cursor.execute("DROP VIEW IF EXISTS _import_row")
        else:
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
