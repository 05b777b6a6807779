"""Writing checked rows and errors in batches: COPY on PostgreSQL, bulk inserts elsewhere."""

from django.db import connection

from toit.imports.enums import RowStatus
from toit.imports.models import ImportIssue, StagedRow
from toit.imports.problems import shown_value


def _copy(table, columns, rows):
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


class StagingWriter:
    def __init__(self, job):
        self.job = job
        self.rows = []
        self.count = 0
        self.copy = connection.vendor == "postgresql"

    def add(self, staged):
        self.rows.extend(staged)

    def flush(self):
        if not self.rows:
            return
        if self.copy:
            valid = RowStatus.VALID.value
            _copy(
                StagedRow._meta.db_table,
                ["job_id", "line_number", "key_hash", "row_hash", "packed", "status"],
                ((self.job.pk, r.line, r.key_hash, r.row_hash, r.packed, valid) for r in self.rows),
            )
        else:
            StagedRow.objects.bulk_create(
                [
                    StagedRow(
                        job=self.job, line_number=r.line, key_hash=r.key_hash, row_hash=r.row_hash, packed=r.packed
                    )
                    for r in self.rows
                ],
                batch_size=500,
            )
        self.count += len(self.rows)
        self.rows = []


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
