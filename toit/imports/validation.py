"""Checking a file before anything is written to the domain tables.

1. The file is read as a stream; each row is checked (toit.imports.checking) and either
   staged or reported, batch by batch.
2. On the staging table: rows of the file with the same natural key (duplicates), then
   rows imported before (same values: skipped as already imported; other values: an error,
   an import never overwrites).
3. For sinks that depend on the database's state (the procedure of a file, who takes part
   in it), the rows are applied in a transaction that is rolled back, and refusals are
   reported with the domain's own words; a sink that can say the same in a few queries
   for the whole file does so instead (Sink.check_set: the demand register's extract).
The job ends VALIDATED, with its counts and its error report, waiting for the user."""

from django.db import connection, transaction
from django.db.models import Count, Exists, Min, OuterRef
from django.utils import timezone

from toit.imports import sql
from toit.imports.checking import RowChecker
from toit.imports.context import Context
from toit.imports.enums import JobStatus, RowStatus
from toit.imports.headers import match_header
from toit.imports.importing import apply_rows, batch_rows, clear_staging
from toit.imports.models import ImportedRow, ImportIssue, ImportJob, StagedRow
from toit.imports.parallel import checked_batches, processes_for
from toit.imports.problems import FileProblem, Problem, shown_value
from toit.imports.reading import open_table
from toit.imports.staging import IssueWriter, StagingWriter


class _RollBack(Exception):
    pass


def _describe_key(source):
    return ", ".join(f"« {source.column(f).name} »" for f in source.natural_key)


def read_rows(job, source, ctx, issues, run):
    """Steps 1: returns the number of data rows read."""
    with open_table(job.file.path, job.file_format) as table:
        job.encoding, job.separator = table.encoding, table.separator
        if getattr(table, "other_sheets", None):
            job.notes.append(
                f"Seule la première feuille du classeur (« {table.sheet_name} ») est lue ; les autres sont ignorées : "
                + ", ".join(table.other_sheets)
                + "."
            )
        try:
            layout = match_header(table.header, source)
        except FileProblem as exc:
            raise FileProblem([p.at(table.header_line) for p in exc.problems]) from None
        job.columns = {column.field: header for _, column, header in layout.positions}
        if layout.ignored:
            job.notes.append(
                "Colonnes ignorées (inconnues pour ce type de fichier) : " + ", ".join(layout.ignored) + "."
            )
        checker = RowChecker(source, layout, ctx, native=table.file_format == "xlsx")
        total, size = 0, batch_rows()
        sizes = []

        def batches():
            for batch in table.batches(size):
                sizes.append(len(batch))
                yield batch

        processes = processes_for(job, source.sink_object)
        with StagingWriter(job) as staging:
            for staged, rejected in checked_batches(checker, batches(), processes):
                total += sizes.pop(0)
                staging.add(staged)
                for problems in rejected:
                    issues.add_row(problems)
                if len(issues.issues) >= size:
                    staging.pause()  # the connection is busy with the COPY until then
                    issues.flush()
                run.progress(table.done(), table.total)
        issues.flush()
        run.progress(table.total, table.total)
    if total == 0:
        raise FileProblem(
            Problem(
                "Aucune ligne de données après l'en-tête",
                "une ligne par signalement, événement ou décision sous la ligne d'en-têtes",
                line=table.header_line,
            )
        )
    return total


