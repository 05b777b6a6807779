from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.dwellings import address
from toit.dwellings.enums import BuildingType, MergeStatus, OwnerKind, Sector, Tenure
from toit.eviction.normalise import landlord_key
from toit.utils.collation import french


def check_same_department(record, **related):
    """Every record names its département; what it links to must lie in the same one."""
    errors = {}
    for field, other in related.items():
        if other is not None and other.department_id != record.department_id:
            errors[field] = f"« {other} » n'est pas dans le département de cet enregistrement."
    if errors:
        raise ValidationError(errors)


class Owner(models.Model):
    """An owner or a landlord: a person or a company, several dwellings each. Nominative:
    read by the pôle's members only, kept as docs/rgpd.md says."""

    department = models.ForeignKey("territory.Department", verbose_name="département", on_delete=models.PROTECT)
    kind = models.CharField("nature", max_length=10, choices=OwnerKind.choices)
    name = models.CharField("nom ou raison sociale", max_length=255)
    name_key = models.CharField("nom normalisé", max_length=255, editable=False, db_index=True)
    contact = models.TextField("coordonnées", blank=True)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "propriétaire"
        ordering = [french("name"), "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = landlord_key(self.name)
        super().save(*args, **kwargs)


class DwellingQuerySet(models.QuerySet):
    def visible_to(self, user):
        from toit.dwellings.access import visible_dwellings

        return visible_dwellings(self, user)

    def current(self):
        """Dwellings not merged into another."""
        return self.filter(merged_into__isnull=True)


class Dwelling(models.Model):
    department = models.ForeignKey("territory.Department", verbose_name="département", on_delete=models.PROTECT)
    street_number = models.CharField("numéro", max_length=10, blank=True)
    number_suffix = models.CharField(
        "indice de répétition",
        max_length=10,
        blank=True,
        choices=[("", "—"), ("bis", "bis"), ("ter", "ter"), ("quater", "quater")],
    )
    street = models.CharField("voie", max_length=255)
    complement = models.CharField("complément (bâtiment, étage, porte)", max_length=255, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="dwellings"
    )
    address_key = models.CharField("adresse normalisée", max_length=255, editable=False)
    # The street alone, normalised: what a search by street name starts from.
    street_key = models.CharField("voie normalisée", max_length=255, editable=False)
    ban_id = models.CharField("identifiant BAN", max_length=50, blank=True)
    cadastral_ref = models.CharField("référence cadastrale", max_length=30, blank=True)
    building_type = models.CharField("type de bâti", max_length=12, choices=BuildingType.choices)
    sector = models.CharField("parc", max_length=10, choices=Sector.choices, default=Sector.PRIVATE)
    tenure = models.CharField("occupation", max_length=10, choices=Tenure.choices)
    rooms = models.PositiveSmallIntegerField("nombre de pièces", null=True, blank=True)
    surface = models.DecimalField("surface habitable (m²)", max_digits=6, decimal_places=1, null=True, blank=True)
    occupants = models.PositiveSmallIntegerField("nombre d'occupants", null=True, blank=True)
    household = models.ForeignKey(
        "eviction.Household",
        verbose_name="ménage connu de Toit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dwellings",
    )
    owner = models.ForeignKey(
        Owner, verbose_name="propriétaire", null=True, blank=True, on_delete=models.PROTECT, related_name="dwellings"
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="fusionné dans",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        editable=False,
    )
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = DwellingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "logement"
        ordering = ["commune__name", "address_key", "pk"]
        indexes = [
            models.Index(fields=["department", "commune", "address_key"], name="dwelling_address_idx"),
            # Search by the start of a street: a LIKE prefix uses a PostgreSQL btree only with
            # the pattern operator class; SQLite ignores opclasses (the search uses a range).
            # Covering (PostgreSQL): the search filters by reach and merge and orders without
            # reading the table (bench/dwellings.py: « 87 rue de » 140 -> 33 ms at 100 000).
            models.Index(
                fields=["street_key", "address_key"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                include=["department", "merged_into", "id"],
                name="dwelling_street_cover_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")),
                name="dwelling_not_merged_into_itself",
            ),
        ]

    def __str__(self):
        return f"{self.address_line} — {self.commune.name}"

    def save(self, *args, **kwargs):
        self.refresh_key()
        super().save(*args, **kwargs)

    @property
    def address_line(self):
        number = " ".join(p for p in (self.street_number, self.number_suffix) if p)
        line = f"{number} {self.street}".strip()
        return f"{line}, {self.complement}" if self.complement else line

    def refresh_key(self):
        parsed = address.parse(self.street, self.street_number, self.number_suffix)
        self.address_key, self.street_key = parsed.key, parsed.street
        return parsed

    def clean(self):
        super().clean()
        try:
            self.refresh_key()
        except ValueError as error:
            raise ValidationError({"number_suffix": str(error)}) from None
        if self.commune_id and self.department_id and self.commune.department_id != self.department_id:
            raise ValidationError({"commune": "Cette commune n'est pas dans le département du logement."})
        check_same_department(self, owner=self.owner)


class MergeProposal(models.Model):
    """Two dwellings whose addresses read the same: a person says whether they are one
    (toit.dwellings.merging). Nothing is ever merged without this decision."""

    department = models.ForeignKey("territory.Department", verbose_name="département", on_delete=models.PROTECT)
    dwelling = models.ForeignKey(Dwelling, verbose_name="logement", on_delete=models.CASCADE, related_name="+")
    duplicate = models.ForeignKey(Dwelling, verbose_name="doublon présumé", on_delete=models.CASCADE, related_name="+")
    address_key = models.CharField("adresse normalisée commune", max_length=255)
    status = models.CharField("décision", max_length=12, choices=MergeStatus.choices, default=MergeStatus.PENDING)
    proposed_at = models.DateTimeField("proposé le", auto_now_add=True)
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decided_by = models.ForeignKey(
        "users.User", verbose_name="décidé par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("motif de la décision", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "proposition de fusion"
        verbose_name_plural = "propositions de fusion"
        constraints = [
            models.UniqueConstraint(fields=["dwelling", "duplicate"], name="merge_proposal_pair_unique"),
            models.CheckConstraint(condition=Q(dwelling__lt=models.F("duplicate")), name="merge_proposal_ordered"),
            models.CheckConstraint(
                condition=Q(status=MergeStatus.PENDING) | Q(decided_at__isnull=False),
                name="merge_proposal_decided_when",
            ),
        ]

    def __str__(self):
        return f"{self.dwelling} / {self.duplicate}"
