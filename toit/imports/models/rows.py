from django.db import models
from django.db.models import Q

from toit.imports.enums import RowStatus


class StagedRow(models.Model):
    """A checked row waiting for the user's decision: its values normalised and packed
    (toit.imports.packing), with the hash of its natural key. Scratch data, deleted once
    the job is imported or abandoned; it never holds a natural key in clear. On
    PostgreSQL the table is UNLOGGED (migration 0002): no write-ahead log for scratch
    rows, and a crash empties it, which the import detects (checked rows lost: check
    again). Its only index is its primary key: duplicates are found by grouping."""

    pk = models.CompositePrimaryKey("job", "line_number")
    # Scratch rows: no database constraint to check for each of a million rows (the ORM
    # still deletes them with their job); the primary key starts with the job.
    job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.CASCADE, related_name="staged_rows", db_index=False, db_constraint=False
    )
    line_number = models.PositiveIntegerField("ligne")
    key_hash = models.CharField("empreinte de la clé", max_length=32)
    row_hash = models.CharField("empreinte de la ligne", max_length=32)
    packed = models.TextField("valeurs")
    status = models.CharField("état", max_length=15, choices=RowStatus.choices, default=RowStatus.VALID)

    class Meta:
        verbose_name = "ligne vérifiée"
        verbose_name_plural = "lignes vérifiées"

    def __str__(self):
        return f"Ligne {self.line_number}"


class ImportIssue(models.Model):
    """One error of the report: where (row as numbered in the spreadsheet, column as
    headed in the file), the value found, what is wrong and what was expected."""

    job = models.ForeignKey(
        "imports.ImportJob", on_delete=models.CASCADE, related_name="issues", db_index=False
    )  # importissue_job_line_idx starts with it
    line_number = models.PositiveIntegerField("ligne", null=True, blank=True, help_text="Vide : le fichier entier.")
    column = models.CharField("colonne", max_length=255, blank=True)
    value = models.TextField("valeur", blank=True)
    message = models.TextField("erreur")
    expected = models.TextField("attendu", blank=True)

    class Meta:
        verbose_name = "erreur d'import"
        verbose_name_plural = "erreurs d'import"
        ordering = ["job", "line_number", "pk"]
        indexes = [models.Index(fields=["job", "line_number"], name="importissue_job_line_idx")]

    def __str__(self):
        where = f"ligne {self.line_number}" if self.line_number else "fichier"
        return f"{where} : {self.message}"


class ImportedRow(models.Model):
    """The memory of what was imported, one row per natural key of an organisation and a
    source: importing the same file twice, or overlapping files, creates nothing twice.
    The primary key is that natural key, so the database guarantees it, even for two
    imports at once; it is also the table's only index, because every import inserts
    one row here per row imported. For the same reason its foreign keys are neither
    indexed nor checked by the database for each row: only the import writes here, for
    the organisation and job it holds, and the ORM still protects the organisation and
    forgets the job on deletion (both rare, both scan this table)."""

    pk = models.CompositePrimaryKey("organisation", "source_kind", "key_hash")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="au nom de",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    source_kind = models.CharField("type de fichier", max_length=40)
    key_hash = models.CharField("empreinte de la clé", max_length=32)
    row_hash = models.CharField("empreinte de la ligne", max_length=32)
    job = models.ForeignKey(
        "imports.ImportJob",
        verbose_name="import",
        null=True,
        on_delete=models.SET_NULL,
        related_name="imported",
        db_index=False,
        db_constraint=False,
    )
    line_number = models.PositiveIntegerField("ligne")
    # The row the import created (signalement, événement, décision du FSL: the source kind
    # says which).
    object_id = models.BigIntegerField("objet créé", null=True, blank=True)
    created_at = models.DateTimeField("importée le", auto_now_add=True)

    class Meta:
        verbose_name = "ligne importée"
        verbose_name_plural = "lignes importées"
        constraints = [models.CheckConstraint(condition=~Q(key_hash=""), name="importedrow_key_not_empty")]

    def __str__(self):
        return f"{self.source_kind} {self.key_hash[:8]}"
