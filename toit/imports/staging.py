"""Writing checked rows and errors in batches: COPY on PostgreSQL, executemany elsewhere."""

from django.db import connection

from toit.imports.models import ImportIssue, StagedRow
from toit.imports.problems import shown_value


class StagingWriter:
    """`with StagingWriter(job) as staging: staging.add(rows)`. On PostgreSQL the rows
    stream through one COPY for the whole file, which the server digests while the next
    batch is checked; pause() ends it when the connection is needed for something else
    (writing errors), and the next add() starts another. Elsewhere, executemany."""

    COLUMNS = ("job_id", "line_number", "key_hash", "row_hash", "packed", "status")

    def __init__(self, job):
        self.job = job
        self.count = 0
        self.copy_mode = connection.vendor == "postgresql"
        self._cursor = self._context = self._copy = None
        self._insert = None

    def __enter__(self):
        return self

    def _open(self):
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.COLUMNS)
        table = connection.ops.quote_name(StagedRow._meta.db_table)
        self._cursor = connection.cursor()
        self._context = self._cursor.copy(f"COPY {table} ({quoted}) FROM STDIN")
        self._copy = self._context.__enter__()

    def add(self, staged):
        if not staged:
            return
        if self.copy_mode:
            if self._copy is None:
                self._open()
            write, job = self._copy.write_row, self.job.pk
            for row in staged:
                write((job, row.line, row.key_hash, row.row_hash, row.packed, row.status))
        else:
            # One prepared INSERT run for every row: no model instances, no batching of
            # parameters (SQLite's limit on them does not apply).
            if self._insert is None:
                quoted = ", ".join(connection.ops.quote_name(c) for c in self.COLUMNS)
                table = connection.ops.quote_name(StagedRow._meta.db_table)
                self._insert = f"INSERT INTO {table} ({quoted}) VALUES (%s, %s, %s, %s, %s, %s)"  # noqa: S608
            job = self.job.pk
            with connection.cursor() as cursor:
                cursor.executemany(
                    self._insert, [(job, r.line, r.key_hash, r.row_hash, r.packed, r.status) for r in staged]
                )
        self.count += len(staged)

    def pause(self, *exc):
        if self._copy is not None:
            context, cursor = self._context, self._cursor
            self._cursor = self._context = self._copy = None
            try:
                context.__exit__(*(exc or (None, None, None)))
            finally:
                cursor.close()

    def __exit__(self, *exc):
        self.pause(*exc)
        return False


class IssueWriter:
    def __init__(self, job):
        self.job = job
        self.issues = []
        self.count = 0
        self.rejected = 0  # rows with at least one error

    def add(self, problem):
        self.issues.append(
            ImportIssue(
                job=self.job,
                line_number=problem.line,
                column=problem.column[:255],
                value=shown_value(problem.value),
                message=problem.message,
                expected=problem.expected,
            )
        )

    def add_row(self, problems):
        for problem in problems:
            self.add(problem)
        self.rejected += 1

    def flush(self):
        if self.issues:
            ImportIssue.objects.bulk_create(self.issues, batch_size=500)
            self.count += len(self.issues)
            self.issues = []
