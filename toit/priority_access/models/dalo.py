"""Appeals to the DALO commission de médiation and their legal deadlines (sheet 3A)."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from toit.priority_access import rules
from toit.priority_access.enums import DaloDecision, DaloEndReason
from toit.priority_access.models.base import PersonRecord, RecordQuerySet


class DaloAppealQuerySet(RecordQuerySet):
    def priority(self):
        return self.filter(decision=DaloDecision.PRIORITY)

    def not_rehoused_on(self, day):
        """Appeals still awaiting housing on `day`: neither rehoused by then nor closed by then
        without a rehousing (the State's obligation ended: `ended_on`)."""
        return self.filter(Q(rehoused_on__isnull=True) | Q(rehoused_on__gt=day)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class DaloAppeal(PersonRecord):
    number = models.CharField("numéro du recours", max_length=30)
    filed_on = models.DateField("déposé le")
    decided_on = models.DateField("décision le", null=True, blank=True)
    decision = models.CharField("décision", max_length=20, choices=DaloDecision.choices, blank=True)
    housing_offered_on = models.DateField("logement proposé le", null=True, blank=True)
    rehoused_on = models.DateField("relogé le", null=True, blank=True)
    # A priority household the State no longer has to rehouse, though not rehoused through the
    # appeal (offer refused, rehoused by its own means, unreachable…): the appeal is closed.
    ended_on = models.DateField("fin de l'obligation sans relogement le", null=True, blank=True)
    end_reason = models.CharField(
        "motif de la fin sans relogement", max_length=30, choices=DaloEndReason.choices, blank=True
    )

    objects = DaloAppealQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "recours DALO"
        verbose_name_plural = "recours DALO"
        ordering = ["department", "filed_on", "number"]
        indexes = [models.Index(fields=["department", "decision", "decided_on"], name="dalo_decision_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "number"],
                name="dalo_number_unique",
                violation_error_message="Un recours porte déjà ce numéro dans ce département.",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True, decision="")
                | Q(decided_on__isnull=False, decided_on__gte=F("filed_on"), decision__in=DaloDecision.values)
                & ~Q(decision=""),
                name="dalo_decision_complete",
                violation_error_message="Une décision a une date, postérieure au dépôt, et un sens ; sans date, pas de "
                "sens.",
            ),
            models.CheckConstraint(
                condition=Q(rehoused_on__isnull=True) | Q(rehoused_on__gte=F("filed_on")),
                name="dalo_rehoused_after_filing",
                violation_error_message="Le relogement précède le dépôt du recours : corrigez l'une des deux dates.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False, end_reason__in=DaloEndReason.values) & ~Q(end_reason=""),
                name="dalo_end_complete",
                violation_error_message="Une fin de l'obligation sans relogement a une date et un motif : indiquez "
                "les deux, ou aucun.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(decision=DaloDecision.PRIORITY, decided_on__isnull=False, ended_on__gte=F("decided_on")),
                name="dalo_end_after_priority_decision",
                violation_error_message="La fin de l'obligation de relogement suit une décision « prioritaire et "
                "urgent » : elle ne peut exister sans cette décision ni la précéder.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(rehoused_on__isnull=True),
                name="dalo_rehoused_or_ended",
                violation_error_message="Un ménage relogé n'a pas de fin d'obligation sans relogement : effacez la "
                "date de relogement ou celle de la fin.",
            ),
        ]

    def __str__(self):
        return f"Recours DALO {self.number}"

    def commission_deadline(self, large_agglomeration):
        return rules.commission_deadline(self.filed_on, large_agglomeration)

    def rehousing_deadline(self, large_agglomeration):
        if self.decision != DaloDecision.PRIORITY or self.decided_on is None:
            return None
        return rules.rehousing_deadline(self.decided_on, large_agglomeration)
