"""The import is ONE transaction: a crash or a database error in the middle leaves no row
of the file in the domain tables; the job is marked failed and runs again to completion."""

import pytest
from django.db import DatabaseError

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, domain_counts, issues, upload
from tests.imports.world import SAMPLES
from toit.eviction.enums import EventKind
from toit.eviction.models import Event, FileParticipant, Report
from toit.imports import jobs
from toit.imports.enums import Decision, JobStatus
from toit.imports.models import StagedRow
from toit.imports.sinks import SINKS

CAF = "impayes_caf_msa"


def crash_after(monkeypatch, sink_code, rows):
    """The sink fails with a database error once it has written `rows` rows."""
    sink = SINKS[sink_code]
    original = sink.apply
    calls = {"n": 0}

    def apply(row, source, ctx):
        calls["n"] += 1
        if calls["n"] > rows:
            raise DatabaseError("connexion perdue (simulée)")
        return original(row, source, ctx)

    monkeypatch.setattr(sink, "apply", apply)
    if sink.apply_set is not None:
        from toit.imports.sinks import reports_sql

        real = reports_sql.import_reports

        def import_reports(job, source, sink_, ctx, pause):
            real(job, source, sink_, ctx, pause)  # every report is written, then the failure
            raise DatabaseError("connexion perdue (simulée)")

        monkeypatch.setattr(reports_sql, "import_reports", import_reports)


def test_a_crash_in_the_middle_writes_nothing_and_the_job_runs_again(world, monkeypatch, import_path, settings):
    settings.TOIT_IMPORT_BATCH_ROWS = 2
    user, caf = world.users["CAF72"], world.caf
    job = upload(user, caf, CAF, csv_bytes([CAF_HEADER, *(caf_row(f"A{i}", last=f"NOM{i}") for i in range(7))]))
    before = domain_counts()
    with monkeypatch.context() as patch:
        crash_after(patch, "report", 4)
        job = jobs.decide(job, user, Decision.ALL_OR_NOTHING)
    assert job.status == JobStatus.FAILED
    assert "Erreur inattendue pendant l'import (DatabaseError). Rien n'a été importé" in job.failure
    assert domain_counts() == before
    assert StagedRow.objects.filter(job=job).count() == 7  # the checked rows wait for the rerun
    job = jobs.rerun(job, user)
    assert job.status == JobStatus.DONE and job.imported_rows == 7 and job.attempts == 3
    assert Report.objects.count() == 7 and not StagedRow.objects.filter(job=job).exists()


def test_a_failed_check_runs_again(world, monkeypatch):
    user, caf = world.users["CAF72"], world.caf
    from toit.imports import validation

    with monkeypatch.context() as patch:
        patch.setattr(validation, "mark_duplicates", lambda *a: (_ for _ in ()).throw(RuntimeError("panne")))
        job = upload(user, caf, CAF, SAMPLES / "impayes-caf-msa.csv")
    assert job.status == JobStatus.FAILED and "pendant la vérification (RuntimeError)" in job.failure
    job = jobs.rerun(job, user)
    assert job.status == JobStatus.VALIDATED and job.valid_rows == 5


def test_all_or_nothing_stops_at_the_first_refusal(world):
    """Between the check and the import, the council stopped taking part in one file: the
    import refuses that row, and with « tout ou rien » writes nothing at all."""
    user, council = world.users["CG72"], world.council
    job = upload(user, council, "evenements", SAMPLES / "evenements.csv")
    assert job.valid_rows == 5
    FileParticipant.objects.filter(file=world.lemoine_file, organisation=council).delete()
    before = domain_counts()
    job = jobs.decide(job, user, Decision.ALL_OR_NOTHING)
    assert job.status == JobStatus.FAILED
    assert job.failure.startswith(
        "Ligne 6 refusée : Aucun dossier suivi par votre organisation ne porte la référence PX-8H2N-R4WX"
    )
    assert "Rien n'a été importé" in job.failure
    assert domain_counts() == before


def test_valid_only_skips_a_row_refused_at_import(world):
    user, council = world.users["CG72"], world.council
    job = upload(user, council, "evenements", SAMPLES / "evenements.csv")
    FileParticipant.objects.filter(file=world.lemoine_file, organisation=council).delete()
    job = jobs.decide(job, user, Decision.VALID_ONLY)
    assert job.status == JobStatus.DONE and (job.imported_rows, job.rejected_rows) == (4, 1)
    assert issues(job)[0][0] == 6
    assert not Event.objects.filter(file=world.lemoine_file).exists()
    assert Event.objects.filter(file=world.benali_file).count() == 4


