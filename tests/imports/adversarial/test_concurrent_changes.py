"""Another import of the same keys finishes between a file's check and its import: rows
with other values under those keys are errors at import time too, never « déjà
importées » (docs/imports.md: an import never overwrites). Both ways of writing, on the
database the suite runs on."""

import pytest

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, domain_counts, import_file, issues, upload
from toit.eviction.models import Report
from toit.imports import jobs
from toit.imports.enums import Decision, JobStatus

CAF = "impayes_caf_msa"
pytestmark = pytest.mark.django_db


def first_file():
    return csv_bytes([CAF_HEADER, caf_row("A1"), caf_row("A2"), caf_row("A3")])


def concurrent_file():
    """A1 with the same values, A2 with another debt: imported while the first file waits."""
    return csv_bytes([CAF_HEADER, caf_row("A1"), caf_row("A2", debt="9 999,00")])


def test_changed_rows_are_errors_at_import_time(caf, import_path):
    user, organisation = caf
    waiting = upload(user, organisation, CAF, first_file())
    assert (waiting.valid_rows, waiting.error_count) == (3, 0)
    other = import_file(user, organisation, CAF, concurrent_file(), name="autre.csv")
    assert (other.status, other.imported_rows) == (JobStatus.DONE, 2)

    job = jobs.decide(waiting, user, Decision.VALID_ONLY)
    assert job.status == JobStatus.DONE, job.failure
    assert (job.imported_rows, job.already_imported_rows, job.rejected_rows, job.error_count) == (1, 1, 1, 1)
    assert job.valid_rows + job.already_imported_rows + job.rejected_rows == job.total_rows == 3
    [(line, _column, _value, message)] = issues(job)
    assert line == 3 and message.startswith("Déjà importée le") and f"import n° {other.pk}, ligne 3" in message
    assert "avec d'autres valeurs" in message
    assert Report.objects.filter(debt_amount=9999).count() == 1  # never overwritten
    assert Report.objects.count() == 3


def test_all_or_nothing_imports_nothing_when_a_row_changed_meanwhile(caf, import_path):
    user, organisation = caf
    waiting = upload(user, organisation, CAF, first_file())
    import_file(user, organisation, CAF, concurrent_file(), name="autre.csv")
    before = domain_counts()
    job = jobs.decide(waiting, user, Decision.ALL_OR_NOTHING)
    assert job.status == JobStatus.FAILED
    assert job.failure.startswith("Ligne 3 refusée : sa clé a été importée avec d'autres valeurs")
    assert domain_counts() == before


def test_same_rows_imported_meanwhile_are_already_imported(caf, import_path):
    user, organisation = caf
    waiting = upload(user, organisation, CAF, first_file())
    import_file(user, organisation, CAF, csv_bytes([CAF_HEADER, caf_row("A1")]), name="autre.csv")
    job = jobs.decide(waiting, user, Decision.ALL_OR_NOTHING)
    assert job.status == JobStatus.DONE, job.failure
    assert (job.imported_rows, job.already_imported_rows, job.error_count) == (2, 1, 0)
