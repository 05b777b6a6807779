import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from toit.imports.enums import FINAL_STATUSES, Decision, FileFormat, JobStatus
from toit.imports.storage import private_storage


def _upload_to(instance, filename):
    # Never the user's file name on disk: it may carry a household's name.
    extension = ".xlsx" if instance.file_format == FileFormat.XLSX else ".csv"
    return f"{uuid.uuid4().hex}{extension}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Jobs of the organisations the user reads nominative data for (agent, responsable,
        administrateur): the files and their error reports name households. Apply it
        BEFORE fetching; anyone else gets a 404."""
        from toit.eviction.access import nominative_memberships

        return self.filter(organisation__in=nominative_memberships(user).values("organisation"))


class ImportJob(models.Model):
    """One uploaded file and what became of it: checked, then imported (or not) in one
    transaction. The page, the command line and a future API all read this row; the live
    progress of a running job is in toit.imports.runs."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="au nom de",
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Not a choices field: a new source kind is a new entry in toit.imports.mappings, with
    # no migration. create_job checks the code against that registry.
    source_kind = models.CharField("type de fichier", max_length=40)
    file = models.FileField("fichier", upload_to=_upload_to, storage=private_storage, max_length=255)
    original_name = models.CharField("nom du fichier déposé", max_length=255)
    file_format = models.CharField("format", max_length=10, choices=FileFormat.choices)
    file_size = models.PositiveBigIntegerField("taille (octets)")
    file_sha256 = models.CharField("empreinte SHA-256", max_length=64, db_index=True)
    encoding = models.CharField("encodage détecté", max_length=30, blank=True)
    separator = models.CharField("séparateur détecté", max_length=10, blank=True)

    status = models.CharField("état", max_length=20, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    decision = models.CharField("choix", max_length=20, choices=Decision.choices, blank=True)
    total_rows = models.PositiveIntegerField("lignes lues", default=0)
    valid_rows = models.PositiveIntegerField("lignes valides", default=0)
    rejected_rows = models.PositiveIntegerField("lignes en erreur", default=0)
    already_imported_rows = models.PositiveIntegerField("lignes déjà importées", default=0)
    error_count = models.PositiveIntegerField("erreurs", default=0)
    imported_rows = models.PositiveIntegerField("lignes importées", default=0)
    matched_rows = models.PositiveIntegerField("rattachées à un dossier existant", default=0)
    unmatched_rows = models.PositiveIntegerField("laissées à rattacher", default=0)
    opened_files = models.PositiveIntegerField("dossiers ouverts", default=0)
    columns = models.JSONField(
        "colonnes reconnues", default=dict, blank=True, help_text="Champ de la source → en-tête tel qu'écrit."
    )
    notes = models.JSONField("remarques", default=list, blank=True)
    failure = models.TextField("cause de l'échec", blank=True)
    task_id = models.CharField("tâche", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("exécutions", default=0)

    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    validated_at = models.DateTimeField("vérifié le", null=True, blank=True)
    import_started_at = models.DateTimeField("import commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "import de fichier"
        verbose_name_plural = "imports de fichiers"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="importjob_org_created_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="importjob_status_valid"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=Decision.values), name="importjob_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=sorted(FINAL_STATUSES), finished_at__isnull=False)
                | (~Q(status__in=sorted(FINAL_STATUSES)) & Q(finished_at__isnull=True)),
                name="importjob_finished_iff_final",
                violation_error_message="Un import terminé, abandonné ou en échec indique quand.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[JobStatus.IMPORTING, JobStatus.DONE]) | ~Q(decision=""),
                name="importjob_import_has_decision",
                violation_error_message="Un import ne commence que sur un choix de l'utilisateur.",
            ),
            models.CheckConstraint(
                condition=Q(imported_rows__lte=models.F("valid_rows")),
                name="importjob_imported_within_valid",
                violation_error_message="On n'importe pas plus de lignes que de lignes valides.",
            ),
        ]

    def __str__(self):
        return f"Import n° {self.pk} ({self.original_name})"

    @property
    def source(self):
        from toit.imports.mappings import SOURCE_KINDS

        return SOURCE_KINDS.get(self.source_kind)

    @property
    def source_label(self):
        source = self.source
        return source.label if source else self.source_kind

    @property
    def is_final(self):
        return self.status in FINAL_STATUSES

    @property
    def in_progress(self):
        """Queued or running: the page polls its progress."""
        return self.status in (JobStatus.UPLOADED, JobStatus.VALIDATING, JobStatus.IMPORTING)

    @property
    def awaits_decision(self):
        return self.status == JobStatus.VALIDATED

    def column_label(self, field):
        """The header of the file's column for a source field; the documented name when the
        file has no such column (the error report then says which column to add)."""
        if not field:
            return ""
        if field in self.columns:
            return self.columns[field]
        source = self.source
        names = {c.field: c.name for c in source.columns} if source else {}
        return names.get(field, "")

    @property
    def separator_label(self):
        return {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}.get(
            self.separator, self.separator
        )
