"""Importing the checked rows of a job: ONE transaction, whatever happens. A row refused by
the domain is skipped (valid rows only) or aborts everything (all or nothing); a crash, a
database error or a killed worker leaves nothing written, and the job can be run again.

The same row-by-row application, run in a transaction that is rolled back, is how the
sinks that depend on the database's state (events, FSL decisions) are checked before the
user decides (toit.imports.validation.dry_run)."""

from collections import Counter

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from toit.imports import packing, sql
from toit.imports.context import Context
from toit.imports.enums import FINAL_STATUSES, Decision, JobStatus, RowStatus
from toit.imports.models import ImportedRow, ImportIssue, ImportJob, StagedRow
from toit.imports.problems import shown_value


class ImportAborted(Exception):
    """The import stops and writes nothing; the message says why, in French."""


class _AlreadyImported(Exception):
    pass


def batch_rows():
    return int(getattr(settings, "TOIT_IMPORT_BATCH_ROWS", 5000))


def use_set_based(sink):
    return sink.apply_set is not None and getattr(settings, "TOIT_IMPORT_SET_BASED", True)


def staged_batches(job, size):
    """Valid staged rows (line, key hash, row hash, packed), in file order, `size` at a time."""
    last = 0
    while True:
        rows = list(
            StagedRow.objects.filter(job=job, status=RowStatus.VALID, line_number__gt=last)
            .order_by("line_number")
            .values_list("line_number", "key_hash", "row_hash", "packed")[:size]
        )
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _claim(job, source, line, key_hash, row_hash):
    """Record the natural key as imported; None when it already is (the unique constraint
    decides, even against another import running at the same time)."""
    try:
        with transaction.atomic():
            return ImportedRow.objects.create(
                source_kind=source.code,
                organisation=job.organisation,
                key_hash=key_hash,
                row_hash=row_hash,
                job=job,
                line_number=line,
            )
    except IntegrityError:
        return None


def apply_rows(job, source, ctx, *, on_refused, run=None, total=0):
    """Apply the valid staged rows one by one, each in a savepoint. A refused row is rolled
    back and handed to on_refused(line, refusal, row). Returns the counts."""
    sink = source.sink_object
    counts = Counter()
    done = 0
    for batch in staged_batches(job, batch_rows()):
        for line, key_hash, row_hash, packed in batch:
            row = packing.unpack(sink.staged, packed)
            try:
                with transaction.atomic():
                    claim = _claim(job, source, line, key_hash, row_hash)
                    if claim is None:
                        raise _AlreadyImported
                    applied = sink.apply(row, source, ctx)
                    ImportedRow.objects.filter(pk=claim.pk).update(object_id=applied.object_id)
            except _AlreadyImported:
                counts["already"] += 1
                continue
            except Exception as exc:
                refusal = sink.refusal(exc)
                if refusal is None:
                    raise
                on_refused(line, refusal, row)
                counts["refused"] += 1
                continue
            counts["imported"] += 1
            counts["matched"] += applied.matched
            counts["unmatched"] += applied.unmatched
            counts["opened"] += applied.opened
        done += len(batch)
        if run is not None:
            run.progress(done, total)
            run.pause()
    return counts


