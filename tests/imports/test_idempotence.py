"""Importing the same file twice, or overlapping files, creates nothing twice: the natural
key of each source (numéro d'allocataire and date, référence du dossier, événement et
date…) is remembered in ImportedRow, whose primary key it is."""

from decimal import Decimal

import pytest

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, domain_counts, import_file, issues, upload
from tests.imports.world import SAMPLES
from toit.eviction.models import Event, Report
from toit.imports import jobs
from toit.imports.enums import Decision, JobStatus
from toit.imports.models import ImportedRow

CAF = "impayes_caf_msa"


def caf_file(*numbers, debt="1 234,56"):
    return csv_bytes([CAF_HEADER, *(caf_row(n, last=f"NOM{n}", debt=debt) for n in numbers)])


def test_same_file_twice(world, import_path):
    user, caf = world.users["CAF72"], world.caf
    first = import_file(user, caf, CAF, SAMPLES / "impayes-caf-msa.csv")
    assert first.imported_rows == 5
    before = domain_counts()
    second = upload(user, caf, CAF, SAMPLES / "impayes-caf-msa.csv")
    assert (second.valid_rows, second.already_imported_rows, second.error_count) == (0, 5, 0)
    assert "déjà été déposé" in " ".join(second.notes)
    with pytest.raises(Exception, match="Aucune ligne valide"):
        jobs.decide(second, user, Decision.VALID_ONLY)
    assert domain_counts() == before


def test_overlapping_files(world, import_path):
    user, caf = world.users["CAF72"], world.caf
    import_file(user, caf, CAF, caf_file("A1", "A2", "A3"))
    job = import_file(user, caf, CAF, caf_file("A2", "A3", "A4", "A5"))
    assert (job.imported_rows, job.already_imported_rows) == (2, 2)
    assert sorted(Report.objects.values_list("last_name", flat=True)) == ["NOMA1", "NOMA2", "NOMA3", "NOMA4", "NOMA5"]
    assert ImportedRow.objects.count() == 5


def test_same_key_other_values_is_an_error_never_an_overwrite(world, import_path):
    user, caf = world.users["CAF72"], world.caf
    first = import_file(user, caf, CAF, caf_file("A1", "A2"))
    job = upload(user, caf, CAF, caf_file("A1", "A2", debt="99,00"))
    assert (job.valid_rows, job.rejected_rows) == (0, 2)
    [(line, _, _, message), _] = issues(job)
    assert line == 2 and message.startswith("Déjà importée le ")
    assert f"(import n° {first.pk}, ligne 2) avec d'autres valeurs" in message
    assert set(Report.objects.values_list("debt_amount", flat=True)) == {Decimal("1234.56")}


def test_the_key_is_per_organisation(world, import_path):
    from tests.organisations.factories import OrganisationFactory, member_of
    from toit.organisations.enums import OrganisationKind

    msa = OrganisationFactory(code="MSA72", name="MSA Mayenne-Orne-Sarthe", kind=OrganisationKind.CAF_MSA)
    import_file(world.users["CAF72"], world.caf, CAF, caf_file("A1"))
    job = import_file(member_of(msa), msa, CAF, caf_file("A1"))
    assert job.imported_rows == 1 and Report.objects.count() == 2


def test_a_row_claimed_between_check_and_import_is_skipped(world, import_path):
    """Two overlapping files checked before either is imported: the second import skips
    the rows the first one wrote meanwhile."""
    user, caf = world.users["CAF72"], world.caf
    first = upload(user, caf, CAF, caf_file("A1", "A2"))
    second = upload(user, caf, CAF, caf_file("A2", "A3"))
    assert second.valid_rows == 2
    jobs.decide(first, user, Decision.ALL_OR_NOTHING)
    second = jobs.decide(second, user, Decision.ALL_OR_NOTHING)
    assert second.status == JobStatus.DONE
    assert (second.imported_rows, second.already_imported_rows) == (1, 1)
    assert Report.objects.count() == 3


def test_events_twice(world):
    user, council = world.users["CG72"], world.council
    import_file(user, council, "evenements", SAMPLES / "evenements.csv", Decision.ALL_OR_NOTHING)
    events = Event.objects.count()
    again = upload(user, council, "evenements", SAMPLES / "evenements.csv")
    assert (again.valid_rows, again.already_imported_rows) == (0, 5)
    assert Event.objects.count() == events
