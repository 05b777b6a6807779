from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "en_attente", "En attente"
    RUNNING = "en_cours", "En cours"
    DONE = "termine", "Terminé"
    FAILED = "echec", "Échec"


class ReportKind(models.TextChoices):
    QUARTERLY = "trimestriel", "Suivi trimestriel"
    ANNUAL = "annuel", "Suivi annuel"
