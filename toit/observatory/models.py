import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.timezone import localtime

from toit.metrics.enums import Periodicity
from toit.metrics.periods import Period
from toit.observatory.enums import ReportKind, RunStatus
from toit.territory.scopes import ScopeKind

SCOPE_KIND_CHOICES = [(k.value, k.value) for k in ScopeKind]


class AppendOnlyError(ValidationError):
    pass


class IndicatorSnapshotQuerySet(models.QuerySet):
    def latest_only(self):
        """The most recent snapshot of each (indicator, period, territory): the figure in
        force, marked `current` by the engine when it writes a newer one (engine.store)."""
        return self.filter(current=True)

    def in_outer_cell(self):
        """Snapshots of the outer query's snapshot's cell (indicator, period, territory)."""
        return self.filter(
            indicator=OuterRef("indicator"),
            period_start=OuterRef("period_start"),
            period_end=OuterRef("period_end"),
            territory_kind=OuterRef("territory_kind"),
            territory_code=OuterRef("territory_code"),
        )

    def for_period(self, period):
        return self.filter(period_start=period.start, period_end=period.end)

    def for_periods(self, periods):
        condition = Q(pk__in=[])
        for period in periods:
            condition |= Q(period_start=period.start, period_end=period.end)
        return self.filter(condition)

    def for_territories(self, keys):
        condition = Q(pk__in=[])
        for kind, code in keys:
            condition |= Q(territory_kind=kind, territory_code=code)
        return self.filter(condition)


