from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.dwellings.enums import PoleService


class HousingPole(models.Model):
    """The pôle départemental de lutte contre l'habitat indigne of one département: its
    members, and only they, read the dwelling register and its cases (toit.dwellings.access)."""

    department = models.OneToOneField(
        "territory.Department", verbose_name="département", on_delete=models.PROTECT, related_name="housing_pole"
    )
    name = models.CharField("nom", max_length=255)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pôle départemental de lutte contre l'habitat indigne"
        verbose_name_plural = "pôles départementaux de lutte contre l'habitat indigne"

    def __str__(self):
        return self.name


class PoleMember(models.Model):
    """An organisation that is a member of the pôle, for the whole département or, for an
    EPCI or a communal hygiene service, for its own territory only."""

    pole = models.ForeignKey(HousingPole, verbose_name="pôle", on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="pole_memberships",
    )
    service = models.CharField("au titre de", max_length=30, choices=PoleService.choices)
    epci = models.ForeignKey(
        "territory.EPCI",
        verbose_name="limité à l'EPCI",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        "territory.Commune",
        verbose_name="limité à la commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    since = models.DateField("membre depuis le")
    until = models.DateField("membre jusqu'au", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre du pôle"
        verbose_name_plural = "membres du pôle"
        constraints = [
            models.UniqueConstraint(fields=["pole", "organisation"], name="pole_member_unique"),
            models.CheckConstraint(
                condition=Q(epci__isnull=True) | Q(commune__isnull=True),
                name="pole_member_one_restriction",
                violation_error_message="Un membre est limité à un EPCI ou à une commune, pas aux deux.",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="pole_member_until_after_since",
                violation_error_message="La fin de l'adhésion ne peut précéder son début.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_service_display()})"
