"""The set-based twin of DemandSink (the social housing demand register's extract, a few
million rows nationally: issue 17), for PostgreSQL and SQLite.

At check time (check_demands), what record_demand's full_clean asks of the database, for
the whole file at once: whether the acting user may record for the organisation
(access.require_may_record_for: one query), and which rows carry a number a demand of the
same département already has, whoever holds it (demand_number_unique: one query). The
message is the constraint's own, as the rolled-back dry run said it: it tells nothing of
the other demand.

At import (import_demands), inside the import's transaction, on the rows
toit.imports.importing has claimed into _import_claimed (ids handed out there): the same
two rules again, since a demand may have been entered since the check (then nothing is
written and the message says so, in French), the references checked and locked, then one
INSERT … SELECT of the demands with their creation records (toit.imports.history), the
columns record_demand writes: the département of the commune, the importing organisation
as holder, the acting user as author. Table and column names come from the models,
values are query parameters: hence the `noqa: S608`."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from toit.imports import sql
from toit.imports.enums import RowStatus
from toit.imports.history import insert_with_history
from toit.imports.models import StagedRow
from toit.imports.packing import sql_value
from toit.imports.problems import Problem, shown_value
from toit.imports.references import COMMUNE, SOCIAL_LANDLORD, check_references
from toit.imports.sinks.base import RowRefused
from toit.imports.sinks.demands import NUMBER_TAKEN_FIX, UNIQUE_NUMBER
from toit.priority_access import access
from toit.priority_access.models import HousingDemand
from toit.territory.models import Commune

# The staged values record_demand receives as they are (the rest is set by the import).
COPIED = (
    "number", "last_name", "first_name", "birth_name", "birth_date", "commune_id", "household_size",
    "monthly_resources", "filed_on", "renewed_on", "allocated_on", "allocated_landlord_id", "allocation_channel",
    "plai_dwelling",
)  # fmt: skip


def _refused_access(ctx):
    """The refusal the dry run noted for every row when the user may not record for the
    organisation (None when they may)."""
    try:
        access.require_may_record_for(ctx.user, ctx.organisation)
    except PermissionDenied as exc:
        return exc
    return None


def _taken(fields, alias, join_row):
    """FROM … WHERE selecting the rows (`alias`) whose number a demand of the département
    of their commune already has."""
    commune, department = sql.table(Commune), sql.column(Commune, "department")
    demand = sql.table(HousingDemand)
    d_department, d_number = sql.column(HousingDemand, "department"), sql.column(HousingDemand, "number")
    return f"""{join_row} JOIN {commune} m ON m.id = {sql_value(fields, "commune_id", alias)}
        WHERE EXISTS (SELECT 1 FROM {demand} d
                      WHERE d.{d_department} = m.{department}
                        AND d.{d_number} = {sql_value(fields, "number", alias)})"""  # noqa: S608


# The rows check_demands reads: those still valid, and those refused for their own checks.
CHECKED = (RowStatus.VALID, RowStatus.REFUSED)


def check_demands(job, source, sink, ctx, issues):
    """Refuse, with the dry run's words and lines, the valid staged rows record_demand would
    refuse for the database's state; say it too of the rows already refused for their own
    checks (RowStatus.REFUSED), so that the report lists all of a row's errors at once.
    Two queries, whatever the number of rows (and a few more for the statuses)."""
    staged = StagedRow.objects.filter(job=job)
    denied = _refused_access(ctx)
    if denied is not None:
        refusal = sink.refusal(denied)
        found = [
            (line, "")
            for line in staged.filter(status__in=CHECKED).order_by("line_number").values_list("line_number", flat=True)
        ]
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            sql.unpack_staged(cursor, job, sink.staged, statuses=CHECKED)
            number = sql_value(sink.staged, "number", "r")
            taken = f"SELECT r.line_number, {number} FROM _import_row r {_taken(sink.staged, 'r', '')} ORDER BY 1"  # noqa: S608
            cursor.execute(taken)
            found = cursor.fetchall()
            sql.drop_temp(cursor, "_import_row")
        # The constraint's own message, as the dry run said it: nothing of the other demand.
        refusal = RowRefused(str(UNIQUE_NUMBER.violation_error_message), NUMBER_TAKEN_FIX, "number")
    lines = [line for line, _ in found]
    refused = set()  # reported already, and counted, for their own checks
    for start in range(0, len(lines), 1000):
        chunk = lines[start : start + 1000]
        refused.update(
            staged.filter(line_number__in=chunk, status=RowStatus.REFUSED).values_list("line_number", flat=True)
        )
        staged.filter(line_number__in=chunk, status=RowStatus.VALID).update(status=RowStatus.REJECTED)
    column = job.column_label(refusal.field)
    for line, value in found:
        issues.add(
            Problem(refusal.message, refusal.expected, column, shown_value(value) if refusal.field else "", line)
        )
        if line not in refused:
            issues.rejected += 1
        if len(issues.issues) >= 5000:
            issues.flush()
    issues.flush()


def import_demands(job, source, sink, ctx, pause=lambda: None):
    """Writes the claimed rows' demands and their history; raises ImportAborted (nothing
    written) when a rule the check passed no longer holds."""
    from toit.imports.importing import ImportAborted

    fields = sink.staged
    alias, join_row = sql.claimed_row()

    def value(name):
        return sql_value(fields, name, alias)

    params = {"organisation": ctx.organisation.pk, "user": ctx.user.pk if ctx.user else None, "now": sql.now()}
    denied = _refused_access(ctx)
    if denied is not None:
        raise ImportAborted(f"{denied} Rien n'a été importé.")
    with connection.cursor() as cursor:
        check_references(
            cursor,
            join_row,
            params,
            [COMMUNE.of(value("commune_id")), SOCIAL_LANDLORD.of(value("allocated_landlord_id"))],
        )
        # A demand with the same number entered in the département since the check (by hand,
        # by another organisation's import): the whole file waits for a new check.
        cursor.execute(
            f"SELECT min(c.line_number), count(*) FROM _import_claimed c {_taken(fields, alias, join_row)}",  # noqa: S608
            params,
        )
        line, count = cursor.fetchone()
        if count:
            raise _taken_since_check(line, count)
        pause()
        demand = sql.table(HousingDemand)
        columns = ["id", "department", "holder", "recorded_by", "is_synthetic", "created_at", "updated_at"]
        columns += [name.removesuffix("_id") for name in COPIED] + ["priority_grounds"]
        copied = [value(name) for name in COPIED]
        size = COPIED.index("household_size")
        copied[size] = sql.cast(copied[size], "smallint")
        more, more_values = sql.defaults(HousingDemand, columns, params, "demand")
        order = "" if sql.is_postgresql() else "ORDER BY c.object_id"  # see reports_sql
        grounds = _grounds_json(value("priority_grounds"))
        try:
            # A savepoint: on PostgreSQL, a demand committed by another transaction meanwhile
            # fails the INSERT, and the French error below is raised from a usable connection.
            with transaction.atomic():
                insert_with_history(
                    cursor,
                    HousingDemand,
                    f"""INSERT INTO {demand} ({sql.columns(HousingDemand, columns)}{more})
                    SELECT c.object_id, m.{sql.column(Commune, "department")}, %(organisation)s, %(user)s, false,
                           %(now)s, %(now)s, {", ".join(copied)}, {grounds}{more_values}
                    FROM _import_claimed c {join_row}
                    JOIN {sql.table(Commune)} m ON m.id = {value("commune_id")}
                    {order}""",  # noqa: S608
                    params,
                    params["user"],
                    "SELECT object_id FROM _import_claimed",
                )
        except IntegrityError as exc:
            if not _is_taken_number(exc):
                raise
            raise _taken_since_check(None, None) from exc
    return {}


def _is_taken_number(exc):
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:  # PostgreSQL names the constraint
        return diag.constraint_name == UNIQUE_NUMBER.name
    return f"{HousingDemand._meta.db_table}.number" in str(exc)  # SQLite names the columns


def _taken_since_check(line, count):
    from toit.imports.importing import ImportAborted

    where = f"Ligne {line} refusée : une" if line else "Import refusé : une"
    others = f" ({count} ligne(s) en tout)" if count and count > 1 else ""
    return ImportAborted(
        f"{where} demande portant ce numéro unique a été enregistrée dans ce département depuis la vérification du "
        f"fichier{others}. Rien n'a été importé ; relancez la vérification du fichier."
    )


def _grounds_json(staged):
    """The staged grounds (codes of PriorityGround joined by « ; »: no quote, no backslash)
    as the JSON list record_demand stores, in json.dumps' spelling (SQLite keeps the text)."""
    text = f"""CASE WHEN {staged} = '' THEN '[]' ELSE '["' || replace({staged}, ';', '", "') || '"]' END"""
    return f"({text})::jsonb" if sql.is_postgresql() else text