def _apply_set(job, source, ctx, run):
    """Claim every valid row's natural key in one statement, then let the sink import the
    claimed rows set-based. Keys imported before (by a job that committed since the
    check) are left out; imports of one organisation and source are serialised by
    lock_source, so no other transaction can claim a key meanwhile. PostgreSQL and SQLite
    run the same steps; only their SQL differs (toit.imports.sql)."""
    sink = source.sink_object
    names = ("source_kind", "organisation", "key_hash", "row_hash", "job", "line_number", "object_id", "created_at")
    imported = sql.table(ImportedRow)
    params = {"kind": source.code, "organisation": job.organisation_id, "job": job.pk, "now": sql.now()}
    # An anti-join rather than ON CONFLICT, which costs a second index probe per row.
    unclaimed = f"""FROM _import_row r
        WHERE NOT EXISTS (
            SELECT 1 FROM {imported} i
            WHERE i.organisation_id = %(organisation)s AND i.source_kind = %(kind)s
              AND i.key_hash = r.key_hash)"""  # noqa: S608
    with connection.cursor() as cursor:
        sql.drop_temp(cursor, "_import_claimed")
        sql.unpack_staged(cursor, job, sink.staged)
        if sql.is_postgresql():
            # Sorts and hashes of a million rows stay in memory rather than spill to disk.
            cursor.execute("SET LOCAL work_mem = '128MB'")
            # Resolved once: inside the INSERT it would be looked up again for every row.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [sink.model._meta.db_table])
            params["sequence"] = cursor.fetchone()[0]
            # Ids are handed out in the order the sink will insert (for reports, by date),
            # so that its table's indexes on the id and the date grow at their right edge;
            # PostgreSQL calls nextval after the sort. The claimed rows keep their values,
            # split once here: the sink's statements read them from this table rather than
            # split the staged rows again, each (sql.claimed_row).
            cursor.execute(
                f"""CREATE TEMP TABLE _import_claimed ON COMMIT DROP AS
                SELECT r.*, nextval(%(sequence)s::regclass) AS object_id
                {unclaimed}
                ORDER BY {sink.claim_order("r")}""",
                params,
            )
            claimed = cursor.rowcount
            # The keys then go into the table's only index (its primary key ends with the
            # key hash) in its order, one leaf page after the other, rather than at random.
            # Sorted byte by byte (COLLATE "C"): for hexadecimal digests of one length every
            # collation gives that same order, and the byte order sorts a million keys in half
            # the time of the database's collation (C.UTF-8 here, fr_FR elsewhere), which
            # PostgreSQL compares with strcoll and without abbreviated keys.
            cursor.execute(
                f"""INSERT INTO {imported} ({sql.columns(ImportedRow, names)})
                SELECT %(kind)s, %(organisation)s, c.key_hash, c.row_hash, %(job)s, c.line_number, c.object_id,
                       %(now)s
                FROM _import_claimed c ORDER BY c.key_hash COLLATE "C" """,  # noqa: S608
                params,
            )
            # Statistics on what the sink joins on only: the value columns are wide and read once.
            cursor.execute("ANALYZE _import_claimed (line_number, object_id)")
        else:
            # No sequence: under the database's write lock (lock_source), ids follow the
            # highest ever handed out (AUTOINCREMENT's sqlite_sequence), in the same order.
            target = sink.model._meta.db_table
            cursor.execute(
                f"""SELECT max(coalesce((SELECT max(id) FROM {sql.table(sink.model)}), 0),
                               coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))""",  # noqa: S608
                [target],
            )
            params["base"] = cursor.fetchone()[0]
            sql.create_temp(
                cursor,
                "_import_claimed",
                f"""SELECT r.line_number AS line_number,
                           %(base)s + row_number() OVER (ORDER BY {sink.claim_order("r")}) AS object_id
                    {unclaimed}
                    ORDER BY r.line_number""",
                params,
                index="line_number",
            )
            # In the order of the table's only index (its primary key ends with key_hash): the
            # keys, random hashes, then go into the index one after the other (3 × faster than
            # in id order on 100 000 rows).
            cursor.execute(
                f"""INSERT INTO {imported} ({sql.columns(ImportedRow, names)})
                SELECT %(kind)s, %(organisation)s, r.key_hash, r.row_hash, %(job)s, r.line_number, c.object_id,
                       %(now)s
                FROM _import_claimed c JOIN _import_row r ON r.line_number = c.line_number
                ORDER BY r.key_hash""",  # noqa: S608
                params,
            )
            claimed = cursor.rowcount
    run.progress(claimed // 3, job.valid_rows)
    run.pause()
    result = sink.apply_set(job, source, ctx, run.pause)
    with connection.cursor() as cursor:
        # PostgreSQL drops _import_claimed at commit, not the view; a rollback drops both.
        sql.drop_temp(cursor, "_import_row", *(() if sql.is_postgresql() else ("_import_claimed",)))
    return Counter(
        imported=claimed,
        already=job.valid_rows - claimed,
        matched=result.get("matched", 0),
        unmatched=result.get("unmatched", 0),
        opened=result.get("opened", 0),
    )


def lock_source(job):
    """Serialise the imports of one organisation and source kind: their natural keys can
    collide, and both the claim and the check of changed rows rely on nobody else
    claiming meanwhile. PostgreSQL: an advisory lock; SQLite: a first write, which takes
    the database's single write lock for the rest of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"toit.imports:{job.organisation_id}:{job.source_kind}"],
            )
    else:
        ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now())


def recheck_known_keys(job, source):
    """Rows whose natural key was imported since the check (by another import that
    finished in between), under the lock: with the same values they are already imported;
    with other values they are errors, as at check time (an import never overwrites).
    Returns (already, refused, IssueWriter)."""
    from toit.imports.staging import IssueWriter
    from toit.imports.validation import mark_already_imported

    valid = StagedRow.objects.filter(job=job, status=RowStatus.VALID)
    issues = IssueWriter(job)
    before = job.valid_rows
    changed = mark_already_imported(job, source, issues)
    remaining = valid.count()
    refused = len(changed)
    if refused and job.decision == Decision.ALL_OR_NOTHING:
        line = changed[0]
        raise ImportAborted(
            f"Ligne {line} refusée : sa clé a été importée avec d'autres valeurs par un autre import, terminé depuis "
            f"la vérification du fichier ({refused} ligne(s) en tout). Rien n'a été importé (choix « tout ou rien ») ; "
            "vérifiez ces lignes et déposez le fichier à nouveau."
        )
    return before - remaining - refused, refused, issues


def import_job(job, run):
    """Import the job's valid rows as job.decision says, in one transaction that also marks
    the job done. Raises ImportAborted (nothing written) when it cannot."""
    source = job.source
    ctx = Context(job.organisation, job.user)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("organisation", "user").get(pk=job.pk)
        lock_source(job)
        staged = StagedRow.objects.filter(job=job, status=RowStatus.VALID).count()
        if staged != job.valid_rows:
            raise ImportAborted(
                f"Les lignes vérifiées ne sont plus toutes là ({staged} sur {job.valid_rows}), sans doute après un "
                "redémarrage de la base : relancez la vérification du fichier."
            )
        already, changed, recheck = recheck_known_keys(job, source)
        job.valid_rows -= already + changed
        job.already_imported_rows += already
        job.rejected_rows += changed
        job.error_count += recheck.count
        if use_set_based(source.sink_object):
            counts = _apply_set(job, source, ctx, run)
            errors = counts["refused"]
        else:
            written = 0

            def refused(line, refusal, row):
                nonlocal written
                if job.decision == Decision.ALL_OR_NOTHING:
                    messages = " ; ".join(r.message for r in refusal.refusals)
                    raise ImportAborted(
                        f"Ligne {line} refusée : {messages}. Rien n'a été importé (choix « tout ou rien ») ; "
                        "corrigez le fichier et déposez-le à nouveau."
                    )
                written += len(
                    ImportIssue.objects.bulk_create(
                        ImportIssue(
                            job=job,
                            line_number=line,
                            column=job.column_label(r.field)[:255],
                            value=shown_value(row.get(r.field, "")) if r.field else "",
                            message=r.message,
                            expected=r.expected,
                        )
                        for r in refusal.refusals
                    )
                )

            counts = apply_rows(job, source, ctx, on_refused=refused, run=run, total=job.valid_rows)
            errors = written  # a row refused for several rules has one issue each
        run.progress(job.valid_rows, job.valid_rows)
        job.imported_rows = counts["imported"]
        job.already_imported_rows += counts["already"]
        job.rejected_rows += counts["refused"]
        job.error_count += errors
        job.matched_rows = counts["matched"]
        job.unmatched_rows = counts["unmatched"]
        job.opened_files = counts["opened"]
        job.status = JobStatus.DONE
        job.finished_at = timezone.now()
        job.save()
    # Scratch rows, deleted once the import is committed rather than inside its transaction
    # (a million-row delete); a crash in between leaves garbage that clear_staging removes.
    clear_staging(job)
    return job


def clear_staging(job=None):
    """Delete the staged rows of `job`, and those of every finished job."""
    if job is not None:
        StagedRow.objects.filter(job=job).delete()
    StagedRow.objects.filter(job__in=ImportJob.objects.filter(status__in=FINAL_STATUSES)).delete()
