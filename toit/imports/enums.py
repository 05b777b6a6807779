"""Choices of the imports package. Values are stable identifiers (database, API)."""

from django.db import models


class JobStatus(models.TextChoices):
    UPLOADED = "depose", "Déposé, en attente de vérification"
    VALIDATING = "verification", "Vérification en cours"
    VALIDATED = "verifie", "Vérifié, en attente de votre choix"
    IMPORTING = "import", "Import en cours"
    DONE = "termine", "Importé"
    CANCELLED = "abandonne", "Abandonné, rien n'a été importé"
    FAILED = "echec", "Échec, rien n'a été importé"


# A worker holds these statuses while it runs (toit.imports.runs decides whether it still does).
RUNNING_STATUSES = frozenset({JobStatus.VALIDATING, JobStatus.IMPORTING})
FINAL_STATUSES = frozenset({JobStatus.DONE, JobStatus.CANCELLED, JobStatus.FAILED})


class Decision(models.TextChoices):
    """What the user chose once the file was checked."""

    VALID_ONLY = "lignes_valides", "Importer seulement les lignes valides"
    ALL_OR_NOTHING = "tout_ou_rien", "Importer tout, ou rien s'il y a une erreur"
    NOTHING = "rien", "Ne rien importer"


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV (texte)"
    XLSX = "xlsx", "Classeur Excel (XLSX)"


class RowStatus(models.TextChoices):
    """Where a checked row stands in the staging table."""

    VALID = "valide", "Valide"
    DUPLICATE = "doublon", "En double dans le fichier"
    ALREADY_IMPORTED = "deja_importee", "Déjà importée"
    REJECTED = "rejetee", "Rejetée"
    # Refused by its own checks but staged all the same, so that the rules on the whole
    # file (Sink.check_set) report their errors of the row too: never imported.
    REFUSED = "refusee", "Refusée, vérifiée avec le fichier"
