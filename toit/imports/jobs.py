"""What users do with imports: deposit a file, decide once it is checked, run a failed job
again. Each function takes the acting user and checks they may act for the job's
organisation; pages, the command line and a future API call these and nothing else."""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from toit.eviction.access import acting_organisations, nominative_memberships
from toit.imports import runs
from toit.imports.enums import RUNNING_STATUSES, Decision, JobStatus, RowStatus
from toit.imports.mappings import SOURCE_KINDS
from toit.imports.models import ImportJob, StagedRow
from toit.imports.problems import FileProblem
from toit.imports.reading import sniff_format
from toit.imports.storage import ALLOWED_EXTENSIONS, MB, max_bytes
from toit.imports.volume import check_volume
from toit.organisations.enums import OrganisationKind
from toit.utils.collation import french

ABANDONED = (
    "Le traitement s'est arrêté avant la fin (processus interrompu ou serveur redémarré). Rien n'a été importé : "
    "relancez-le."
)


def may_import(user, organisation):
    return nominative_memberships(user).filter(organisation=organisation).exists()


def importing_organisations(user):
    return acting_organisations(user).order_by(french("name"))


def nominative_memberships_of(organisation):
    """Usernames of the people who may import for `organisation`."""
    from toit.organisations.enums import NOMINATIVE_ROLES
    from toit.organisations.models import Membership

    members = Membership.objects.active().filter(organisation=organisation, role__in=NOMINATIVE_ROLES)
    return list(members.order_by("user__username").values_list("user__username", flat=True))


def sources_for(organisation):
    """The source kinds `organisation` may send."""
    return [s for s in SOURCE_KINDS.values() if not s.organisation_kinds or organisation.kind in s.organisation_kinds]


def _require_member(user, organisation):
    if user is None or not may_import(user, organisation):
        raise PermissionDenied(
            f"Vous n'agissez pas au nom de « {organisation} » : seuls ses agents, responsables et administrateurs "
            "peuvent déposer ou traiter ses fichiers."
        )


def _check_source(organisation, source_kind):
    source = SOURCE_KINDS.get(source_kind)
    if source is None:
        known = ", ".join(SOURCE_KINDS)
        raise ValidationError({"source_kind": f"Type de fichier inconnu : « {source_kind} » (types connus : {known})."})
    if source.organisation_kinds and organisation.kind not in source.organisation_kinds:
        senders = ", ".join(OrganisationKind(k).label for k in sorted(source.organisation_kinds))
        raise ValidationError(
            {
                "source_kind": f"« {source.label} » : ce fichier est déposé par une organisation de type {senders} ; "
                f"« {organisation} » est de type {organisation.get_kind_display()}."
            }
        )
    return source


