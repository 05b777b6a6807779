from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.eviction.enums import HousingBenefit, HousingSector, MemberRelationship
from toit.eviction.normalise import address_key, landlord_key, normalise_text, person_key, split_names
from toit.organisations.enums import OrganisationKind
from toit.utils.collation import french

# Shown when a form offers an organisation that is not a social landlord (limit_choices_to).
NOT_A_SOCIAL_LANDLORD = (
    "Cette organisation n'est pas un bailleur social : choisissez une organisation de type bailleur social, "
    "ou indiquez un bailleur privé."
)


class PrivateLandlord(models.Model):
    """A private landlord: a person or a company, not a partner of the plan, so not an
    Organisation."""

    name = models.CharField("nom ou raison sociale", max_length=255)
    contact = models.TextField("coordonnées", blank=True, help_text="Adresse, téléphone, courriel, gestionnaire.")
    name_key = models.CharField("nom normalisé", max_length=255, editable=False, db_index=True)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "bailleur privé"
        verbose_name_plural = "bailleurs privés"
        ordering = [french("name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_keys()
        super().save(*args, **kwargs)

    def refresh_keys(self):
        self.name_key = landlord_key(self.name)


class Household(models.Model):
    """A household (ménage) at an address. Its members are HouseholdMember rows; it is only
    ever seen through a PreventionFile, whose participants decide who may read it."""

    street = models.CharField("adresse (numéro et voie)", max_length=255)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="households"
    )
    address_key = models.CharField("adresse normalisée", max_length=255, editable=False)
    sector = models.CharField("parc", max_length=20, choices=HousingSector.choices)
    social_landlord = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="bailleur social",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tenant_households",
        limit_choices_to={"kind": OrganisationKind.SOCIAL_LANDLORD},
        error_messages={"invalid": NOT_A_SOCIAL_LANDLORD},
    )
    private_landlord = models.ForeignKey(
        PrivateLandlord,
        verbose_name="bailleur privé",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tenant_households",
    )
    monthly_resources = models.DecimalField(
        "ressources mensuelles (€)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    housing_benefit = models.CharField(
        "aide au logement", max_length=5, choices=HousingBenefit.choices, default=HousingBenefit.NONE, blank=True
    )
    third_party_payment = models.BooleanField(
        "versée au bailleur (tiers payant)", default=False, help_text="L'aide au logement est versée au bailleur."
    )
    third_party_payment_since = models.DateField("tiers payant depuis le", null=True, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    privacy_notice_given_on = models.DateField(
        "notice d'information sur les données personnelles remise le", null=True, blank=True
    )
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    # Set by the retention run (toit.eviction.retention): identity, contact details and
    # address are gone; commune, sector and amounts stay for the indicators.
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ménage"
        indexes = [
            models.Index(fields=["commune", "address_key"], name="household_address_idx"),
            models.Index(fields=["third_party_payment_since"], name="household_tiers_payant_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(social_landlord__isnull=True) | Q(private_landlord__isnull=True),
                name="household_one_landlord",
                violation_error_message="Un ménage a un bailleur social ou un bailleur privé, pas les deux.",
            ),
            models.CheckConstraint(
                condition=Q(social_landlord__isnull=True) | Q(sector=HousingSector.SOCIAL),
                name="household_social_landlord_in_social_sector",
                violation_error_message="Un bailleur social ne peut être indiqué que pour un logement du parc social.",
            ),
            models.CheckConstraint(
                condition=Q(private_landlord__isnull=True) | Q(sector=HousingSector.PRIVATE),
                name="household_private_landlord_in_private_sector",
                violation_error_message="Un bailleur privé ne peut être indiqué que pour un logement du parc privé.",
            ),
            models.CheckConstraint(
                condition=Q(third_party_payment=False) | ~Q(housing_benefit=HousingBenefit.NONE),
                name="household_tiers_payant_needs_benefit",
                violation_error_message="Le tiers payant suppose une aide au logement (AL ou APL).",
            ),
            models.CheckConstraint(
                condition=Q(third_party_payment_since__isnull=True) | Q(third_party_payment=True),
                name="household_tiers_payant_since_needs_tiers_payant",
                violation_error_message="Une date de début de tiers payant suppose le tiers payant.",
            ),
            models.CheckConstraint(
                condition=Q(monthly_resources__isnull=True) | Q(monthly_resources__gte=0),
                name="household_resources_non_negative",
                violation_error_message="Les ressources mensuelles ne peuvent pas être négatives.",
            ),
        ]

    def __str__(self):
        return f"Ménage {self.pk or '(nouveau)'}, {self.street}"

    def save(self, *args, **kwargs):
        self.refresh_keys()
        super().save(*args, **kwargs)
        saved = getattr(self, "_saved_commune_id", self.commune_id)
        if saved != self.commune_id:
            from toit.eviction.models import FileParticipant

            # The members', the files' and their participations' copies of the département
            # follow the household's commune: they are what row-level security compares
            # (toit.rowsecurity.policies).
            department_id = self.commune_department_id()
            self.members.update(department_id=department_id)
            self.files.update(department_id=department_id)
            FileParticipant.objects.filter(file__household=self).update(department_id=department_id)
            # Their history rows too: the copy is an access key, not a fact of the past, and
            # the département left behind must not keep reading their history.
            self.members.model.history.filter(household_id=self.pk).update(department_id=department_id)
            self.files.model.history.filter(household_id=self.pk).update(department_id=department_id)
        self._saved_commune_id = self.commune_id

    def refresh_keys(self):
        self.address_key = address_key(self.street)

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        household = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        if "commune_id" in household.__dict__:  # not deferred
            household._saved_commune_id = household.commune_id
        return household

    def commune_department_id(self):
        """The département of the household's commune, from the commune already loaded when
        there is one."""
        if "commune" in self._state.fields_cache and self.commune is not None:
            return self.commune.department_id
        from toit.territory.models import Commune

        return Commune.objects.filter(pk=self.commune_id).values_list("department_id", flat=True).first()

    def clean(self):
        errors = {}
        if self.third_party_payment_since and not self.third_party_payment:
            errors["third_party_payment"] = "Cochez le tiers payant ou effacez sa date de début."
        if self.third_party_payment and not self.housing_benefit:
            errors["housing_benefit"] = "Le tiers payant suppose une aide au logement : indiquez AL ou APL."
        if errors:
            raise ValidationError(errors)

    @property
    def landlord_name(self):
        landlord = self.social_landlord or self.private_landlord
        return str(landlord) if landlord else ""


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, verbose_name="ménage", on_delete=models.CASCADE, related_name="members")
    last_name = models.CharField("nom d'usage", max_length=150)
    first_name = models.CharField("prénom", max_length=150)
    birth_name = models.CharField("nom de naissance", max_length=150, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    relationship = models.CharField("lien avec la personne de référence", max_length=20, choices=MemberRelationship)
    name_key = models.CharField("nom d'usage normalisé", max_length=255, editable=False)
    birth_name_key = models.CharField("nom de naissance normalisé", max_length=255, editable=False)
    # The household's département, copied here so that the name search reads only the
    # user's département from the name index (see the indexes below). Kept by refresh_keys
    # and by Household.save when the commune changes; `toit_procedure_state check` checks it.
    department = models.ForeignKey(
        "territory.Department",
        verbose_name="département du ménage",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre du ménage"
        verbose_name_plural = "membres du ménage"
        ordering = ["household", "relationship", "birth_date"]
        indexes = [
            models.Index(fields=["name_key", "birth_date"], name="member_name_idx"),
            models.Index(fields=["birth_name_key", "birth_date"], name="member_birth_name_idx"),
            # Household search by the start of a name ("dupont|" for every Dupont): a LIKE
            # prefix uses a PostgreSQL btree only with the pattern operator class, whatever
            # the database collation. SQLite ignores opclasses (its search uses a range).
            models.Index(fields=["name_key"], opclasses=["varchar_pattern_ops"], name="member_name_prefix_idx"),
            models.Index(
                fields=["birth_name_key"], opclasses=["varchar_pattern_ops"], name="member_birth_name_prefix_idx"
            ),
            # The same searches within the user's départements: at national scale a common
            # prefix (« mar ») matches ten times more members in the whole instance than in
            # one département, and each match costs a file lookup.
            models.Index(
                fields=["department", "name_key"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="member_dept_name_prefix_idx",
            ),
            models.Index(
                fields=["department", "birth_name_key"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="member_dept_birth_prefix_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relationship=MemberRelationship.REFERENCE),
                name="member_one_reference_person",
                violation_error_message="Le ménage a déjà une personne de référence.",
            ),
        ]

    def __str__(self):
        name = f"{self.last_name.upper()} {self.first_name}"
        if self.birth_name and normalise_text(self.birth_name) != normalise_text(self.last_name):
            name += f" (née {self.birth_name.upper()})"
        return name

    def save(self, *args, **kwargs):
        self.refresh_keys()
        super().save(*args, **kwargs)

    def refresh_keys(self):
        used, born = split_names(self.last_name, self.birth_name)
        self.name_key = person_key(used, self.first_name)
        self.birth_name_key = person_key(born, self.first_name) if born else ""
        if self.household_id is not None or self._state.fields_cache.get("household") is not None:
            self.department_id = household_department_id(self)


def household_department_id(owner):
    """The département of the household of `owner` (a member, a file): from the household
    already loaded when it is that one, else read by id. What their copies of the
    département are kept from (toit.rowsecurity.policies)."""
    household = owner._state.fields_cache.get("household")
    if household is not None and household.pk == owner.household_id:
        return household.commune_department_id()
    return Household.objects.filter(pk=owner.household_id).values_list("commune__department_id", flat=True).first()