def analyse_staging():
    """Fresh statistics for the planner: a file can add a million rows at once."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {sql.table(StagedRow)}")


def mark_duplicates(job, source, issues):
    """Step 2a: the second and later rows of a natural key are duplicates (among the rows
    that passed their own checks: a refused row is no first occurrence to keep)."""
    rows = StagedRow.objects.filter(job=job, status=RowStatus.VALID)
    keys = rows.values("key_hash").annotate(n=Count("line_number"), first=Min("line_number")).filter(n__gt=1)
    duplicated = rows.filter(key_hash__in=keys.values("key_hash")).order_by("key_hash", "line_number")
    first = None
    lines = []
    for key_hash, line, row_hash in duplicated.values_list("key_hash", "line_number", "row_hash").iterator():
        if first is None or first[0] != key_hash:
            first = (key_hash, line, row_hash)
            continue
        if row_hash == first[2]:
            message = f"Ligne en double : identique à la ligne {first[1]}"
            expected = "une seule fois chaque ligne : supprimez le doublon (la première occurrence sera importée)"
        else:
            message = f"Même {_describe_key(source)} que la ligne {first[1]}, mais d'autres valeurs"
            expected = "une seule ligne par clé : gardez la bonne et supprimez ou corrigez l'autre"
        issues.add(Problem(message, expected, line=line))
        issues.rejected += 1
        lines.append(line)
    for start in range(0, len(lines), 1000):
        rows.filter(line_number__in=lines[start : start + 1000]).update(status=RowStatus.DUPLICATE)
    issues.flush()


def mark_already_imported(job, source, issues):
    """Step 2b: rows whose natural key this organisation imported before. Run again by the
    import under its lock (toit.imports.importing.recheck_known_keys). Returns the lines
    refused for other values under a known key."""
    known = ImportedRow.objects.filter(
        source_kind=source.code, organisation=job.organisation_id, key_hash=OuterRef("key_hash")
    )
    valid = StagedRow.objects.filter(job=job, status=RowStatus.VALID)
    valid.filter(Exists(known.filter(row_hash=OuterRef("row_hash")))).update(status=RowStatus.ALREADY_IMPORTED)
    conflicts = valid.filter(Exists(known)).order_by("line_number")
    previous = ImportedRow.objects.filter(source_kind=source.code, organisation=job.organisation_id)
    lines = list(conflicts.values_list("line_number", "key_hash"))
    earlier = {}
    for start in range(0, len(lines), 1000):
        hashes = [h for _, h in lines[start : start + 1000]]
        for key_hash, job_id, line, created in previous.filter(key_hash__in=hashes).values_list(
            "key_hash", "job_id", "line_number", "created_at"
        ):
            earlier[key_hash] = (job_id, line, created)
    for line, key_hash in lines:
        job_id, previous_line, created = earlier[key_hash]
        where = f"import n° {job_id}, ligne {previous_line}" if job_id else f"ligne {previous_line}"
        issues.add(
            Problem(
                f"Déjà importée le {timezone.localtime(created):%d/%m/%Y} ({where}) avec d'autres valeurs pour "
                f"la même clé ({_describe_key(source)})",
                "une nouvelle clé : un import ne modifie jamais une donnée déjà enregistrée ; corrigez-la dans le "
                "dossier ou auprès d'un administrateur",
                line=line,
            )
        )
        issues.rejected += 1
    for start in range(0, len(lines), 1000):
        valid.filter(line_number__in=[line for line, _ in lines[start : start + 1000]]).update(
            status=RowStatus.REJECTED
        )
    issues.flush()
    return [line for line, _ in lines]


def dry_run(job, source, ctx, issues, run):
    """Step 3: apply the rows, note the refusals, roll everything back."""
    refused = []

    def note(line, refusal, row):
        refused.append(
            [
                Problem(
                    r.message,
                    r.expected,
                    job.column_label(r.field),
                    shown_value(row.get(r.field, "")) if r.field else "",
                    line,
                )
                for r in refusal.refusals
            ]
        )

    total = StagedRow.objects.filter(job=job, status=RowStatus.VALID).count()
    run.progress(0, total, phase="controle")
    try:
        with transaction.atomic():
            apply_rows(job, source, ctx, on_refused=note, run=run, total=total)
            raise _RollBack
    except _RollBack:
        pass
    for problems in refused:  # one row, each of its errors
        for problem in problems:
            issues.add(problem)
        issues.rejected += 1
    lines = [problems[0].line for problems in refused]
    for start in range(0, len(lines), 1000):
        StagedRow.objects.filter(job=job, line_number__in=lines[start : start + 1000]).update(status=RowStatus.REJECTED)
    issues.flush()


def validate_job(job, run):
    """Check the job's file and leave it VALIDATED with its counts and error report."""
    source = job.source
    ctx = Context(job.organisation, job.user)
    clear_staging(job)
    ImportIssue.objects.filter(job=job).delete()
    job.notes, job.columns = [], {}
    earlier = (
        ImportJob.objects.filter(organisation=job.organisation_id, file_sha256=job.file_sha256)
        .exclude(pk=job.pk)
        .order_by("-created_at")
        .first()
    )
    if earlier is not None:
        job.notes.append(
            f"Ce même fichier a déjà été déposé le {timezone.localtime(earlier.created_at):%d/%m/%Y} (import n° "
            f"{earlier.pk}, « {earlier.get_status_display()} ») : les lignes déjà importées sont reconnues et ignorées."
        )
    issues = IssueWriter(job)
    total = 0
    try:
        with transaction.atomic():
            total = read_rows(job, source, ctx, issues, run)
    except FileProblem as exc:
        # Nothing of the file is usable: the report says why, nothing can be imported.
        StagedRow.objects.filter(job=job).delete()
        ImportIssue.objects.filter(job=job).delete()
        issues = IssueWriter(job)
        for problem in exc.problems:
            issues.add(problem)
        issues.flush()
    else:
        analyse_staging()
        mark_duplicates(job, source, issues)
        mark_already_imported(job, source, issues)
        if source.sink_object.check_set is not None:
            source.sink_object.check_set(job, source, ctx, issues)
        if source.sink_object.dry_run:
            dry_run(job, source, ctx, issues, run)
    statuses = dict(StagedRow.objects.filter(job=job).values_list("status").annotate(n=Count("line_number")))
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.VALIDATED,
        validated_at=timezone.now(),
        encoding=job.encoding,
        separator=job.separator,
        columns=job.columns,
        notes=job.notes,
        total_rows=total,
        valid_rows=statuses.get(RowStatus.VALID, 0),
        already_imported_rows=statuses.get(RowStatus.ALREADY_IMPORTED, 0),
        rejected_rows=issues.rejected,
        error_count=issues.count,
        imported_rows=0,
        matched_rows=0,
        unmatched_rows=0,
        opened_files=0,
    )
    job.refresh_from_db()
    return job