def test_lost_staging_rows_are_detected(world):
    user, caf = world.users["CAF72"], world.caf
    job = upload(user, caf, CAF, SAMPLES / "impayes-caf-msa.csv")
    StagedRow.objects.filter(job=job).delete()  # what a PostgreSQL crash does to an UNLOGGED table
    job = jobs.decide(job, user, Decision.ALL_OR_NOTHING)
    assert job.status == JobStatus.FAILED and "relancez la vérification" in job.failure
    job = jobs.rerun(job, user)
    assert job.status == JobStatus.VALIDATED and job.valid_rows == 5 and not job.decision


def test_a_dead_worker_is_noticed(world):
    """Status « import » with nobody holding the job: its worker died (see
    test_worker_kill.py for a real kill -9)."""
    user, caf = world.users["CAF72"], world.caf
    job = upload(user, caf, CAF, SAMPLES / "impayes-caf-msa.csv")
    jobs.record_decision(job, user, Decision.ALL_OR_NOTHING)
    type(job).objects.filter(pk=job.pk).update(status=JobStatus.IMPORTING)
    job.refresh_from_db()
    job = jobs.refresh(job)
    assert job.status == JobStatus.FAILED and "processus interrompu" in job.failure
    job = jobs.rerun(job, user)
    assert job.status == JobStatus.DONE and job.imported_rows == 5


def test_a_running_job_is_not_taken_twice(world):
    from toit.imports.runs import JobBusy, Run, is_held

    user, caf = world.users["CAF72"], world.caf
    job = upload(user, caf, CAF, SAMPLES / "impayes-caf-msa.csv")
    with Run(job.pk, "import"):
        assert is_held(job.pk)
        with pytest.raises(JobBusy), Run(job.pk, "import"):
            pass
        jobs.record_decision(job, user, Decision.ALL_OR_NOTHING)
        type(job).objects.filter(pk=job.pk).update(status=JobStatus.IMPORTING)
        job.refresh_from_db()
        assert jobs.refresh(job).status == JobStatus.IMPORTING  # alive: left alone
    assert not is_held(job.pk)
    assert not Event.objects.filter(kind=EventKind.UNPAID_REPORTED).exists()


def test_the_observatory_is_told_after_an_import(world, monkeypatch):
    from toit.observatory import runs as observatory

    calls = []
    monkeypatch.setattr(
        observatory,
        "data_changed",
        lambda reason, user=None, department_codes=None: calls.append((reason, user, list(department_codes))),
    )
    user = world.users["CAF72"]
    job = upload(user, world.caf, CAF, SAMPLES / "impayes-caf-msa.csv")
    job = jobs.decide(job, user, Decision.ALL_OR_NOTHING)
    assert calls == [
        (
            f"Import n° {job.pk} : 5 ligne(s), Signalements d'impayés de loyer (CAF, MSA)",
            user,
            [world.caf.department.code],
        )
    ]


def test_a_commune_gone_since_the_check_stops_the_import(world, import_path):
    """The set-based import checks the file's communes in one query before writing (issue
    17), and stops with a French message when one has gone since the file was checked,
    where the database's own foreign-key check would fail at commit, in English."""
    from django.db import connection

    from tests.territory.factories import CommuneFactory
    from toit.territory.models import Commune

    user, caf = world.users["CAF72"], world.caf
    sarthe = Commune.objects.get(insee_code="72181").department
    gone = CommuneFactory(department=sarthe, insee_code="72999", name="Commune disparue")
    rows = [caf_row("A1", last="NOM1"), caf_row("A2", last="NOM2", commune="72999"), caf_row("A3", last="NOM3")]
    job = upload(user, caf, CAF, csv_bytes([CAF_HEADER, *rows]))
    assert job.valid_rows == 3
    before = domain_counts()
    with connection.cursor() as cursor:  # as a territory update would, past the ORM's protection
        cursor.execute("DELETE FROM territory_commune WHERE id = %s", [gone.pk])
    job = jobs.decide(job, user, Decision.VALID_ONLY)
    if import_path == "ensembliste":
        assert job.status == JobStatus.FAILED
        assert job.failure == (
            "Ligne 3 refusée : sa commune n'existe plus dans Toit (supprimée depuis la vérification du fichier). "
            "Rien n'a été importé ; relancez la vérification du fichier."
        )
        assert domain_counts() == before
    else:  # the intake's own check (full_clean) refuses the row
        assert job.status == JobStatus.DONE and (job.imported_rows, job.rejected_rows) == (2, 1)
        assert issues(job)[0][0] == 3
    assert not Report.objects.filter(commune_id=gone.pk).exists()
