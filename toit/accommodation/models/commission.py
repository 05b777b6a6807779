from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.accommodation import access
from toit.accommodation.enums import CommissionDecision


class AdmissionCommission(models.Model):
    """The departmental admission commission common to the maisons relais (sheet 2D),
    articulated with the DALO mediation commission. Its secretariat (an organisation) and
    that organisation's members see the applications; one per département, named."""

    department = models.ForeignKey(
        "territory.Department", verbose_name="département", on_delete=models.PROTECT, related_name="commissions"
    )
    name = models.CharField("nom", max_length=255)
    secretariat = models.ForeignKey(
        "organisations.Organisation", verbose_name="secrétariat", on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "commission d'admission"
        verbose_name_plural = "commissions d'admission"
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="commission_name_unique")]

    def __str__(self):
        return self.name


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.visible_applications(self, user)


class Application(models.Model):
    commission = models.ForeignKey(
        AdmissionCommission, verbose_name="commission", on_delete=models.PROTECT, related_name="applications"
    )
    last_name = models.CharField("nom", max_length=150)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    referred_by = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="orienté par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dalo = models.BooleanField("saisine de la commission de médiation DALO", default=False)
    applied_on = models.DateField("date de la demande")
    examined_on = models.DateField("date de la commission", null=True, blank=True)
    decision = models.CharField(
        "décision", max_length=20, choices=CommissionDecision.choices, default=CommissionDecision.PENDING
    )
    proposed_structure = models.ForeignKey(
        "accommodation.Structure",
        verbose_name="structure proposée",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    entered_on = models.DateField("date d'entrée dans la structure", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "demande d'admission"
        verbose_name_plural = "demandes d'admission"
        ordering = ["applied_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(examined_on__isnull=True) | Q(examined_on__gte=models.F("applied_on")),
                name="application_examined_after_application",
            ),
            models.CheckConstraint(
                condition=Q(entered_on__isnull=True) | Q(entered_on__gte=models.F("applied_on")),
                name="application_entry_after_application",
            ),
            models.CheckConstraint(
                condition=Q(decision=CommissionDecision.PENDING) | Q(examined_on__isnull=False),
                name="application_decision_has_date",
            ),
        ]

    def __str__(self):
        return f"Demande du {self.applied_on:%d/%m/%Y}"

    def clean(self):
        if self.decision == CommissionDecision.ACCEPTED and not self.proposed_structure_id:
            raise ValidationError({"proposed_structure": "Une admission prononcée indique la structure proposée."})
        if self.decision != CommissionDecision.PENDING and not self.examined_on:
            raise ValidationError({"examined_on": "Indiquez la date de la commission qui a décidé."})
        if self.entered_on and self.decision != CommissionDecision.ACCEPTED:
            raise ValidationError({"entered_on": "Seule une admission prononcée mène à une entrée."})

    @property
    def wait_days(self):
        return (self.entered_on - self.applied_on).days if self.entered_on else None
