"""Follow-up schemes: the « démarche projet » (3B), sliding leases (3C) and the MOUS
relogement (3D)."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from toit.organisations.enums import OrganisationKind
from toit.priority_access.enums import LeaseOutcome, MousEndReason, ProjectOutcome, ProjectPriority
from toit.priority_access.models.base import PersonRecord, RecordQuerySet, department_fk, organisation_fk


class ProjectFollowup(PersonRecord):
    """A household taken in by the conseil général's teams in the « démarche projet »."""

    taken_in_on = models.DateField("pris en charge le")
    diagnosis_on = models.DateField("diagnostic « habitant habitat » le", null=True, blank=True)
    priority = models.CharField("priorité", max_length=2, choices=ProjectPriority.choices)
    outcome = models.CharField("issue", max_length=20, choices=ProjectOutcome.choices, default=ProjectOutcome.ONGOING)
    ended_on = models.DateField("issue le", null=True, blank=True)

    objects = RecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ménage suivi en démarche projet"
        verbose_name_plural = "ménages suivis en démarche projet"
        ordering = ["department", "taken_in_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ProjectOutcome.ONGOING, ended_on__isnull=True)
                | ~Q(outcome=ProjectOutcome.ONGOING) & Q(ended_on__gte=F("taken_in_on")),
                name="project_outcome_dated",
                violation_error_message="Une issue (relogement, arrêt) a une date, postérieure à la prise en charge ; "
                "un suivi en cours n'en a pas.",
            )
        ]

    def __str__(self):
        return f"Démarche projet du {self.taken_in_on:%d/%m/%Y}"


class SlidingLease(PersonRecord):
    """A sliding lease: an association (the holder) sublets a landlord's dwelling to the
    household until the lease glides to the household's name."""

    landlord = organisation_fk("bailleur")
    started_on = models.DateField("début de la sous-location")
    planned_glide_on = models.DateField("glissement prévu le")
    glided_on = models.DateField("glissement effectif le", null=True, blank=True)
    outcome = models.CharField("issue", max_length=20, choices=LeaseOutcome.choices, default=LeaseOutcome.ONGOING)
    ended_on = models.DateField("fin le", null=True, blank=True)
    standard_contract = models.BooleanField("contrat type commun utilisé", default=False)

    objects = RecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bail glissant"
        verbose_name_plural = "baux glissants"
        ordering = ["department", "started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_glide_on__gt=F("started_on")),
                name="lease_glide_planned_after_start",
                violation_error_message="Le glissement prévu doit suivre le début de la sous-location.",
            ),
            models.CheckConstraint(
                condition=Q(outcome=LeaseOutcome.GLIDED, glided_on__gte=F("started_on"))
                | ~Q(outcome=LeaseOutcome.GLIDED) & Q(glided_on__isnull=True),
                name="lease_glided_dated",
                violation_error_message="Un bail glissé indique la date du glissement, postérieure au début ; sinon, "
                "pas de date de glissement.",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[LeaseOutcome.ENDED, LeaseOutcome.DISPUTE], ended_on__gte=F("started_on"))
                | Q(outcome__in=[LeaseOutcome.ONGOING, LeaseOutcome.GLIDED], ended_on__isnull=True),
                name="lease_end_dated",
                violation_error_message="Une fin de sous-location ou un litige a une date, postérieure au début.",
            ),
        ]

    def __str__(self):
        return f"Bail glissant du {self.started_on:%d/%m/%Y}"


class MousFollowup(PersonRecord):
    """A household mediated by the MOUS relogement towards the private stock."""

    LARGE_FAMILY_CHILDREN = 3

    children = models.PositiveSmallIntegerField("enfants à charge", default=0)
    mediated_on = models.DateField("médiation engagée le")
    rehoused_on = models.DateField("relogé dans le parc privé le", null=True, blank=True)
    # A mediation that stopped without a rehousing in the private stock: the follow-up is closed.
    ended_on = models.DateField("fin de la médiation sans relogement le", null=True, blank=True)
    end_reason = models.CharField(
        "motif de la fin sans relogement", max_length=30, choices=MousEndReason.choices, blank=True
    )

    objects = RecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ménage suivi par la MOUS"
        verbose_name_plural = "ménages suivis par la MOUS"
        ordering = ["department", "mediated_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rehoused_on__isnull=True) | Q(rehoused_on__gte=F("mediated_on")),
                name="mous_rehoused_after_mediation",
                violation_error_message="Le relogement précède la médiation : corrigez l'une des deux dates.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False, end_reason__in=MousEndReason.values) & ~Q(end_reason=""),
                name="mous_end_complete",
                violation_error_message="Une fin de la médiation sans relogement a une date et un motif : indiquez "
                "les deux, ou aucun.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("mediated_on")),
                name="mous_ended_after_mediation",
                violation_error_message="La fin de la médiation précède son début : corrigez l'une des deux dates.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(rehoused_on__isnull=True),
                name="mous_rehoused_or_ended",
                violation_error_message="Un ménage relogé n'a pas de fin de médiation sans relogement : effacez la "
                "date de relogement ou celle de la fin.",
            ),
        ]

    def __str__(self):
        return f"MOUS, médiation du {self.mediated_on:%d/%m/%Y}"

    @property
    def large_family(self):
        return self.children >= self.LARGE_FAMILY_CHILDREN


class MousCoverage(models.Model):
    """A commune the MOUS covers from `since` (until `until`, inclusive, when it stopped):
    the extension to Le Mans Métropole is a set of rows dated from the agreement."""

    department = department_fk()
    operator = organisation_fk(
        "opérateur de la MOUS",
        limit_choices_to={
            "kind__in": [OrganisationKind.OPERATOR, OrganisationKind.ASSOCIATION, OrganisationKind.LOCAL_AUTHORITY]
        },
    )
    commune = models.ForeignKey("territory.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="+")
    since = models.DateField("couverte depuis le")
    until = models.DateField("jusqu'au", null=True, blank=True)
    source = models.CharField("acte", max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "commune couverte par la MOUS"
        verbose_name_plural = "communes couvertes par la MOUS"
        ordering = ["department", "commune", "since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="mous_coverage_dates",
                violation_error_message="La fin de couverture précède son début.",
            )
        ]

    def __str__(self):
        return f"{self.commune} depuis le {self.since:%d/%m/%Y}"


def covered_on(day):
    """Q on MousCoverage: rows covering `day`."""
    return Q(since__lte=day) & (Q(until__isnull=True) | Q(until__gte=day))
