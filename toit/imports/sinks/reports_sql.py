"""The set-based twin of ReportSink.apply, for PostgreSQL and SQLite: the same rows, the same rule, in
a handful of INSERT … SELECT statements instead of a dozen queries per row. Each statement
says which domain function it stands for; tests import the same files both ways and
compare the results (tests/imports/test_set_based.py).

It runs inside the import's transaction, after toit.imports.importing has split the staged
values into _import_row (toit.imports.sql.unpack_staged) and claimed the rows' natural keys
into the temporary table _import_claimed (line_number, object_id: the id the report will
take; on PostgreSQL, the split values too: toit.imports.sql.claimed_row). Table and column
names come from the models (toit.imports.sql), values are always query parameters: hence
the `noqa: S608` on the statements."""

from django.db import connection

from toit.eviction.enums import EventKind, TransmissionStatus
from toit.eviction.matching import MAX_CANDIDATES
from toit.eviction.models import Event, FileParticipant, HouseholdMember, PreventionFile, Report, ReportTransmission
from toit.imports import sql
from toit.imports.history import insert_with_history
from toit.imports.packing import sql_value
from toit.imports.references import COMMUNE, check_references
from toit.imports.sinks.reports import REPORT_FIELDS
from toit.imports.sql import column as _column
from toit.imports.sql import columns as _columns
from toit.imports.sql import table as _table


