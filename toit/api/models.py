from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from toit.api.enums import NOMINATIVE_SCOPES, Scope


class ApiKeyQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Keys that authenticate: not revoked, not expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class ApiKey(models.Model):
    """A key an organisation's information system uses to call the API.

    The token shown once at creation is « toit_<prefix>_<secret> »; only the SHA-256 of the
    whole token is kept (toit.api.keys). Each key has its own service account (`user`), a
    user that cannot log in (inactive, no password) and whose only membership is in the
    key's organisation: as an agent when the key carries a nominative scope, with the
    observatory role (aggregates only) otherwise. The scoped querysets of the web pages
    (PreventionFile.objects.visible_to(user)…) therefore apply to the key unchanged, and
    the access log names the key (its service account) for every nominative read.
    Scopes are fixed at creation: to change them, create a new key and revoke the old one.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="api_keys",
    )
    name = models.CharField(
        "nom", max_length=100, help_text="Ce que la clé sert à faire, par exemple « Logiciel de gestion locative »."
    )
    prefix = models.CharField(
        "préfixe",
        max_length=16,
        unique=True,
        editable=False,
        help_text="Partie publique de la clé, qui permet de la reconnaître (« toit_<préfixe>_… »).",
    )
    secret_hash = models.CharField("empreinte SHA-256 de la clé", max_length=64, editable=False)
    scopes = models.JSONField("permissions", default=list, help_text="Liste des permissions de la clé.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte de service",
        on_delete=models.PROTECT,
        related_name="api_key",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    expires_at = models.DateTimeField(
        "expire le", null=True, blank=True, help_text="Facultatif : au-delà, la clé est refusée."
    )
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="révoquée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(
        "dernière utilisation", null=True, blank=True, help_text="Mise à jour au plus une fois par minute."
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "clé d'API"
        verbose_name_plural = "clés d'API"
        ordering = ["organisation__name", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(prefix=""), name="apikey_prefix_not_empty"),
            models.CheckConstraint(condition=~Q(secret_hash=""), name="apikey_hash_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation.code}, toit_{self.prefix}_…)"

    def clean(self):
        errors = {}
        scopes = self.scopes if isinstance(self.scopes, list) else None
        if not scopes:
            errors["scopes"] = "Choisissez au moins une permission."
        elif unknown := sorted({str(s) for s in scopes} - set(Scope.values)):
            errors["scopes"] = (
                f"Permission(s) inconnue(s) : {', '.join(unknown)}. Permissions possibles : {', '.join(Scope.values)}."
            )
        if self.expires_at and self._state.adding and self.expires_at <= timezone.now():
            errors["expires_at"] = "La date d'expiration est passée : choisissez une date à venir, ou laissez vide."
        if errors:
            raise ValidationError(errors)

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def is_expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def has_scope(self, scope):
        return str(scope) in self.scopes

    @property
    def is_nominative(self):
        return any(str(s) in self.scopes for s in NOMINATIVE_SCOPES)

    @property
    def scope_labels(self):
        return [Scope(s).label for s in self.scopes if s in Scope.values]

    @property
    def display_token(self):
        """What a person may see of the key: its prefix only."""
        return f"toit_{self.prefix}_…"


class RequestCount(models.Model):
    """Requests counted per caller (a key, a person, an address) in its current fixed
    window of time, for the API's limits (toit.api.throttling). In the database rather
    than a process's memory: every process and server counts the same requests, with no
    Redis for the demo, in one query per request (an upsert that restarts the count when
    a new window begins). One row per caller ever seen."""

    ident = models.CharField("appelant", max_length=200, unique=True)
    window_start = models.BigIntegerField("début de la fenêtre (secondes depuis 1970)")
    hits = models.PositiveIntegerField("requêtes", default=0)

    class Meta:
        verbose_name = "compteur de requêtes"
        verbose_name_plural = "compteurs de requêtes"

    def __str__(self):
        return f"{self.ident} : {self.hits}"
