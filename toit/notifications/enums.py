from django.db import models


class NotificationKind(models.TextChoices):
    EVENT = "evenement", "Nouvel événement"
    CORRECTION = "correction", "Correction"
    DEADLINE = "echeance", "Échéance dans 15 jours"
    BREAK_GLASS = "acces_exceptionnel", "Accès exceptionnel"
    REPORT = "signalement", "Signalement en attente de décision"
