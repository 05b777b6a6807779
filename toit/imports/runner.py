"""Running a job's phases, from a background task or the command line. Each phase holds
the job (toit.imports.runs.Run) and moves its status; whatever goes wrong ends in FAILED
with a French message, and nothing half-written (the import is one transaction)."""

import logging

from django.db.models import F
from django.utils import timezone

from toit.imports.enums import Decision, JobStatus
from toit.imports.history import acting_as
from toit.imports.importing import ImportAborted, import_job
from toit.imports.models import ImportJob
from toit.imports.runs import JobBusy, Run
from toit.imports.validation import validate_job
from toit.imports.volume import alert_unmatched_burst

logger = logging.getLogger(__name__)


def fail(job_id, message):
    ImportJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, failure=message, finished_at=timezone.now())


def _unexpected(job_id, phase, exc):
    logger.exception("Import n° %s : échec inattendu pendant %s", job_id, phase)
    return (
        f"Erreur inattendue pendant {phase} ({type(exc).__name__}). Rien n'a été importé. Relancez l'import ; si "
        f"l'erreur revient, transmettez le numéro d'import ({job_id}) à un administrateur."
    )


def run_validation(job_id, progress=None):
    """Check an UPLOADED job. Returns the job, VALIDATED or FAILED."""
    try:
        with Run(job_id, "verification", progress) as run:
            started = ImportJob.objects.filter(pk=job_id, status=JobStatus.UPLOADED).update(
                status=JobStatus.VALIDATING, attempts=F("attempts") + 1, failure=""
            )
            if started:
                job = ImportJob.objects.select_related("organisation", "user").get(pk=job_id)
                try:
                    with acting_as(job.user):
                        validate_job(job, run)
                except Exception as exc:
                    fail(job_id, _unexpected(job_id, "la vérification", exc))
    except JobBusy:
        pass
    return ImportJob.objects.get(pk=job_id)


def run_import(job_id, progress=None):
    """Import a VALIDATED job on which the user decided to import. Returns the job, DONE
    or FAILED."""
    try:
        with Run(job_id, "import", progress) as run:
            started = (
                ImportJob.objects.filter(pk=job_id, status=JobStatus.VALIDATED)
                .exclude(decision__in=["", Decision.NOTHING])
                .update(status=JobStatus.IMPORTING, import_started_at=timezone.now(), attempts=F("attempts") + 1)
            )
            if started:
                job = ImportJob.objects.select_related("organisation", "user").get(pk=job_id)
                try:
                    with acting_as(job.user):
                        job = import_job(job, run)
                except ImportAborted as exc:
                    fail(job_id, str(exc))
                except Exception as exc:
                    fail(job_id, _unexpected(job_id, "l'import", exc))
                else:
                    _tell_observatory(job)
                    alert_unmatched_burst(job)
    except JobBusy:
        pass
    return ImportJob.objects.get(pk=job_id)


def _tell_observatory(job):
    """The indicators of fiches 1A-1F read what was imported: ask the observatory to
    recompute. A failure there does not undo a committed import; it is logged."""
    if not job.imported_rows:
        return
    from toit.observatory.runs import data_changed
    from toit.plans.models import Plan

    # A national body's file may touch any département: every plan is recomputed then.
    department = job.organisation.department
    codes = [department.code] if department else set(Plan.objects.values_list("department_code", flat=True))
    try:
        data_changed(
            f"Import n° {job.pk} : {job.imported_rows} ligne(s), {job.source_label}"[:255],
            user=job.user,
            department_codes=codes,
        )
    except Exception:
        logger.exception("Import n° %s : le recalcul des indicateurs n'a pas pu être demandé", job.pk)
