import calendar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class OccupancySummary(models.Model):
    """A structure's month as its manager summarises it, for the structures that send no
    nominative list of residents: place-days occupied (nights), entries and exits. The
    places of the month go to the dated capacity (CapacityPeriod), never here. The metrics
    read a summary only for a structure-month where no stay of that structure has a night
    (toit.accommodation.metrics): a month is counted from the stays or from the summary,
    never both."""

    structure = models.ForeignKey(
        "accommodation.Structure",
        verbose_name="structure",
        on_delete=models.PROTECT,
        related_name="occupancy_summaries",
    )
    month = models.DateField("mois", help_text="Le premier jour du mois résumé.")
    # Derived from `month` on save, so that SQL finds the stays of the month portably.
    month_end = models.DateField("dernier jour du mois", editable=False)
    occupied_place_days = models.PositiveIntegerField("journées-places occupées (nuitées)")
    entries = models.PositiveIntegerField("entrées", default=0)
    exits = models.PositiveIntegerField("sorties", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="saisi par", null=True, blank=True, on_delete=models.SET_NULL
    )
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "synthèse mensuelle d'occupation"
        verbose_name_plural = "synthèses mensuelles d'occupation"
        ordering = ["structure", "month"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "month"], name="occupancy_summary_one_per_month"),
            models.CheckConstraint(
                condition=models.Q(month_end__gte=models.F("month")), name="occupancy_summary_month_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self):
        return f"Occupation de {self.month:%m/%Y}"

    def save(self, *args, **kwargs):
        self.month_end = self.last_day(self.month)
        super().save(*args, **kwargs)

    @staticmethod
    def last_day(month):
        return month.replace(day=calendar.monthrange(month.year, month.month)[1])

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Indiquez le premier jour du mois résumé."})
        if self.month and self.structure_id and self.occupied_place_days is not None:
            from toit.accommodation.monthly import month_capacity_days

            most = month_capacity_days(self.structure, self.month)
            if self.occupied_place_days > most:
                raise ValidationError(
                    {
                        "occupied_place_days": f"{self.occupied_place_days} nuitées en {self.month:%m/%Y} dépassent "
                        f"les {most} journées-places ouvertes ce mois-là (capacité datée) : corrigez les nuitées, "
                        "ou les places de la structure."
                    }
                )
