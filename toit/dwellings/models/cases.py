from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case as When_
from django.db.models import Exists, OuterRef, Q, Value, When
from simple_history.models import HistoricalRecords

from toit.dwellings import rules
from toit.dwellings.enums import (
    ActKind,
    ExitMode,
    Interdiction,
    Qualification,
    Regime,
    RehousingKind,
    ReportSource,
    Stage,
    Tenure,
    WorksDoneBy,
)
from toit.dwellings.models.register import check_same_department


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from toit.dwellings.access import visible_through_dwelling

        return visible_through_dwelling(self, user)

    def open_during(self, start, end):
        """Cases followed at some time between `start` and `end` (inclusive)."""
        ended = Q(exit_on__isnull=False) & Q(exit_on__lt=start) | Q(closed_on__isnull=False) & Q(closed_on__lt=start)
        return self.filter(opened_on__lte=end).exclude(ended)

    def with_stage(self):
        """Annotate `stage` (Stage) from what the case holds, in SQL, so the register can
        filter on it."""
        case = OuterRef("pk")
        return self.annotate(
            stage=When_(
                When(exit_on__isnull=False, then=Value(Stage.EXITED)),
                When(closed_on__isnull=False, then=Value(Stage.CLOSED)),
                When(
                    Exists(PrescribedWork.objects.filter(act__case=case, done_on__isnull=False)),
                    then=Value(Stage.WORKS),
                ),
                When(Exists(Act.objects.filter(case=case)), then=Value(Stage.ACT)),
                When(Exists(CaseQualification.objects.filter(case=case)), then=Value(Stage.QUALIFIED)),
                When(Exists(Visit.objects.filter(case=case)), then=Value(Stage.VISITED)),
                default=Value(Stage.REPORTED),
                output_field=models.CharField(),
            )
        )


class Case(models.Model):
    """A substandard-housing case of the pôle's observatoire nominatif, on one dwelling."""

    department = models.ForeignKey("territory.Department", verbose_name="département", on_delete=models.PROTECT)
    dwelling = models.ForeignKey(
        "dwellings.Dwelling", verbose_name="logement", on_delete=models.PROTECT, related_name="cases"
    )
    pole_reference = models.CharField(
        "numéro de dossier du pôle", max_length=50, blank=True, help_text="Numéro du tableau de suivi du pôle."
    )
    opened_on = models.DateField("ouvert le")
    regime = models.CharField("code en vigueur à l'ouverture", max_length=12, choices=Regime.choices, editable=False)
    tenure = models.CharField(
        "occupation", max_length=10, choices=Tenure.choices, help_text="Au moment du dossier : PO, PB ou vacant."
    )
    occupied = models.BooleanField("logement occupé", default=True)
    exit_on = models.DateField("sorti de l'indignité le", null=True, blank=True)
    exit_mode = models.CharField("mode de sortie", max_length=30, choices=ExitMode.choices, blank=True)
    occupied_at_exit = models.BooleanField("occupé à la sortie", null=True, blank=True)
    occupants_kept = models.BooleanField("occupants maintenus dans les lieux", null=True, blank=True)
    closed_on = models.DateField(
        "clos sans sortie le", null=True, blank=True, help_text="Dossier clos sans sortie d'indignité (sans suite)."
    )
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dossier d'habitat indigne"
        verbose_name_plural = "dossiers d'habitat indigne"
        indexes = [
            models.Index(fields=["department", "exit_on"], name="case_exit_idx"),
            models.Index(fields=["department", "opened_on"], name="case_opened_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_on__isnull=True) | Q(exit_on__gte=models.F("opened_on")),
                name="case_exit_after_opening",
                violation_error_message="La sortie d'indignité ne peut précéder l'ouverture du dossier.",
            ),
            models.CheckConstraint(
                condition=Q(exit_on__isnull=True) | ~Q(exit_mode=""),
                name="case_exit_has_mode",
                violation_error_message="Indiquez comment le logement est sorti de l'indignité.",
            ),
            models.CheckConstraint(
                condition=Q(exit_on__isnull=False)
                | (Q(occupants_kept__isnull=True) & Q(occupied_at_exit__isnull=True)),
                name="case_kept_only_at_exit",
                violation_error_message="Le maintien des occupants se renseigne avec la sortie d'indignité.",
            ),
            models.CheckConstraint(
                condition=~Q(occupants_kept=True) | Q(occupied_at_exit=True),
                name="case_kept_means_occupied",
                violation_error_message="Des occupants maintenus supposent un logement occupé à la sortie.",
            ),
            models.CheckConstraint(
                condition=Q(exit_on__isnull=True) | Q(closed_on__isnull=True),
                name="case_exit_or_closed",
                violation_error_message="Un dossier est sorti de l'indignité ou clos sans sortie, pas les deux.",
            ),
        ]

    def __str__(self):
        return f"Dossier du {self.opened_on:%d/%m/%Y} — {self.dwelling}"

    def save(self, *args, **kwargs):
        self.regime = rules.regime_on(self.opened_on)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        check_same_department(self, dwelling=self.dwelling if self.dwelling_id else None)