def import_reports(job, source, sink, ctx, pause=lambda: None):
    """Returns {"matched": n, "unmatched": n} for the claimed rows."""
    fields = sink.staged

    alias, join_row = sql.claimed_row()

    def value(name):
        return sql_value(fields, name, alias)

    report, event = _table(Report), _table(Event)
    member, file, participant = _table(HouseholdMember), _table(PreventionFile), _table(FileParticipant)
    transmission = _table(ReportTransmission)
    params = {
        "job": job.pk,
        "organisation": ctx.organisation.pk,
        "user": ctx.user.pk if ctx.user else None,
        "source": source.constants["source"],
        "unpaid": EventKind.UNPAID_REPORTED.value,
        "pending": TransmissionStatus.PENDING.value,
        "max_candidates": MAX_CANDIDATES,
        "now": sql.now(),
    }
    temporary = ("_import_person", "_import_candidate", "_import_match")
    with connection.cursor() as cursor:
        # find_matches' person test: a member of the household with the same birth date and
        # one of the row's person keys as used or birth name key.
        sql.drop_temp(cursor, *temporary)
        if sql.is_postgresql():
            persons = f"""SELECT c.line_number, k.person_key, {value("birth_date")} AS birth_date
            FROM _import_claimed c {join_row}
            CROSS JOIN LATERAL (VALUES ({value("key1")}), ({value("key2")})) AS k(person_key)
            WHERE k.person_key <> '' AND {value("birth_date")} IS NOT NULL"""  # noqa: S608
        else:
            # No LATERAL: the rows read twice, once per key.
            persons = " UNION ALL ".join(
                f"""SELECT c.line_number, {value(key)} AS person_key, {value("birth_date")} AS birth_date
                FROM _import_claimed c {join_row}
                WHERE {value(key)} <> '' AND {value("birth_date")} IS NOT NULL"""  # noqa: S608
                for key in ("key1", "key2")
            )
        sql.create_temp(cursor, "_import_person", persons, params, index="person_key, birth_date")
        household, name_key, birth_name_key, birth_date = (
            _column(HouseholdMember, n) for n in ("household", "name_key", "birth_name_key", "birth_date")
        )
        file_household = _column(PreventionFile, "household")
        candidates = " UNION ".join(
            f"""SELECT p.line_number, f.id AS file_id FROM _import_person p
                JOIN {member} m ON m.{key} = p.person_key AND m.{birth_date} = p.birth_date
                JOIN {file} f ON f.{file_household} = m.{household}"""  # noqa: S608
            for key in (name_key, birth_name_key)
        )
        # Whether the importing organisation takes lasting part in each candidate file
        # (access.files_of_organisation): only those may be attached on its word.
        p_file, p_org, p_expires = (_column(FileParticipant, n) for n in ("file", "organisation", "expires_at"))
        sql.create_temp(
            cursor,
            "_import_candidate",
            f"""SELECT DISTINCT candidates.line_number AS line_number, candidates.file_id AS file_id, EXISTS (
                SELECT 1 FROM {participant} fp WHERE fp.{p_file} = candidates.file_id
                AND fp.{p_org} = %(organisation)s AND fp.{p_expires} IS NULL) AS own
            FROM ({candidates}) AS candidates""",  # noqa: S608
            params,
            index="line_number",
        )
        # The import's rule: attached when exactly one file the organisation reads has the person.
        sql.create_temp(
            cursor,
            "_import_match",
            """SELECT line_number, min(file_id) AS file_id FROM _import_candidate WHERE own
            GROUP BY line_number HAVING count(DISTINCT file_id) = 1""",
            index="line_number",
        )
        if sql.is_postgresql():
            # add_event locks the file it adds to; so do we, in id order to avoid deadlocks
            # (SQLite: the import already holds the database's single write lock).
            cursor.execute(
                f"SELECT id FROM {file} WHERE id IN (SELECT file_id FROM _import_match) ORDER BY id FOR UPDATE"  # noqa: S608
            )
        check_references(cursor, join_row, params, [COMMUNE.of(value("commune_id"))])
        pause()
        # record_report (and attach_report's matched_* when a file was found).
        columns = ["id", "source", "reporting_organisation", *REPORT_FIELDS, "file", "opened_file", "matched_by"]
        columns += ["matched_at", "recorded_by", "is_synthetic", "created_at", "join_decision", "join_reason"]
        report_values = [value(name) for name in REPORT_FIELDS]
        months = REPORT_FIELDS.index("months_unpaid")
        report_values[months] = sql.cast(report_values[months], "smallint")
        more, more_values = sql.defaults(Report, columns, params, "report")
        # In id order, for the indexes' sake only. PostgreSQL wrote _import_claimed in that
        # order and reads it back so (the few matches are hashed): sorting a million wide
        # rows again would spill to disk for nothing.
        order = "" if sql.is_postgresql() else "ORDER BY c.object_id"
        insert_with_history(
            cursor,
            Report,
            f"""INSERT INTO {report} ({_columns(Report, columns)}{more})
            SELECT c.object_id, %(source)s, %(organisation)s, {", ".join(report_values)},
                   m.file_id, false, CASE WHEN m.file_id IS NULL THEN NULL ELSE %(user)s END,
                   CASE WHEN m.file_id IS NULL THEN NULL ELSE %(now)s END, %(user)s, false, %(now)s, '', ''{more_values}
            FROM _import_claimed c {join_row}
            LEFT JOIN _import_match m ON m.line_number = c.line_number
            {order}""",  # noqa: S608
            params,
            params["user"],
            "SELECT object_id FROM _import_claimed",
        )
        pause()
        # attach_report: the « impayé signalé » event, dated and valued as the report. CROSS
        # JOIN: SQLite then starts from the few matched rows rather than scanning the claimed
        # ones (PostgreSQL plans it as any inner join).
        event_columns = ["file", "kind", "date", "organisation", "recorded_by", "created_at", "note", "amount"]
        event_columns += ["judgment_outcome", "settlement_mode", "report"]
        more, more_values = sql.defaults(Event, event_columns, params, "event")
        events = f"SELECT id FROM {event} WHERE report_id IN (SELECT object_id FROM _import_claimed)"  # noqa: S608
        matched = insert_with_history(
            cursor,
            Event,
            f"""INSERT INTO {event} ({_columns(Event, event_columns)}{more})
            SELECT m.file_id, %(unpaid)s, {value("reported_on")}, %(organisation)s, %(user)s, %(now)s, '',
                   {value("debt_amount")}, '', '', c.object_id{more_values}
            FROM _import_match m CROSS JOIN _import_claimed c {join_row}
            WHERE c.line_number = m.line_number""",  # noqa: S608
            params,
            params["user"],
            events,
        )
        # add_event's refresh_procedure_state: the event just written is each matched
        # file's last recorded one (its created_at is this import's « now »).
        cursor.execute(
            f"UPDATE {file} SET last_event_at = %(now)s WHERE id IN (SELECT file_id FROM _import_match)",  # noqa: S608
            params,
        )
        _refresh_reopened_files(cursor)
        # intake.transmit: a row whose person is only in files the organisation does not
        # read goes to those files' participants; the organisation joins nothing.
        t_columns = ["report", "file", "status", "created_at", "note"]
        more, more_values = sql.defaults(ReportTransmission, t_columns, params, "transmission")
        transmitted = f"SELECT id FROM {transmission} WHERE report_id IN (SELECT object_id FROM _import_claimed)"  # noqa: S608
        insert_with_history(
            cursor,
            ReportTransmission,
            f"""INSERT INTO {transmission} ({_columns(ReportTransmission, t_columns)}{more})
            SELECT c.object_id, ranked.file_id, %(pending)s, %(now)s, ''{more_values}
            FROM (SELECT line_number, file_id,
                         row_number() OVER (PARTITION BY line_number ORDER BY file_id DESC) AS rank
                  FROM _import_candidate x
                  WHERE NOT EXISTS (SELECT 1 FROM _import_candidate o WHERE o.line_number = x.line_number AND o.own))
                 AS ranked
            JOIN _import_claimed c ON c.line_number = ranked.line_number
            WHERE ranked.rank <= %(max_candidates)s""",  # noqa: S608
            params,
            params["user"],
            transmitted,
        )
        cursor.execute("SELECT count(*) FROM _import_claimed")
        claimed = cursor.fetchone()[0]
        if not sql.is_postgresql():  # PostgreSQL drops them at commit
            sql.drop_temp(cursor, *temporary)
    return {"matched": matched, "unmatched": claimed - matched}


def _refresh_reopened_files(cursor):
    """add_event keeps each file's procedure state (toit.eviction.procedure_state); events
    written here by set skip it. An « impayé signalé » changes no column but closed_on (it
    reopens a closed file), stage (a file only opened becomes « impayé signalé ») and
    last_event_at (set for every matched file by the caller), so only the closed or
    opened-only files it reaches are refreshed."""
    from toit.eviction.enums import Stage
    from toit.eviction.models import PreventionFile
    from toit.eviction.procedure import refresh_procedure_states

    files = PreventionFile._meta.db_table
    cursor.execute(
        f"""SELECT DISTINCT m.file_id FROM _import_match m JOIN {files} f ON f.id = m.file_id
        WHERE f.closed_on IS NOT NULL OR f.stage = %s""",  # noqa: S608
        [Stage.OPENED.value],
    )
    refresh_procedure_states(file_id for (file_id,) in cursor.fetchall())
