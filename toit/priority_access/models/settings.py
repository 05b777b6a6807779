"""Dated settings of a département and the plan's dated documents: each row holds from its
`since` date until the next row of the same département."""

from django.db import models
from simple_history.models import HistoricalRecords

from toit.priority_access.enums import CharterKind
from toit.priority_access.models.base import department_fk, organisation_fk


class DatedSettingQuerySet(models.QuerySet):
    def in_force(self, department, day):
        """The row in force in `department` on `day`, or None."""
        return self.filter(department=department, since__lte=day).order_by("-since").first()


class AbnormalDelay(models.Model):
    """The « délai anormalement long » after which a social housing demand may go to the
    DALO commission (article L. 441-1-4 of the CCH), set per département by prefectoral
    order and revised over time."""

    department = department_fk()
    since = models.DateField("en vigueur depuis le")
    months = models.PositiveSmallIntegerField("délai (mois)")
    source = models.CharField("acte", max_length=255, help_text="Arrêté préfectoral fixant le délai, avec sa date.")

    objects = DatedSettingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "délai anormalement long"
        verbose_name_plural = "délais anormalement longs"
        ordering = ["department", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "since"],
                name="abnormal_delay_once_a_day",
                violation_error_message="Un délai est déjà fixé à cette date pour ce département : corrigez-le.",
            ),
            models.CheckConstraint(
                condition=models.Q(months__gte=1),
                name="abnormal_delay_positive",
                violation_error_message="Le délai anormalement long se compte en mois, un au moins.",
            ),
        ]

    def __str__(self):
        return f"{self.department} : {self.months} mois depuis le {self.since:%d/%m/%Y}"


class DaloAgglomeration(models.Model):
    """Whether the département has an agglomeration of more than 300 000 inhabitants (the
    DALO delays are then six months, toit.priority_access.rules), as from `since`."""

    department = department_fk()
    since = models.DateField("en vigueur depuis le")
    large_agglomeration = models.BooleanField("agglomération de plus de 300 000 habitants")
    source = models.CharField("source", max_length=255)

    objects = DatedSettingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "agglomération de plus de 300 000 habitants (DALO)"
        verbose_name_plural = "agglomérations de plus de 300 000 habitants (DALO)"
        ordering = ["department", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "since"],
                name="dalo_agglomeration_once_a_day",
                violation_error_message="Une valeur est déjà enregistrée à cette date pour ce département.",
            )
        ]

    def __str__(self):
        return f"{self.department} depuis le {self.since:%d/%m/%Y}"


def large_agglomeration(department, day):
    """False when nothing is recorded: the general three-month delay."""
    row = DaloAgglomeration.objects.in_force(department, day)
    return bool(row and row.large_agglomeration)


def abnormal_delay_months(department, day):
    """The délai anormalement long in force on `day`, or None when no order is recorded."""
    row = AbnormalDelay.objects.in_force(department, day)
    return row.months if row else None


class Charter(models.Model):
    """A charter of the plan as a dated document: the coordination charter of priority
    allocations (3A) or the sliding-lease charter (3C)."""

    department = department_fk()
    kind = models.CharField("charte", max_length=20, choices=CharterKind.choices)
    title = models.CharField("intitulé", max_length=255)
    adopted_on = models.DateField("adoptée le")
    ended_on = models.DateField("fin de validité", null=True, blank=True)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "charte"
        ordering = ["department", "kind", "adopted_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("adopted_on")),
                name="charter_ends_after_adoption",
                violation_error_message="La fin de validité précède l'adoption : corrigez l'une des deux dates.",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.adopted_on:%d/%m/%Y})"


class CharterSignature(models.Model):
    charter = models.ForeignKey(Charter, verbose_name="charte", on_delete=models.CASCADE, related_name="signatures")
    organisation = organisation_fk("signataire")
    signed_on = models.DateField("signée le")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "signature d'une charte"
        ordering = ["charter", "signed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "organisation"],
                name="charter_signed_once",
                violation_error_message="Cette organisation a déjà signé la charte.",
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.signed_on:%d/%m/%Y})"