class CaseReport(models.Model):
    case = models.ForeignKey(Case, verbose_name="dossier", on_delete=models.CASCADE, related_name="reports")
    received_on = models.DateField("reçu le")
    source = models.CharField("source", max_length=20, choices=ReportSource.choices)
    reporting_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation qui signale",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disorders = models.TextField("désordres constatés", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "signalement"
        indexes = [models.Index(fields=["received_on"], name="dwelling_report_received_idx")]

    def __str__(self):
        return f"{self.get_source_display()} du {self.received_on:%d/%m/%Y}"


class Visit(models.Model):
    case = models.ForeignKey(Case, verbose_name="dossier", on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("visité le")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visitor = models.CharField("visiteur", max_length=255, blank=True)
    findings = models.TextField("constats", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "visite"

    def __str__(self):
        return f"Visite du {self.visited_on:%d/%m/%Y}"


class CaseQualification(models.Model):
    case = models.ForeignKey(Case, verbose_name="dossier", on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField("qualification", max_length=30, choices=Qualification.choices)
    qualified_on = models.DateField("qualifié le")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField("observations", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "qualification"
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="case_qualification_unique")]

    def __str__(self):
        return self.get_kind_display()


class Act(models.Model):
    """An administrative act (arrêté, mise en demeure) of the case, under the code in force
    on its date (toit.dwellings.rules)."""

    case = models.ForeignKey(Case, verbose_name="dossier", on_delete=models.CASCADE, related_name="acts")
    kind = models.CharField("acte", max_length=40, choices=ActKind.choices)
    signed_on = models.DateField("signé le")
    regime = models.CharField("régime", max_length=12, choices=Regime.choices, editable=False)
    legal_basis = models.CharField("fondement", max_length=255, editable=False)
    works_deadline = models.DateField("délai d'exécution des travaux", null=True, blank=True)
    interdiction = models.CharField(
        "interdiction d'habiter", max_length=12, choices=Interdiction.choices, blank=True, default=Interdiction.NONE
    )
    interdiction_until = models.DateField("interdiction jusqu'au", null=True, blank=True)
    lifts = models.ForeignKey(
        "self", verbose_name="arrêté levé", null=True, blank=True, on_delete=models.PROTECT, related_name="liftings"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "arrêté ou acte"
        verbose_name_plural = "arrêtés et actes"
        indexes = [models.Index(fields=["signed_on", "interdiction"], name="dwelling_act_signed_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ActKind.LIFTING) | Q(lifts__isnull=True),
                name="act_only_lifting_lifts",
                violation_error_message="Seule une mainlevée lève un arrêté.",
            ),
            models.CheckConstraint(
                condition=~Q(interdiction=Interdiction.TEMPORARY)
                | Q(interdiction_until__isnull=False)
                | Q(kind=ActKind.LIFTING),
                name="act_temporary_interdiction_until",
                violation_error_message="Une interdiction temporaire d'habiter a une date de fin.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.signed_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.regime = rules.act_regime(self.kind, self.signed_on, self.lifts)
        self.legal_basis = rules.legal_basis(self.kind, self.lifts)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.kind and self.signed_on:
            rules.check_act(self.kind, self.signed_on, self.lifts)
        if self.lifts_id and self.lifts.case_id != self.case_id:
            raise ValidationError({"lifts": "La mainlevée lève un arrêté du même dossier."})


class PrescribedWorkQuerySet(models.QuerySet):
    def past_deadline(self, today):
        return self.filter(done_on__isnull=True, deadline__lt=today)


class PrescribedWork(models.Model):
    act = models.ForeignKey(Act, verbose_name="arrêté", on_delete=models.CASCADE, related_name="works")
    description = models.CharField("travaux prescrits", max_length=255)
    deadline = models.DateField("à réaliser avant le")
    done_on = models.DateField("réalisés le", null=True, blank=True)
    done_by = models.CharField("réalisés", max_length=15, choices=WorksDoneBy.choices, blank=True)
    cost = models.DecimalField("coût (€)", max_digits=10, decimal_places=2, null=True, blank=True)

    objects = PrescribedWorkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "travaux prescrits"
        verbose_name_plural = "travaux prescrits"
        indexes = [models.Index(fields=["deadline"], condition=Q(done_on__isnull=True), name="work_pending_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(done_by=""),
                name="work_done_says_by_whom",
                violation_error_message="Indiquez qui a réalisé les travaux : le propriétaire ou d'office.",
            ),
        ]

    def __str__(self):
        return self.description


class Rehousing(models.Model):
    case = models.ForeignKey(Case, verbose_name="dossier", on_delete=models.CASCADE, related_name="rehousings")
    on = models.DateField("le")
    kind = models.CharField("nature", max_length=12, choices=RehousingKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    persons = models.PositiveSmallIntegerField("personnes", default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "hébergement ou relogement"
        verbose_name_plural = "hébergements et relogements"

    def __str__(self):
        return f"{self.get_kind_display()} du {self.on:%d/%m/%Y}"
