from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.eviction.enums import TransmissionStatus


class ReportTransmissionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=TransmissionStatus.PENDING)

    def for_participant(self, user):
        """Transmissions to files the user takes part in lastingly: their queue."""
        from toit.eviction import access
        from toit.eviction.models import FileParticipant

        return self.filter(
            models.Exists(
                FileParticipant.objects.filter(
                    file=models.OuterRef("file"),
                    expires_at__isnull=True,
                    organisation__in=access.nominative_memberships(user).values("organisation"),
                )
            )
        )


class ReportTransmission(models.Model):
    """A report whose identity is that of a person in a file its author does not see:
    handed to that file's participants, who decide (toit.eviction.intake). The author is
    told « transmis » and nothing else: not the file, not its participants, not the
    outcome."""

    report = models.ForeignKey(
        "eviction.Report", verbose_name="signalement", on_delete=models.CASCADE, related_name="transmissions"
    )
    file = models.ForeignKey(
        "eviction.PreventionFile", verbose_name="dossier", on_delete=models.CASCADE, related_name="transmissions"
    )
    status = models.CharField(
        "état", max_length=20, choices=TransmissionStatus.choices, default=TransmissionStatus.PENDING
    )
    created_at = models.DateTimeField("transmis le", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deciding_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="au titre de",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    note = models.TextField("motif", blank=True)

    objects = ReportTransmissionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "signalement transmis"
        verbose_name_plural = "signalements transmis"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "file"], name="transmission_unique"),
            models.CheckConstraint(
                condition=Q(status=TransmissionStatus.PENDING) | Q(decided_at__isnull=False),
                name="transmission_decision_dated",
                violation_error_message="Une décision sur un signalement transmis est datée.",
            ),
        ]

    def __str__(self):
        return f"{self.report} transmis au dossier {self.file.reference}"
