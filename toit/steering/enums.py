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
    ACCEPTED = "acceptee", "Acceptée"
    ABANDONED = "abandonnee", "Abandonnée"


# The life of a study order, each step with the field holding its date (« en cours » since
# started_on, …); an order may be abandoned at any step before its acceptance.
ORDER_STEPS = (
    (OrderStatus.ORDERED, "ordered_on"),
    (OrderStatus.IN_PROGRESS, "started_on"),
    (OrderStatus.DELIVERED, "delivered_on"),
    (OrderStatus.ACCEPTED, "accepted_on"),
)
OPEN_ORDERS = (OrderStatus.ORDERED, OrderStatus.IN_PROGRESS)


OPEN_DECISIONS = (DecisionStatus.TODO, DecisionStatus.IN_PROGRESS)
