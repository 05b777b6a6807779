from django.db import models

from toit.territory.scopes import TerritoryScope
from toit.utils.collation import french


class Department(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region_code = models.CharField("code région", max_length=3, blank=True)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class EPCI(models.Model):
    siren = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("nom", max_length=255)
    nature = models.CharField("nature juridique", max_length=10, blank=True, help_text="CA, CC, CU, METRO…")

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = [french("name")]

    def __str__(self):
        return self.name


class CommuneQuerySet(models.QuerySet):
    def in_scope(self, scope: TerritoryScope):
        return self.filter(scope.q())

    def for_user(self, user):
        """The communes a user's forms offer: those of their organisations' départements, so
        that « Fay » is one commune for a Sarthe agent whatever else the instance hosts. A
        member of national bodies only (or a superuser) is offered every département's."""
        from toit.organisations.perms import departments_of

        codes = departments_of(user)
        return self.filter(department__code__in=codes) if codes else self


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=255)
    department = models.ForeignKey(
        Department, verbose_name="département", on_delete=models.PROTECT, related_name="communes"
    )
    epci = models.ForeignKey(
        EPCI, verbose_name="EPCI", null=True, blank=True, on_delete=models.PROTECT, related_name="communes"
    )
    postcodes = models.JSONField("codes postaux", default=list, blank=True)
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = [french("name")]
        indexes = [models.Index(fields=["department", "epci"])]

    # What a choice list reads of each commune (toit.utils.collation.FrenchChoiceIterator).
    choice_label_fields = ("name", "insee_code")

    def __str__(self):
        return self.choice_label(self.name, self.insee_code)

    @staticmethod
    def choice_label(name, insee_code):
        return f"{name} ({insee_code})"
