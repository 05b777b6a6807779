from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class CcapexThresholdQuerySet(models.QuerySet):
    def in_force(self, department_code, day):
        """The threshold of `department_code` in force on `day`, or None."""
        return self.filter(department__code=department_code, since__lte=day).order_by("-since").first()


class CcapexThreshold(models.Model):
    """The thresholds above which the commissaire de justice signals a commandement de
    payer to the CCAPEX, as a prefectoral order of the département sets them (décret
    n° 2015-1384 du 30 octobre 2015): arrears of 3 to 6 months, or a debt of 3 to 6 times
    the monthly rent. Dated: a new order adds a row from its date, the old one stays."""

    department = models.ForeignKey(
        "territory.Department", verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField("en vigueur à partir du")
    months_of_arrears = models.PositiveSmallIntegerField(
        "mois d'impayés", validators=[MinValueValidator(3), MaxValueValidator(6)]
    )
    rent_multiple = models.DecimalField(
        "dette en nombre de loyers mensuels",
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(3)), MaxValueValidator(Decimal(6))],
    )
    source = models.CharField("arrêté préfectoral", max_length=255, help_text="Référence et date de l'arrêté.")

    objects = CcapexThresholdQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "seuil de signalement à la CCAPEX"
        verbose_name_plural = "seuils de signalement à la CCAPEX"
        ordering = ["department", "-since"]
        constraints = [
            models.UniqueConstraint(fields=["department", "since"], name="ccapex_threshold_unique_since"),
            models.CheckConstraint(
                condition=Q(months_of_arrears__gte=3, months_of_arrears__lte=6),
                name="ccapex_threshold_months_3_6",
                violation_error_message="Le décret n° 2015-1384 fixe le seuil entre 3 et 6 mois d'impayés.",
            ),
            models.CheckConstraint(
                condition=Q(rent_multiple__gte=3, rent_multiple__lte=6),
                name="ccapex_threshold_multiple_3_6",
                violation_error_message="Le décret n° 2015-1384 fixe le seuil entre 3 et 6 fois le loyer mensuel.",
            ),
        ]

    def __str__(self):
        return f"{self.department} — à partir du {self.since:%d/%m/%Y}"

    def is_reached(self, debt, monthly_rent, months_unpaid):
        """True when either threshold is reached; unknown figures reach nothing."""
        by_months = months_unpaid is not None and months_unpaid >= self.months_of_arrears
        by_amount = bool(debt is not None and monthly_rent and debt >= self.rent_multiple * monthly_rent)
        return by_months or by_amount