def _check_file(upload, name):
    extension = Path(name).suffix.lower()
    file_format = ALLOWED_EXTENSIONS.get(extension)
    if file_format is None:
        raise ValidationError(
            {
                "file": f"Extension « {extension or '(aucune)'} » non acceptée : déposez un fichier .csv, .txt, "
                ".tsv ou .xlsx."
            }
        )
    limit = max_bytes(file_format)
    if upload.size > limit:
        raise ValidationError(
            {
                "file": f"Fichier trop volumineux ({upload.size / MB:.1f} Mo) : la limite est de {limit / MB:.0f} Mo "
                f"pour un fichier {file_format.upper()}. Découpez-le, ou exportez-le en CSV."
            }
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    try:
        return sniff_format(head, extension)
    except FileProblem as exc:
        problem = exc.problems[0]
        raise ValidationError({"file": f"{problem.message}. Attendu : {problem.expected}."}) from None


def create_job(user, organisation, source_kind, upload, *, name=None):
    """Store `upload` (a Django File) for `organisation` and return the UPLOADED job. Raises
    PermissionDenied, or ValidationError keyed by form field (source_kind, file)."""
    _require_member(user, organisation)
    _check_source(organisation, source_kind)
    name = os.path.basename(name or upload.name or "fichier")
    file_format = _check_file(upload, name)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob(
        organisation=organisation,
        user=user,
        source_kind=source_kind,
        original_name=name[:255],
        file_format=file_format,
        file_size=upload.size,
        file_sha256=digest.hexdigest(),
    )
    job.file.save(name, upload, save=False)
    try:
        job.save()
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def enqueue_validation(job):
    from toit.imports.tasks import validate_import

    result = validate_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def enqueue_import(job):
    from toit.imports.tasks import import_rows

    result = import_rows.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def submit(user, organisation, source_kind, upload, *, name=None):
    """Deposit a file and have it checked in the background."""
    job = create_job(user, organisation, source_kind, upload, name=name)
    enqueue_validation(job)
    job.refresh_from_db()
    return job


def record_decision(job, user, decision):
    """The user's choice on a VALIDATED job, recorded in one transaction. Returns the job."""
    _require_member(user, job.organisation)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("organisation").get(pk=job.pk)
        if job.status != JobStatus.VALIDATED or job.decision:
            raise ValidationError(f"Cet import n'attend plus de choix : il est « {job.get_status_display()} ».")
        if decision == Decision.NOTHING:
            job.status, job.decision, job.finished_at = JobStatus.CANCELLED, decision, timezone.now()
            job.save()
            StagedRow.objects.filter(job=job).delete()
            return job
        if job.valid_rows == 0:
            raise ValidationError("Aucune ligne valide à importer : corrigez le fichier et déposez-le à nouveau.")
        if decision == Decision.ALL_OR_NOTHING and job.error_count:
            raise ValidationError(
                f"Le fichier compte {job.error_count} erreur(s) : « tout ou rien » n'importerait rien. Corrigez le "
                "fichier, ou importez seulement les lignes valides."
            )
        if decision not in (Decision.VALID_ONLY, Decision.ALL_OR_NOTHING):
            raise ValidationError(f"Choix inconnu : « {decision} ».")
        check_volume(job)
        job.decision = decision
        job.save()
    return job


def decide(job, user, decision):
    """Record the choice and, unless it is « ne rien importer », start the import."""
    job = record_decision(job, user, decision)
    if job.decision != Decision.NOTHING:
        enqueue_import(job)
        job.refresh_from_db()
    return job


def refresh(job):
    """The job as it really stands: one whose worker died (its lock is free while its status
    says it runs) is marked failed, so that it can be run again."""
    if job.status in RUNNING_STATUSES and not runs.is_held(job.pk):
        ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=JobStatus.FAILED, failure=ABANDONED, finished_at=timezone.now()
        )
        job.refresh_from_db()
    return job


def prepare_rerun(job, user):
    """Put a FAILED job back in line: its import again when its checked rows are intact and a
    decision was made, else its check. Returns (job, phase) with phase "import" or
    "verification"."""
    _require_member(user, job.organisation)
    job = refresh(job)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.FAILED:
            raise ValidationError(
                f"Seul un import en échec peut être relancé ; celui-ci est « {job.get_status_display()} »."
            )
        staged = StagedRow.objects.filter(job=job, status=RowStatus.VALID).count()
        intact = job.validated_at and staged == job.valid_rows
        job.failure, job.finished_at = "", None
        if job.decision and job.decision != Decision.NOTHING and intact:
            job.status, phase = JobStatus.VALIDATED, "import"
        else:
            job.status, job.decision, job.validated_at, phase = JobStatus.UPLOADED, "", None, "verification"
        job.save()
    return job, phase


def rerun(job, user):
    job, phase = prepare_rerun(job, user)
    (enqueue_import if phase == "import" else enqueue_validation)(job)
    job.refresh_from_db()
    return job


@dataclass
class Progress:
    phase: str
    done: int
    total: int

    @property
    def percent(self):
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def label(self):
        return {
            "verification": "Lecture et vérification des lignes",
            "controle": "Contrôle des lignes auprès des données déjà enregistrées",
            "import": "Import des lignes",
        }.get(self.phase, self.phase)


def progress_of(job):
    state = runs.read_progress(job.pk) if job.status in RUNNING_STATUSES else None
    if state is None:
        return None
    return Progress(state.get("phase", ""), int(state.get("done", 0)), int(state.get("total", 0)))
