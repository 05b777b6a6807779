from django.conf import settings
from django.db import models
from django.utils.timezone import localtime

from toit.audit.enums import AccessAction


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le journal des accès ne se modifie pas.")

    def delete(self):
        raise AppendOnlyError("Le journal des accès ne se supprime que par la purge programmée (toit_audit purge).")

    def purge_before(self, moment):
        """The only way entries leave the log: the retention purge. Returns the count. On
        PostgreSQL it goes through the database function toit_audit_purge, the one path the
        DELETE trigger lets through (migration audit 0004, docs/security.md)."""
        from django.db import connections

        connection = connections[self.db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT toit_audit_purge(%s)", [moment])
                return cursor.fetchone()[0]
        return self.filter(created_at__lt=moment)._raw_delete(self.db)


class AppendOnlyError(Exception):
    pass


class AccessLog(models.Model):
    """One read of nominative data: who, on behalf of which organisation, what record,
    when, from where and through which view. Append-only; kept one year (settings
    TOIT_ACCESS_LOG_DAYS) then purged. Holds references, never names, so the log itself
    does not become a second copy of the files."""

    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField("identifiant", max_length=150)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="au titre de",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("nature", max_length=20, choices=AccessAction.choices)
    object_type = models.CharField("type d'objet", max_length=100)
    object_id = models.CharField("identifiant de l'objet", max_length=64)
    object_ref = models.CharField("référence", max_length=64, blank=True)
    view = models.CharField("vue", max_length=200, blank=True)
    path = models.CharField("adresse", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    reason = models.TextField("motif déclaré", blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "accès à des données nominatives"
        verbose_name_plural = "entrées du journal des accès"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "created_at"]),
            models.Index(fields=["user", "created_at"]),
        ]

    def __str__(self):
        return (
            f"{localtime(self.created_at):%d/%m/%Y %H:%M} {self.username} {self.get_action_display()} {self.object_ref}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Le journal des accès ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal des accès ne se supprime que par la purge programmée (toit_audit purge).")
