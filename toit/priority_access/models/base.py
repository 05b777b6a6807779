"""What every nominative record of this package shares: the département it belongs to
(chosen explicitly, never guessed), the partner organisation whose file it is (the
holder, who decides who may read it: toit.priority_access.access), the person's identity
as that partner recorded it, and its history."""

from django.conf import settings
from django.db import models

from toit.priority_access import access


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Records the user may read (see toit.priority_access.access). Apply it BEFORE fetching."""
        return access.visible_records(self, user)

    def in_department(self, department):
        return self.filter(department=department)


def department_fk():
    return models.ForeignKey(
        "territory.Department", verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )


def organisation_fk(verbose_name, related_name="+", **kwargs):
    return models.ForeignKey(
        "organisations.Organisation",
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name=related_name,
        **kwargs,
    )


def user_fk(verbose_name="saisi par"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class PersonRecord(models.Model):
    """A household as one partner's file knows it: its reference person's identity (for
    the cross-matching of sheet 3A), commune and size."""

    department = department_fk()
    holder = organisation_fk("organisme détenteur du fichier")
    last_name = models.CharField("nom d'usage", max_length=150)
    first_name = models.CharField("prénom", max_length=150)
    birth_name = models.CharField("nom de naissance", max_length=150, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", verbose_name="commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household_size = models.PositiveSmallIntegerField("taille du ménage", null=True, blank=True)
    recorded_by = user_fk()
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    # Set by toit.priority_access.retention once the identity is erased (RGPD): the dates and
    # outcomes stay for the indicators, the record no longer names anyone.
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def full_name(self):
        return f"{self.last_name.upper()} {self.first_name}".strip()

    def identity(self, source):
        from toit.linkage.identity import Identity

        commune = self.commune
        return Identity(
            source=source,
            record_id=str(self.pk),
            last_name=self.last_name,
            first_name=self.first_name,
            birth_name=self.birth_name,
            birth_date=self.birth_date,
            postcode=(commune.postcodes[0] if commune and commune.postcodes else ""),
            commune=commune.insee_code if commune else "",
        )
