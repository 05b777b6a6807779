from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.dwellings import rules
from toit.dwellings.enums import Convention, DpeMethod, DpeStage, EnergyClass
from toit.dwellings.models.register import check_same_department
from toit.organisations.enums import OrganisationKind


class PstDwelling(models.Model):
    """A dwelling the Programme Social Thématique brings to the plan's public (sheet 2A).
    Whether it lies in Le Mans Métropole is read from its commune's EPCI, never typed."""

    department = models.ForeignKey("territory.Department", verbose_name="département", on_delete=models.PROTECT)
    dwelling = models.OneToOneField(
        "dwellings.Dwelling", verbose_name="logement", on_delete=models.PROTECT, related_name="pst"
    )
    operator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="opérateur",
        on_delete=models.PROTECT,
        related_name="pst_dwellings",
        limit_choices_to={"kind": OrganisationKind.OPERATOR},
    )
    operator_reference = models.CharField("référence de l'opérateur", max_length=50, blank=True)
    convention = models.CharField("conventionnement", max_length=12, choices=Convention.choices)
    convention_signed_on = models.DateField("convention ANAH signée le", null=True, blank=True)
    anah_subsidy = models.DecimalField("subvention ANAH (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    available_on = models.DateField("mis à disposition le", null=True, blank=True)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "logement du PST"
        verbose_name_plural = "logements du PST"
        indexes = [models.Index(fields=["department", "available_on"], name="pst_available_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(anah_subsidy__isnull=True) | Q(anah_subsidy__gte=0), name="pst_subsidy_positive"
            )
        ]

    def __str__(self):
        return f"PST — {self.dwelling}"

    def clean(self):
        super().clean()
        check_same_department(self, dwelling=self.dwelling if self.dwelling_id else None)


class EnergyDiagnosis(models.Model):
    """A DPE before or after works. Its method follows from its date (rules.dpe_method):
    a gain is computed only between two DPE of one method (toit.dwellings.energy)."""

    department = models.ForeignKey("territory.Department", verbose_name="département", on_delete=models.PROTECT)
    dwelling = models.ForeignKey(
        "dwellings.Dwelling", verbose_name="logement", on_delete=models.PROTECT, related_name="energy_diagnoses"
    )
    stage = models.CharField("avant ou après travaux", max_length=6, choices=DpeStage.choices)
    made_on = models.DateField("établi le")
    method = models.CharField("méthode", max_length=20, choices=DpeMethod.choices, editable=False)
    energy_class = models.CharField("étiquette énergie", max_length=1, choices=EnergyClass.choices)
    kwh_per_m2_year = models.PositiveIntegerField("consommation (kWh/m²/an)")
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "diagnostic de performance énergétique"
        verbose_name_plural = "diagnostics de performance énergétique"
        indexes = [models.Index(fields=["stage", "made_on"], name="dpe_stage_made_idx")]

    def __str__(self):
        return f"DPE {self.get_stage_display().lower()} du {self.made_on:%d/%m/%Y} : {self.energy_class}"

    def save(self, *args, **kwargs):
        self.method = rules.dpe_method(self.made_on)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        check_same_department(self, dwelling=self.dwelling if self.dwelling_id else None)
