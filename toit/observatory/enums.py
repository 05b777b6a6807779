from django.db import models

# Declared with the plans, whose files say what each kind of report contains.
from toit.plans.enums import ReportKind  # noqa: F401


class RunStatus(models.TextChoices):
    QUEUED = "en_attente", "En attente"
    RUNNING = "en_cours", "En cours"
    DONE = "termine", "Terminé"
    FAILED = "echec", "Échec"
