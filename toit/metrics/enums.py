from django.db import models


class Unit(models.TextChoices):
    COUNT = "count", "nombre"
    RATIO = "ratio", "ratio"
    PERCENT = "percent", "pourcentage"
    EUR = "eur", "euros"
    DAYS = "days", "jours"
    TEXT = "text", "texte"


class Periodicity(models.TextChoices):
    QUARTER = "quarter", "trimestrielle"
    YEAR = "year", "annuelle"
    PLAN = "plan", "sur la durée du plan"
