from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.accommodation import access
from toit.accommodation.enums import EntryOrigin, ExitDestination
from toit.utils.collation import french


class ResidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.visible_residents(self, user)


class Resident(models.Model):
    """A person accommodated by one structure. Recognising the same person across
    structures needs the record linkage of the priority-access issue (13): until then a
    resident belongs to one structure and returns are counted within it."""

    structure = models.ForeignKey(
        "accommodation.Structure", verbose_name="structure", on_delete=models.PROTECT, related_name="residents"
    )
    last_name = models.CharField("nom", max_length=150)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = ResidentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "résident"
        ordering = [french("last_name"), french("first_name")]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}".strip()


class StayQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.visible_stays(self, user)


class Stay(models.Model):
    """A stay in a structure: it occupies one place each night from `entry_on` (included)
    to `exit_on` (excluded), the convention of occupancy rates (a person entering on the
    1st and leaving on the 3rd occupied two place-days)."""

    structure = models.ForeignKey(
        "accommodation.Structure", verbose_name="structure", on_delete=models.PROTECT, related_name="stays"
    )
    resident = models.ForeignKey(Resident, verbose_name="résident", on_delete=models.PROTECT, related_name="stays")
    entry_on = models.DateField("date d'entrée")
    origin = models.CharField("provenance", max_length=30, choices=EntryOrigin.choices)
    exit_on = models.DateField("date de sortie", null=True, blank=True)
    destination = models.CharField(
        "destination à la sortie", max_length=30, choices=ExitDestination.choices, blank=True
    )
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = StayQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "séjour"
        ordering = ["structure", "entry_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_on__isnull=True) | Q(exit_on__gte=models.F("entry_on")),
                name="stay_exits_after_entry",
            ),
            models.CheckConstraint(
                condition=(Q(exit_on__isnull=True) & Q(destination=""))
                | (Q(exit_on__isnull=False) & Q(destination__in=ExitDestination.values)),
                name="stay_destination_iff_exit",
            ),
            models.CheckConstraint(condition=Q(origin__in=EntryOrigin.values), name="stay_origin_valid"),
        ]
        indexes = [
            models.Index(fields=["entry_on"]),
            models.Index(fields=["exit_on"]),
            models.Index(fields=["structure", "entry_on"]),
        ]

    def __str__(self):
        return f"Séjour du {self.entry_on:%d/%m/%Y}"

    def clean(self):
        if self.resident_id and self.structure_id and self.resident.structure_id != self.structure_id:
            raise ValidationError({"resident": "Ce résident est suivi par une autre structure."})
        if self.exit_on and not self.destination:
            raise ValidationError({"destination": "Indiquez où la personne est allée à sa sortie."})
        if self.destination and not self.exit_on:
            raise ValidationError({"exit_on": "Une destination de sortie demande une date de sortie."})
        if self.exit_on and self.exit_on < self.entry_on:
            raise ValidationError({"exit_on": "La date de sortie précède la date d'entrée : corrigez l'une des deux."})

    @property
    def length_days(self):
        return (self.exit_on - self.entry_on).days if self.exit_on else None
