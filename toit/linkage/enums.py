from django.db import models


class LinkStatus(models.TextChoices):
    ACCEPTED = "accepte", "Accepté (au-dessus du seuil haut)"
    REVIEW = "a_verifier", "À vérifier"
    CONFIRMED = "confirme", "Confirmé par une personne"
    REJECTED = "rejete", "Rejeté par une personne"


SAME_PERSON = (LinkStatus.ACCEPTED, LinkStatus.CONFIRMED)


class Verdict(models.TextChoices):
    CONFIRMED = "confirme", "Même personne"
    REJECTED = "rejete", "Personnes différentes"
