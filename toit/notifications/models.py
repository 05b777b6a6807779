from django.conf import settings
from django.db import models
from django.db.models import Q

from toit.notifications.enums import NotificationKind


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a référent should know about a file (toit.notifications.notify). It names
    the file by its reference, never the household: the e-mail digest carries no personal
    data, and the file itself is read through its page (access rules and access log)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="destinataire", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("type", max_length=30, choices=NotificationKind.choices)
    file = models.ForeignKey(
        "eviction.PreventionFile",
        verbose_name="dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.TextField("message")
    url = models.CharField("lien", max_length=255, blank=True)
    # Notifications computed each day (a deadline, a report waiting) carry a key, so the
    # daily run writes each once.
    key = models.CharField("clé de dédoublonnage", max_length=120, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    emailed_at = models.DateTimeField("envoyée par courriel le", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notification_unique_key"),
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"),
        ]

    def __str__(self):
        return self.message
