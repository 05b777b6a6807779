"""A large file's rows are checked in several processes (toit.imports.parallel): the staged
rows, the error report and the counts are those of a check in one process."""

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, issues, upload
from toit.imports import jobs
from toit.imports.enums import Decision, JobStatus
from toit.imports.models import StagedRow

CAF = "impayes_caf_msa"


def rows():
    spoiled = {3: {"reported": "31/02/2010"}, 8: {"debt": "-120,00"}, 11: {"last": ""}, 17: {"commune": "99999"}}
    made = [caf_row(f"A{i}", **{"last": f"NOM{i}", **spoiled.get(i, {})}) for i in range(23)]
    return [CAF_HEADER, *made, made[5]]  # and a duplicate


def checked(world, settings, processes):
    settings.TOIT_IMPORT_CHECK_PROCESSES = processes
    settings.TOIT_IMPORT_PARALLEL_MIN_BYTES = 0
    settings.TOIT_IMPORT_BATCH_ROWS = 4  # several batches in flight at once
    return upload(world.users["CAF72"], world.caf, CAF, csv_bytes(rows()))


def test_checked_in_processes_as_in_one(world, settings):
    alone = checked(world, settings, 1)
    together = checked(world, settings, 2)
    counts = ("total_rows", "valid_rows", "rejected_rows", "error_count", "already_imported_rows")
    assert [getattr(alone, c) for c in counts] == [getattr(together, c) for c in counts] == [24, 19, 5, 5, 0]
    assert issues(alone) == issues(together)

    def staged(job):
        return list(
            StagedRow.objects.filter(job=job)
            .order_by("line_number")
            .values_list("line_number", "key_hash", "row_hash", "packed", "status")
        )

    assert staged(alone) == staged(together)
    job = jobs.decide(together, world.users["CAF72"], Decision.VALID_ONLY)
    assert job.status == JobStatus.DONE and job.imported_rows == 19
