from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.accommodation.enums import FundingBasis, PartnershipKind, Public, StructureKind
from toit.utils.collation import french


class StructureQuerySet(models.QuerySet):
    def in_department(self, department):
        return self.filter(department=department)


class Structure(models.Model):
    """An accommodation or adapted-housing structure. Its places are dated (CapacityPeriod):
    nothing reads a « current capacity » field, so that every rate is computed over the places
    open on each day."""

    department = models.ForeignKey(
        "territory.Department", verbose_name="département", on_delete=models.PROTECT, related_name="structures"
    )
    name = models.CharField("nom", max_length=255)
    kind = models.CharField("type", max_length=30, choices=StructureKind.choices)
    public = models.CharField("public accueilli", max_length=30, choices=Public.choices, default=Public.ALL)
    manager = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="gestionnaire",
        on_delete=models.PROTECT,
        related_name="managed_structures",
        help_text="Ses membres (agents, responsables) voient les résidents de la structure.",
    )
    commune = models.ForeignKey(
        "territory.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="structures"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="structure de rattachement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="antennas",
        help_text="Pour une antenne (foyer « Soleil ») : la structure dont elle dépend.",
    )
    opened_on = models.DateField("date d'ouverture")
    closed_on = models.DateField("date de fermeture", null=True, blank=True)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = StructureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "structure d'hébergement"
        verbose_name_plural = "structures d'hébergement"
        ordering = [french("name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="structure_closes_after_opening",
            ),
            models.CheckConstraint(condition=Q(kind__in=StructureKind.values), name="structure_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.commune_id and self.department_id and self.commune.department_id != self.department_id:
            raise ValidationError({"commune": "Cette commune n'est pas dans le département de la structure."})
        if self.parent_id and self.parent.department_id != self.department_id:
            raise ValidationError({"parent": "La structure de rattachement est dans un autre département."})


class CapacityPeriod(models.Model):
    """The number of places of a structure from `valid_from` (included) to `valid_until`
    (excluded; empty while in force). Periods of one structure follow each other without
    overlap: toit.accommodation.capacity.set_capacity keeps them so."""

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="capacities"
    )
    valid_from = models.DateField("à partir du")
    valid_until = models.DateField("jusqu'au (exclu)", null=True, blank=True)
    places = models.PositiveIntegerField("places")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "capacité datée"
        verbose_name_plural = "capacités datées"
        ordering = ["structure", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="capacity_period_not_empty",
            ),
            models.UniqueConstraint(fields=["structure", "valid_from"], name="capacity_period_one_per_day"),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_until"])]

    def __str__(self):
        return f"{self.places} places à partir du {self.valid_from:%d/%m/%Y}"


class Funding(models.Model):
    """Operating funding per place (the State's 16 € per place per day of a maison relais;
    ALT per place per month), dated: the cost per place of sheet 2G comes from these."""

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="fundings"
    )
    funder = models.ForeignKey(
        "organisations.Organisation", verbose_name="financeur", null=True, blank=True, on_delete=models.PROTECT
    )
    funder_label = models.CharField("financeur (libellé)", max_length=255, blank=True)
    basis = models.CharField("base", max_length=20, choices=FundingBasis.choices)
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    valid_from = models.DateField("à partir du")
    valid_until = models.DateField("jusqu'au (exclu)", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "financement par place"
        verbose_name_plural = "financements par place"
        ordering = ["structure", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_positive"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="funding_period_not_empty",
            ),
        ]

    def __str__(self):
        return f"{self.amount} € {self.get_basis_display()}"


class Partnership(models.Model):
    """A dated convention between a structure and a partner: « niveau de formalisation des
    partenariats » is the count of conventions in force, by kind."""

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="partnerships"
    )
    kind = models.CharField("type de partenariat", max_length=30, choices=PartnershipKind.choices)
    partner = models.ForeignKey(
        "organisations.Organisation", verbose_name="partenaire", null=True, blank=True, on_delete=models.PROTECT
    )
    partner_label = models.CharField("partenaire (libellé)", max_length=255, blank=True)
    signed_on = models.DateField("signée le")
    ended_on = models.DateField("dénoncée ou échue le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convention de partenariat"
        verbose_name_plural = "conventions de partenariat"
        ordering = ["structure", "signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("signed_on")),
                name="partnership_ends_after_signature",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.partner or self.partner_label}"