class IndicatorSnapshot(models.Model):
    """The value of a computed indicator for one period and one territory, as computed at
    `computed_at` from the data identified by `data_version`. Never updated: a new
    computation adds a snapshot, and `latest_only()` picks the figure in force. A
    superseded snapshot that only repeated the one before it is deleted
    (toit.observatory.repeats).

    The figure in force is marked `current` rather than found as « no newer snapshot of
    the cell »: that search read every version of every cell, so the dashboard slowed with
    each computation (85 → 297 ms after 21 of them). The mark is the one column the engine
    moves after insertion; a partial unique index keeps one figure in force per cell."""

    indicator = models.ForeignKey(
        "plans.Indicator", verbose_name="indicateur", on_delete=models.CASCADE, related_name="snapshots"
    )
    # Copied from the indicator at computation time: a reloaded plan may change them.
    metric_key = models.CharField("métrique", max_length=100)
    metric_params = models.JSONField("paramètres", default=dict, blank=True)
    period_start = models.DateField("début de période")
    period_end = models.DateField("fin de période")
    period_kind = models.CharField("type de période", max_length=10, choices=Periodicity.choices)
    territory_kind = models.CharField("type de territoire", max_length=20, choices=SCOPE_KIND_CHOICES)
    territory_code = models.CharField("code du territoire", max_length=12)
    territory_label = models.CharField("libellé du territoire", max_length=255, blank=True)
    value = models.DecimalField("valeur", max_digits=20, decimal_places=4, null=True, blank=True)
    # For an amount, a rate or a duration: the count of units behind the value (the
    # metric's declared base), which disclosure control treats as a count. Null for a count
    # (its own base) and for snapshots taken before bases existed: those stay unpublished.
    base = models.PositiveBigIntegerField("effectif de base", null=True, blank=True)
    computed_at = models.DateTimeField("calculé le")
    data_version = models.CharField("version des données", max_length=200)
    run = models.ForeignKey(
        "ComputationRun", verbose_name="calcul", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current = models.BooleanField("en vigueur", default=False, editable=False)

    objects = IndicatorSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = "valeur calculée"
        verbose_name_plural = "valeurs calculées"
        ordering = ["indicator", "period_start", "territory_kind", "territory_code", "pk"]
        indexes = [
            models.Index(
                fields=["indicator", "period_start", "period_end", "territory_kind", "territory_code"],
                name="snapshot_cell_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="snapshot_period"),
            # Also the index of every read of the figures in force. The territory before the
            # periods: a page reads one territory's periods, which are then side by side
            # (reading past every commune's cells cost a dashboard 8 of its 10 ms).
            models.UniqueConstraint(
                fields=["indicator", "territory_kind", "territory_code", "period_start", "period_end"],
                condition=Q(current=True),
                name="snapshot_one_current",
            ),
        ]

    def __str__(self):
        return f"{self.metric_key} {self.period.code} {self.territory_label or self.territory_code} : {self.value}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Une valeur calculée ne se modifie pas : relancez le calcul pour en ajouter une.")
        super().save(*args, **kwargs)

    @property
    def period(self):
        return Period.from_bounds(self.period_start, self.period_end, self.period_kind)

    @property
    def territory_key(self):
        return (self.territory_kind, self.territory_code)


class ComputationRun(models.Model):
    """One request to compute the indicators, from the dashboard, a command or an import."""

    plan = models.ForeignKey("plans.Plan", verbose_name="plan", on_delete=models.CASCADE, related_name="+")
    period_code = models.CharField(
        "période", max_length=12, blank=True, help_text="Vide : toutes les périodes du plan."
    )
    all_territories = models.BooleanField("tous les territoires (EPCI, communes)", default=False)
    reason = models.CharField("motif", max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="demandé par", null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    status = models.CharField("état", max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    snapshot_count = models.PositiveIntegerField("valeurs calculées", default=0)
    errors = models.TextField("anomalies", blank=True)
    task_id = models.CharField("tâche", max_length=64, blank=True)
    # Changes of the data after this request and before it started (runs.waiting_run),
    # which it covers too.
    joined_changes = models.PositiveIntegerField("autres changements pris en compte", default=0)

    class Meta:
        verbose_name = "calcul des indicateurs"
        verbose_name_plural = "calculs des indicateurs"
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Calcul {self.period_code or 'toutes périodes'} du {localtime(self.requested_at):%d/%m/%Y %H:%M}"


class PublishedReportQuerySet(models.QuerySet):
    def latest_versions(self):
        newer = PublishedReport.objects.filter(
            plan=OuterRef("plan"),
            kind=OuterRef("kind"),
            period_code=OuterRef("period_code"),
            version__gt=OuterRef("version"),
        )
        return self.filter(~Exists(newer))


class PublishedReport(models.Model):
    """A report as sent to the comité responsable: its PDF and XLSX bytes are frozen here.
    Data changing later makes a new version; an existing version is never rewritten."""

    plan = models.ForeignKey("plans.Plan", verbose_name="plan", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("type", max_length=12, choices=ReportKind.choices)
    period_code = models.CharField("période", max_length=12)
    period_start = models.DateField("début de période")
    period_end = models.DateField("fin de période")
    version = models.PositiveIntegerField("version")
    inputs_at = models.DateTimeField("données arrêtées au", null=True, blank=True)
    data_version = models.CharField("empreinte des données", max_length=64)
    pdf = models.BinaryField("PDF")
    pdf_sha256 = models.CharField("SHA-256 du PDF", max_length=64)
    xlsx = models.BinaryField("classeur XLSX")
    xlsx_sha256 = models.CharField("SHA-256 du classeur", max_length=64)
    published_at = models.DateTimeField("publié le", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="publié par", null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport publié"
        verbose_name_plural = "rapports publiés"
        ordering = ["-period_start", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "period_code", "version"], name="report_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period.label} — version {self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(
                "Un rapport publié est figé : publiez une nouvelle version plutôt que de modifier celle-ci."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Un rapport publié ne se supprime pas : il fait foi de ce qui a été diffusé.")

    @property
    def period(self):
        return Period.parse(self.period_code)

    def filename(self, extension):
        return f"toit-{self.kind}-{self.period_code}-v{self.version}.{extension}"

    def verify(self):
        """True when the stored bytes still match the checksums taken at publication."""
        return (
            hashlib.sha256(bytes(self.pdf)).hexdigest() == self.pdf_sha256
            and hashlib.sha256(bytes(self.xlsx)).hexdigest() == self.xlsx_sha256
        )


class PublicationRun(models.Model):
    """One request to publish a report, run in the background (toit.observatory.publishing):
    who asked, when, how far it has gone, and how it ended. At most one publication of a
    report (plan, kind, period) is queued or running at a time."""

    plan = models.ForeignKey("plans.Plan", verbose_name="plan", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("type", max_length=12, choices=ReportKind.choices)
    period_code = models.CharField("période", max_length=12)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="demandée par", null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)
    started_at = models.DateTimeField("commencée le", null=True, blank=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    status = models.CharField("état", max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    step = models.CharField("étape", max_length=255, blank=True)
    steps_done = models.PositiveSmallIntegerField("étapes faites", default=0)
    steps_total = models.PositiveSmallIntegerField("étapes", default=0)
    report = models.ForeignKey(
        PublishedReport, verbose_name="rapport", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_version = models.BooleanField("nouvelle version", null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    task_id = models.CharField("tâche", max_length=64, blank=True)

    class Meta:
        verbose_name = "publication d'un rapport"
        verbose_name_plural = "publications de rapports"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "period_code"],
                condition=Q(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]),
                name="one_active_publication",
            ),
        ]

    def __str__(self):
        at = localtime(self.requested_at)
        return f"Publication {self.get_kind_display().lower()} {self.period_code} du {at:%d/%m/%Y %H:%M}"

    @property
    def period(self):
        return Period.parse(self.period_code)

    @property
    def in_progress(self):
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def percent(self):
        if self.status == RunStatus.DONE:
            return 100
        return min(100, round(100 * self.steps_done / self.steps_total)) if self.steps_total else 0
