from django.db import models


class CommitteeKind(models.TextChoices):
    RESPONSIBLE = "comite_responsable", "Comité responsable"
    TECHNICAL = "comite_technique", "Comité technique"


class DecisionStatus(models.TextChoices):
    TODO = "a_faire", "À faire"
    IN_PROGRESS = "en_cours", "En cours"
    DONE = "fait", "Fait"
    ABANDONED = "abandonnee", "Abandonnée"


class OrderStatus(models.TextChoices):
    ORDERED = "commandee", "Commandée"
    IN_PROGRESS = "en_cours", "En cours"
    DELIVERED = "livree", "Livrée"
    ABANDONED = "abandonnee", "Abandonnée"


OPEN_DECISIONS = (DecisionStatus.TODO, DecisionStatus.IN_PROGRESS)
