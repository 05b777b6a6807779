from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.dwellings.enums import ReviewOutcome

GROUNDS_MIN = 20


class IndelicacyDecisionQuerySet(models.QuerySet):
    def in_force(self, on):
        """Decisions taken on or before `on` and not withdrawn by then."""
        return self.filter(decided_on__lte=on).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))


class IndelicacyDecision(models.Model):
    """The pôle records a landlord as « bailleur indélicat »: a dated decision with its
    grounds, reviewed at a set date, withdrawn by a review — never a free-text label on the
    owner (toit.dwellings.landlords)."""

    pole = models.ForeignKey("dwellings.HousingPole", verbose_name="pôle", on_delete=models.PROTECT)
    owner = models.ForeignKey(
        "dwellings.Owner", verbose_name="bailleur", on_delete=models.PROTECT, related_name="indelicacy_decisions"
    )
    decided_on = models.DateField("décidé le")
    grounds = models.TextField("motifs")
    review_due_on = models.DateField("à réexaminer au plus tard le")
    decided_by = models.ForeignKey(
        "users.User", verbose_name="enregistré par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_on = models.DateField("levée le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = IndelicacyDecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision « bailleur indélicat »"
        verbose_name_plural = "décisions « bailleur indélicat »"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due_on__gt=models.F("decided_on")), name="indelicacy_review_after_decision"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("decided_on")),
                name="indelicacy_withdrawn_after_decision",
            ),
        ]

    def __str__(self):
        return f"{self.owner} — décision du {self.decided_on:%d/%m/%Y}"


class IndelicacyReview(models.Model):
    decision = models.ForeignKey(
        IndelicacyDecision, verbose_name="décision", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_on = models.DateField("réexaminée le")
    outcome = models.CharField("issue", max_length=12, choices=ReviewOutcome.choices)
    grounds = models.TextField("motifs")
    next_review_on = models.DateField("prochain réexamen", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "users.User", verbose_name="enregistré par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "réexamen d'une décision « bailleur indélicat »"
        verbose_name_plural = "réexamens"

    def __str__(self):
        return f"{self.get_outcome_display()} le {self.reviewed_on:%d/%m/%Y}"
