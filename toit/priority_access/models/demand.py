"""Social housing demand (the register's extract), the accord collectif départemental and
the préfecture's reserved stock (sheet 3A)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from toit.organisations.enums import OrganisationKind
from toit.priority_access.enums import AllocationChannel, PriorityGround, ProposalOutcome
from toit.priority_access.models.base import PersonRecord, RecordQuerySet, department_fk, organisation_fk
from toit.priority_access.rules import abnormally_long


class HousingDemandQuerySet(RecordQuerySet):
    def pending_on(self, day):
        """Demands filed by `day` and not satisfied (nor cancelled) by then."""
        return self.filter(filed_on__lte=day).filter(
            Q(allocated_on__isnull=True) | Q(allocated_on__gt=day),
            Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=day),
        )


class HousingDemand(PersonRecord):
    """One row of the département's extract of the social housing demand register."""

    number = models.CharField("numéro unique", max_length=30)
    filed_on = models.DateField("déposée le")
    renewed_on = models.DateField("renouvelée le", null=True, blank=True)
    monthly_resources = models.DecimalField(
        "ressources mensuelles (€)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    communes_wished = models.ManyToManyField(
        "territory.Commune", verbose_name="communes souhaitées", blank=True, related_name="+"
    )
    priority_grounds = models.JSONField(
        "motifs de priorité", default=list, blank=True, help_text="Codes de PriorityGround."
    )
    allocated_on = models.DateField("attribution le", null=True, blank=True)
    allocated_landlord = organisation_fk(
        "bailleur attributaire",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.SOCIAL_LANDLORD},
    )
    allocation_channel = models.CharField(
        "filière d'attribution", max_length=20, choices=AllocationChannel.choices, blank=True
    )
    plai_dwelling = models.BooleanField("logement PLA-I", default=False)
    cancelled_on = models.DateField("radiée le", null=True, blank=True)

    objects = HousingDemandQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "demande de logement social"
        verbose_name_plural = "demandes de logement social"
        ordering = ["department", "filed_on", "number"]
        indexes = [models.Index(fields=["department", "filed_on"], name="demand_filed_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "number"],
                name="demand_number_unique",
                violation_error_message="Une demande porte déjà ce numéro unique dans ce département.",
            ),
            models.CheckConstraint(
                condition=Q(allocated_on__isnull=True) | Q(allocated_on__gte=F("filed_on")),
                name="demand_allocated_after_filing",
                violation_error_message="L'attribution précède le dépôt de la demande : corrigez l'une des deux dates.",
            ),
            models.CheckConstraint(
                condition=Q(allocated_on__isnull=True, allocation_channel="")
                | Q(allocated_on__isnull=False, allocated_landlord__isnull=False),
                name="demand_allocation_complete",
                violation_error_message="Une attribution indique sa date et son bailleur ; sans attribution, pas de "
                "filière.",
            ),
        ]

    def __str__(self):
        return f"Demande {self.number}"

    def clean(self):
        unknown = set(self.priority_grounds or []) - set(PriorityGround.values)
        if unknown:
            raise ValidationError(
                {
                    "priority_grounds": f"Motif(s) de priorité inconnu(s) : {', '.join(sorted(unknown))} ; "
                    f"motifs admis : {', '.join(PriorityGround.values)}."
                }
            )

    def waits_abnormally_long(self, today, months):
        """Whether, still pending on `today`, it has waited more than `months`."""
        pending = self.allocated_on is None or self.allocated_on > today
        return pending and abnormally_long(self.filed_on, months, today)


class CollectiveAgreementTarget(models.Model):
    """The yearly number of priority households a social landlord undertakes to house under
    the accord collectif départemental. Not nominative: every signed-in user sees it."""

    department = department_fk()
    year = models.PositiveSmallIntegerField("année")
    landlord = organisation_fk("bailleur social", limit_choices_to={"kind": OrganisationKind.SOCIAL_LANDLORD})
    target = models.PositiveIntegerField("objectif (ménages)")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "objectif de l'accord collectif"
        verbose_name_plural = "objectifs de l'accord collectif"
        ordering = ["department", "year", "landlord"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year", "landlord"],
                name="acd_target_unique",
                violation_error_message="Ce bailleur a déjà un objectif pour cette année : corrigez-le.",
            )
        ]

    def __str__(self):
        return f"ACD {self.year} – {self.landlord} : {self.target}"


class ContingentProposal(PersonRecord):
    """A dwelling of the préfecture's reserved stock proposed to a priority household, and
    what came of it."""

    demand_number = models.CharField("numéro unique de la demande", max_length=30, blank=True)
    landlord = organisation_fk("bailleur", limit_choices_to={"kind": OrganisationKind.SOCIAL_LANDLORD})
    proposed_on = models.DateField("proposé le")
    outcome = models.CharField("suite", max_length=20, choices=ProposalOutcome.choices, default=ProposalOutcome.PENDING)
    allocated_on = models.DateField("attribué le", null=True, blank=True)
    plai_dwelling = models.BooleanField("logement PLA-I", default=False)

    objects = RecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "proposition sur le contingent préfectoral"
        verbose_name_plural = "propositions sur le contingent préfectoral"
        ordering = ["department", "proposed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(allocated_on__isnull=True)
                | Q(outcome=ProposalOutcome.ACCEPTED, allocated_on__gte=F("proposed_on")),
                name="contingent_allocated_when_accepted",
                violation_error_message="Une attribution suit une proposition acceptée, à une date postérieure.",
            )
        ]

    def __str__(self):
        return f"Proposition du {self.proposed_on:%d/%m/%Y}"
