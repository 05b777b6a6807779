"""Runs of the cross-matching, the links they found and every decision taken on them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import localtime

from toit.linkage.enums import LinkStatus, Verdict


class LinkRun(models.Model):
    """One cross-matching of partners' files of a département."""

    department = models.ForeignKey(
        "territory.Department", verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    sources = models.JSONField("fichiers rapprochés", default=list)
    started_at = models.DateTimeField("lancé le")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lancé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lower_threshold = models.FloatField("seuil bas")
    upper_threshold = models.FloatField("seuil haut")
    record_count = models.PositiveIntegerField("fiches lues", default=0)
    candidate_pairs = models.PositiveIntegerField("paires comparées au-dessus du seuil bas", default=0)
    seconds = models.FloatField("durée (s)", default=0)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    # Links deleted by the retention (toit.priority_access.retention), by their status then:
    # a link is personal data, its count is not; the run's figures stay whole.
    purged_links = models.JSONField("liens effacés à l'expiration de la durée de conservation", default=dict)

    class Meta:
        verbose_name = "rapprochement de fichiers"
        verbose_name_plural = "rapprochements de fichiers"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Rapprochement du {localtime(self.started_at):%d/%m/%Y %H:%M} ({self.department})"


class RecordLinkQuerySet(models.QuerySet):
    def same_person(self):
        return self.filter(status__in=[LinkStatus.ACCEPTED, LinkStatus.CONFIRMED])

    def visible_to(self, user):
        from toit.linkage.access import visible_links

        return visible_links(self, user)


class RecordLink(models.Model):
    """Two records of two partners' files that may be the same person. Holds no personal
    data: only the files' codes and the records' primary keys."""

    run = models.ForeignKey(LinkRun, verbose_name="rapprochement", on_delete=models.CASCADE, related_name="links")
    left_source = models.CharField("fichier", max_length=30)
    left_pk = models.PositiveBigIntegerField("fiche")
    right_source = models.CharField("autre fichier", max_length=30)
    right_pk = models.PositiveBigIntegerField("autre fiche")
    probability = models.FloatField("probabilité")
    status = models.CharField("statut", max_length=20, choices=LinkStatus.choices)

    objects = RecordLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "lien entre deux fiches"
        verbose_name_plural = "liens entre fiches"
        ordering = ["run", "-probability", "pk"]
        indexes = [
            models.Index(fields=["left_source", "left_pk"], name="link_left_idx"),
            models.Index(fields=["right_source", "right_pk"], name="link_right_idx"),
            models.Index(fields=["run", "status"], name="link_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "left_source", "left_pk", "right_source", "right_pk"], name="link_once_per_run"
            ),
            models.CheckConstraint(condition=~Q(left_source=models.F("right_source")), name="link_two_files"),
            models.CheckConstraint(condition=Q(probability__gte=0, probability__lte=1), name="link_probability_range"),
        ]

    def __str__(self):
        return f"{self.left_source}#{self.left_pk} ↔ {self.right_source}#{self.right_pk} ({self.probability:.3f})"


class LinkDecision(models.Model):
    """Every decision on a link, automatic (by threshold, no person) or by a person who saw
    both records; never updated, never deleted: a change of mind is a new decision."""

    link = models.ForeignKey(RecordLink, verbose_name="lien", on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField("statut décidé", max_length=20, choices=LinkStatus.choices)
    verdict = models.CharField("avis", max_length=20, choices=Verdict.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidé par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acting_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="au titre de",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("décidé le")
    reason = models.TextField("motif", blank=True)

    class Meta:
        verbose_name = "décision sur un lien"
        verbose_name_plural = "décisions sur les liens"
        ordering = ["link", "decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True, verdict="")
                | Q(decided_by__isnull=False, acting_for__isnull=False) & ~Q(verdict=""),
                name="decision_by_threshold_or_person",
                violation_error_message="Une décision est celle du seuil (sans personne) ou d'une personne agissant "
                "au titre d'une organisation, avec son avis.",
            )
        ]

    def __str__(self):
        who = self.decided_by or "seuil"
        return f"{self.get_status_display()} ({who}, {localtime(self.decided_at):%d/%m/%Y})"
