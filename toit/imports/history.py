"""The change history (django-simple-history) of what an import writes.

Row by row, the domain's save() calls write the historical rows through simple-history's
signals; in a worker there is no request to name the user, so acting_as() gives them the
user who launched the import, as HistoryRequestMiddleware does for a page.

The set-based path writes with INSERT … SELECT, which no signal sees: insert_history writes
the historical rows the same way, one creation record ('+') per row created, with its final
values (row by row, a report attached to a file has a creation then a change record).

Both do nothing for a model without HistoricalRecords."""

from contextlib import contextmanager
from types import SimpleNamespace

from django.db import connection

from toit.imports import sql


@contextmanager
def acting_as(user):
    try:
        from simple_history.models import HistoricalRecords
    except ImportError:  # pragma: no cover - the dependency is declared
        yield
        return
    context = HistoricalRecords.context
    missing = object()
    previous = getattr(context, "request", missing)
    context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        yield
    finally:
        if previous is missing:
            del context.request
        else:
            context.request = previous


def historical_model(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def _history_columns(history, model):
    """(columns of the historical table, what to select for them from a row of `model`
    aliased t) for a creation record."""
    own = {f.column for f in model._meta.concrete_fields}
    copied = [f.column for f in history._meta.concrete_fields if f.column in own]
    names = {f.name for f in history._meta.concrete_fields}
    extra = {"history_date": "%(history_now)s", "history_type": "'+'", "history_user": "%(history_user)s"}
    extra = {name: value for name, value in extra.items() if name in names}
    columns = [connection.ops.quote_name(c) for c in copied] + [sql.column(history, name) for name in extra]
    selected = [f"t.{connection.ops.quote_name(c)}" for c in copied] + list(extra.values())
    return copied, columns, selected


def insert_with_history(cursor, model, insert, params, user_id, ids_sql):
    """Run `insert` (an INSERT … SELECT into `model`'s table) and write the creation
    records of the rows it creates. Returns how many rows it created. On PostgreSQL, one
    statement: the historical rows are written from the INSERT's RETURNING, rather than
    read back from the table by id afterwards. SQLite cannot put an INSERT in a WITH:
    the rows are read back through `ids_sql`, a SELECT of their ids."""
    history = historical_model(model)
    if history is None or not sql.is_postgresql():
        cursor.execute(insert, params)
        created = cursor.rowcount
        if created:
            insert_history(model, ids_sql, params, user_id)
        return created
    copied, columns, selected = _history_columns(history, model)
    returned = ", ".join(connection.ops.quote_name(c) for c in copied)
    cursor.execute(
        f"""WITH t AS ({insert} RETURNING {returned})
        INSERT INTO {sql.table(history)} ({", ".join(columns)}) SELECT {", ".join(selected)} FROM t""",  # noqa: S608
        {**params, "history_user": user_id, "history_now": sql.now()},
    )
    return cursor.rowcount


def insert_history(model, ids_sql, params, user_id):
    """Creation records for the rows of `model` whose ids `ids_sql` selects."""
    history = historical_model(model)
    if history is None:
        return 0
    _, columns, selected = _history_columns(history, model)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {sql.table(history)} ({", ".join(columns)})
            SELECT {", ".join(selected)} FROM {sql.table(model)} t WHERE t.id IN ({ids_sql})""",  # noqa: S608
            {**params, "history_user": user_id, "history_now": sql.now()},
        )
        return cursor.rowcount
