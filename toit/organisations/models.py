from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from toit.organisations.enums import OrganisationKind, Role
from toit.utils.collation import french


class OrganisationLookupError(ValueError):
    """A code that names no organisation, or several: the message says how to write it."""


class OrganisationQuerySet(models.QuerySet):
    def of_user(self, user):
        """Organisations the user is an active member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__is_active=True).distinct()

    def for_department(self, department_code):
        """Organisations a file, plan or import of `department_code` may name: its own and the
        national bodies. Codes are unique within a département, not instance-wide."""
        return self.filter(Q(department__code=department_code) | Q(department__isnull=True))

    def resolve(self, code, department_code):
        """The organisation called `code` for `department_code`: the département's own first,
        else a national body of that code; None when neither exists."""
        found = {
            o.department_id is None: o
            for o in self.for_department(department_code).filter(code__iexact=code).select_related("department")
        }
        return found.get(False) or found.get(True)

    def by_code(self, text, department_code=None):
        """The organisation a person or a partner system names by its code: « CAF72 », or
        « 61/ANAH » when the code exists in several départements. `department_code` (the
        caller's own département) settles the ambiguity in favour of its own organisation.
        Raises OrganisationLookupError with a French message saying how to fix the input."""
        text = (text or "").strip()
        prefix, slash, code = text.rpartition("/")
        if slash:
            department_code = prefix.strip()
            code = code.strip()
        candidates = list(self.filter(code__iexact=code).select_related("department"))
        if department_code:
            own = [o for o in candidates if o.department and o.department.code == department_code]
            national = [o for o in candidates if o.department_id is None]
            if own or national or slash:
                candidates = own or national
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            where = f" dans le département {department_code}" if slash else ""
            raise OrganisationLookupError(
                f"Organisation inconnue : « {text} »{where}. Donnez le code d'une organisation de Toit (ex. CAF72)."
            )
        places = ", ".join(sorted(o.department.code if o.department else "national" for o in candidates))
        raise OrganisationLookupError(
            f"Plusieurs organisations portent le code « {code} » ({places}) : précisez le département, "
            f"ex. « {candidates[0].department.code if candidates[0].department else ''}/{code} »."
        )

    def prefecture_of(self, department_code):
        """The préfecture of `department_code`, or None when it is not declared (then nobody
        joins: a missing organisation must not block the procedure)."""
        return self.filter(department__code=department_code, is_prefecture=True).first()


class Organisation(models.Model):
    code = models.SlugField(
        "code",
        max_length=40,
        help_text="Identifiant court et stable, unique dans son département, utilisé dans les fichiers de plan "
        "(ex. « CAF72 »).",
        allow_unicode=False,
    )
    name = models.CharField("nom", max_length=255)
    kind = models.CharField("type", max_length=30, choices=OrganisationKind.choices)
    department = models.ForeignKey(
        "territory.Department",
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text="Vide pour un organisme national. Les rôles d'un membre (observatoire, administrateur) "
        "valent pour les plans de ce département.",
    )
    is_prefecture = models.BooleanField(
        "préfecture du département",
        default=False,
        help_text="La préfecture participe de droit aux dossiers d'expulsion de son département à partir de "
        "l'assignation.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="organisation de rattachement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "organisation"
        ordering = [french("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                "department",
                condition=Q(department__isnull=False),
                name="organisation_code_ci_unique_in_department",
                violation_error_message="Une organisation de ce département porte déjà ce code.",
            ),
            models.UniqueConstraint(
                Lower("code"),
                condition=Q(department__isnull=True),
                name="organisation_code_ci_unique_national",
                violation_error_message="Un organisme national porte déjà ce code.",
            ),
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(is_prefecture=True),
                name="organisation_one_prefecture_per_department",
                violation_error_message="Ce département a déjà une préfecture.",
            ),
            models.CheckConstraint(
                condition=Q(is_prefecture=False) | (Q(department__isnull=False) & Q(kind=OrganisationKind.STATE)),
                name="organisation_prefecture_is_departmental_state",
                violation_error_message="Une préfecture est un service de l'État rattaché à un département.",
            ),
        ]

    # What a choice list reads of each organisation (toit.utils.collation.FrenchChoiceIterator).
    choice_label_fields = ("name",)

    def __str__(self):
        return self.choice_label(self.name)

    @staticmethod
    def choice_label(name):
        return name


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organisation__is_active=True)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "appartenance"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_user_organisation_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"
