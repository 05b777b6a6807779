from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.accommodation.enums import ProjectKind, ProjectStage, YouthOfferKind

# Field holding the date each stage was reached, in the guide's order.
STAGE_DATES = (
    (ProjectStage.SPOTTED, "spotted_on"),
    (ProjectStage.STUDIED, "studied_on"),
    (ProjectStage.SETTING_UP, "setup_on"),
    (ProjectStage.FUNDED, "funded_on"),
    (ProjectStage.DELIVERED, "delivered_on"),
)


class Project(models.Model):
    """A project of adapted housing or accommodation (sheets 2D, 2E, 2F, 2G), followed
    along the method of the « habitat adapté » guide. Its stage is the last one dated."""

    department = models.ForeignKey(
        "territory.Department", verbose_name="département", on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField("intitulé", max_length=255)
    kind = models.CharField("type", max_length=30, choices=ProjectKind.choices)
    promoter = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="porteur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    promoter_label = models.CharField("porteur (libellé)", max_length=255, blank=True)
    commune = models.ForeignKey("territory.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="+")
    places_planned = models.PositiveIntegerField("places prévues", default=0)
    dwellings_planned = models.PositiveIntegerField("logements prévus", default=0)
    for_youth = models.BooleanField("destiné aux 18-25 ans (2E)", default=False)
    guide_method = models.BooleanField("conduit selon la méthode du guide « habitat adapté »", default=True)
    spotted_on = models.DateField("repéré le")
    studied_on = models.DateField("étudié le", null=True, blank=True)
    setup_on = models.DateField("montage engagé le", null=True, blank=True)
    funded_on = models.DateField("financé le", null=True, blank=True)
    delivered_on = models.DateField("livré le", null=True, blank=True)
    abandoned_on = models.DateField("abandonné le", null=True, blank=True)
    structure = models.ForeignKey(
        "accommodation.Structure",
        verbose_name="structure créée",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "projet"
        ordering = ["spotted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(studied_on__isnull=True) | Q(studied_on__gte=models.F("spotted_on")),
                name="project_studied_after_spotted",
            ),
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True) | Q(funded_on__isnull=False),
                name="project_delivered_once_funded",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def stage(self):
        reached = [stage for stage, field in STAGE_DATES if getattr(self, field)]
        return reached[-1] if reached else ProjectStage.SPOTTED

    @property
    def stage_label(self):
        return ProjectStage(self.stage).label

    def clean(self):
        dates = [(stage, getattr(self, field)) for stage, field in STAGE_DATES]
        previous = None
        for stage, date in dates:
            if date is None:
                continue
            if previous and date < previous[1]:
                raise ValidationError(
                    f"L'étape « {ProjectStage(stage).label} » est datée avant l'étape « "
                    f"{ProjectStage(previous[0]).label} » : corrigez l'une des deux dates."
                )
            previous = (stage, date)
        for stage, field in STAGE_DATES[1:]:
            index = [f for _, f in STAGE_DATES].index(field)
            if getattr(self, field) and any(getattr(self, f) is None for _, f in STAGE_DATES[1:index]):
                raise ValidationError(
                    f"L'étape « {ProjectStage(stage).label} » demande les dates des étapes précédentes."
                )
        if self.commune_id and self.department_id and self.commune.department_id != self.department_id:
            raise ValidationError({"commune": "Cette commune n'est pas dans le département du projet."})


class YouthOffer(models.Model):
    """Accommodation or housing made available to 18-25 year-olds (sheet 2E, the PDLJ):
    ALT, FJT places and antennas, small conventioned dwellings, T2 in the social stock."""

    department = models.ForeignKey(
        "territory.Department", verbose_name="département", on_delete=models.PROTECT, related_name="youth_offers"
    )
    kind = models.CharField("type", max_length=30, choices=YouthOfferKind.choices)
    commune = models.ForeignKey("territory.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="+")
    units = models.PositiveIntegerField("places ou logements")
    made_available_on = models.DateField("mis en service le")
    withdrawn_on = models.DateField("retiré le", null=True, blank=True)
    structure = models.ForeignKey(
        "accommodation.Structure", verbose_name="structure", null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField("précision", max_length=255, blank=True)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "offre pour les jeunes (2E)"
        verbose_name_plural = "offres pour les jeunes (2E)"
        ordering = ["made_available_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(units__gt=0), name="youth_offer_units_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.units}"
