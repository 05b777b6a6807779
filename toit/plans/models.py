import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.metrics.enums import Periodicity, Unit
from toit.metrics.periods import Period
from toit.organisations.models import Organisation
from toit.plans.enums import Comparator, CostPer, IndicatorKind, ReportKind, TargetPeriod
from toit.territory.scopes import Perimeter, ScopeKind, TerritoryScope


class Plan(models.Model):
    code = models.SlugField("code", max_length=80, unique=True)
    title = models.CharField("intitulé", max_length=255)
    department_code = models.CharField("département (code INSEE)", max_length=3)
    starts_on = models.DateField("premier jour")
    ends_on = models.DateField("dernier jour")
    # The years of starts_on and ends_on, set by save(): kept as columns because plans are
    # ordered and chosen by year throughout (the most recent plan, local practices).
    first_year = models.PositiveSmallIntegerField("première année", editable=False)
    last_year = models.PositiveSmallIntegerField("dernière année", editable=False)
    source = models.TextField("source du texte", blank=True)
    local_practices = models.JSONField(
        "pratiques locales du département",
        default=dict,
        blank=True,
        help_text="Délais de pratique locale déclarés par le fichier du plan, avec leur source "
        "(toit.plans.practices) : {code: {valeur, source}}.",
    )
    # The sheet whose follow-up the reports carry (the Sarthe's 4B), as the plan file's
    # `report.action` names it; the report's lines are its ReportSection rows.
    report_action = models.ForeignKey(
        "Action",
        verbose_name="fiche du suivi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_checksum = models.CharField("empreinte du fichier chargé", max_length=64, blank=True)
    loaded_at = models.DateTimeField("chargé le", null=True, blank=True)

    class Meta:
        verbose_name = "plan"
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(last_year__gte=models.F("first_year")), name="plan_years_ordered"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="plan_dates_ordered"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A plan created from its years alone (as before plans had dates) covers them whole.
        if self.starts_on is None and self.first_year:
            self.starts_on = datetime.date(self.first_year, 1, 1)
        if self.ends_on is None and self.last_year:
            self.ends_on = datetime.date(self.last_year, 12, 31)
        self.first_year, self.last_year = self.starts_on.year, self.ends_on.year
        if kwargs.get("update_fields") is not None and {"starts_on", "ends_on"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "first_year", "last_year"}
        super().save(*args, **kwargs)

    @property
    def period(self):
        """The plan's own period, from its first to its last day."""
        return Period.between(self.starts_on, self.ends_on)

    def covers(self, period):
        """Whether `period` is one of the plan's: a quarter or a year it overlaps (a plan from
        1 July 2024 follows 2024 and 2024T3, not 2024T2), or its whole period."""
        return self.period.covers(period)

    def department_scope(self):
        return TerritoryScope.department_scope(self.department_code)


class PlanTerritory(models.Model):
    """A territory a plan sets targets or reports on, defined from the COG (an EPCI, its
    complement within the département, a commune), so membership is derived, not typed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="territories")
    code = models.CharField("code", max_length=40)
    label = models.CharField("libellé", max_length=255)
    kind = models.CharField("type", max_length=20, choices=[(k.value, k.value) for k in ScopeKind])
    ref = models.CharField("référence (SIREN d'EPCI ou code INSEE)", max_length=9, blank=True)
    # kind communes: the INSEE codes of the communes the plan names.
    communes = models.JSONField("communes (codes INSEE)", default=list, blank=True)
    # kind epci / hors_epci: the EPCI's past compositions the plan file declares (the COG
    # gives today's only), as Perimeter.as_json() (toit.territory.scopes).
    perimeters = models.JSONField("périmètres datés de l'EPCI", default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "territoire du plan"
        verbose_name_plural = "territoires du plan"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plan_territory_code_unique")]

    def __str__(self):
        return self.label

    def label_for(self, period):
        """The label, with the EPCI's perimeter holding for `period` when the plan declares one
        (« Le Mans Métropole — communauté urbaine 2008-2012 : 9 communes »)."""
        perimeter = next((p for p in map(Perimeter.from_json, self.perimeters) if p.holds_for(period)), None)
        return f"{self.label} — {perimeter.description}" if perimeter else self.label

    def scope(self):
        """The territory's scope; `.at(period)` gives it for a period (the EPCI's perimeter
        of the time when the plan declares one)."""
        kind = ScopeKind(self.kind)
        listed = kind == ScopeKind.COMMUNES
        return TerritoryScope(
            kind,
            self.plan.department_code,
            self.code if listed else self.ref,
            self.label,
            communes=tuple(self.communes) if listed else None,
            perimeters=tuple(Perimeter.from_json(p) for p in self.perimeters),
        )


class Orientation(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="orientations")
    code = models.CharField("code", max_length=10)
    title = models.CharField("intitulé", max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "orientation"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="orientation_code_unique")]

    def __str__(self):
        return f"Orientation {self.code} : {self.title}"


class Action(models.Model):
    """One action sheet ("fiche objectif") of the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField("code", max_length=10)
    title = models.TextField("intitulé")
    objective = models.TextField("objectif", help_text="Markdown.")
    modalities = models.TextField("modalités de mise en œuvre", blank=True, help_text="Markdown.")
    responsible = models.ManyToManyField(
        Organisation, verbose_name="responsables", related_name="responsible_for", blank=True
    )
    responsible_label = models.CharField("responsable (tel que rédigé)", max_length=255, blank=True)
    partners = models.ManyToManyField(Organisation, verbose_name="partenaires", related_name="partner_in", blank=True)
    partners_note = models.TextField("précisions sur les partenaires", blank=True)
    cost_text = models.TextField("coût indicatif", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches action"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="action_code_unique")]

    def __str__(self):
        return f"{self.code} — {self.title}"


class CostAmount(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="cost_amounts")
    amount = models.DecimalField("montant (€)", max_digits=14, decimal_places=2)
    per = models.CharField("assiette", max_length=20, choices=CostPer.choices)
    note = models.CharField("précision", max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "montant de coût"
        ordering = ["action", "position"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_non_negative")]

    def __str__(self):
        return f"{self.amount} € {self.get_per_display()}"


class IndicatorQuerySet(models.QuerySet):
    def recordable_by(self, user):
        """Manual indicators the user may record a measurement for: members (agent or
        responsable) of an organisation responsible for the action, the observatory, and
        administrators."""
        from toit.organisations.enums import Role
        from toit.organisations.perms import active_memberships, departments_with_role

        manual = self.filter(kind=IndicatorKind.MANUAL)
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return manual
        # The observatory and administrateurs record for the plans of their département only.
        privileged = departments_with_role(user, Role.ADMIN) | departments_with_role(user, Role.OBSERVATORY)
        organisations = active_memberships(user).filter(role__in=[Role.AGENT, Role.MANAGER]).values("organisation")
        return manual.filter(
            Q(plan__department_code__in=privileged) | Q(action__responsible__in=organisations)
        ).distinct()


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("code", max_length=20)
    label = models.TextField("libellé (tel que rédigé dans la fiche)")
    unit = models.CharField("unité", max_length=10, choices=Unit.choices)
    periodicity = models.CharField("périodicité", max_length=10, choices=Periodicity.choices)
    kind = models.CharField("nature", max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.MANUAL)
    metric_key = models.CharField("métrique", max_length=100, blank=True)
    metric_params = models.JSONField("paramètres de la métrique", default=dict, blank=True)
    source = models.TextField("ligne de la fiche dont il vient", blank=True)
    note = models.TextField("précision", blank=True)
    # The territory the sheet is about (« Le Mans, Coulaines et Allonnes » for 1B): pages and
    # reports show the indicator there, and its targets are judged there unless they name
    # another. None: the département.
    territory = models.ForeignKey(
        PlanTerritory,
        verbose_name="territoire de la fiche",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicateur"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=Q(kind=IndicatorKind.MANUAL, metric_key="")
                | (Q(kind=IndicatorKind.COMPUTED) & ~Q(metric_key="")),
                name="indicator_metric_iff_computed",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.label}"


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    comparator = models.CharField("comparaison", max_length=20, choices=Comparator.choices)
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    value_max = models.DecimalField("valeur haute (entre)", max_digits=14, decimal_places=2, null=True, blank=True)
    period = models.CharField("période", max_length=10, choices=TargetPeriod.choices)
    period_code = models.CharField("période précise", max_length=12, blank=True)
    territory = models.ForeignKey(
        PlanTerritory, verbose_name="territoire", null=True, blank=True, on_delete=models.PROTECT
    )
    reference_code = models.CharField(
        "période de référence", max_length=12, blank=True, help_text="Pour « inférieur à la période de référence »."
    )
    note = models.TextField("formulation dans la fiche", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cible"
        ordering = ["indicator", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(comparator=Comparator.BETWEEN) & Q(value_max__isnull=False))
                | (~Q(comparator=Comparator.BETWEEN) & Q(value_max__isnull=True)),
                name="target_value_max_iff_between",
            ),
            models.CheckConstraint(
                condition=(Q(period=TargetPeriod.SPECIFIC) & ~Q(period_code=""))
                | (~Q(period=TargetPeriod.SPECIFIC) & Q(period_code="")),
                name="target_period_code_iff_specific",
            ),
            models.CheckConstraint(
                condition=(Q(comparator=Comparator.BELOW_REFERENCE) & ~Q(reference_code=""))
                | (~Q(comparator=Comparator.BELOW_REFERENCE) & Q(reference_code="")),
                name="target_reference_iff_below_reference",
            ),
        ]

    def __str__(self):
        return self.describe()

    def describe(self):
        unit = {Unit.PERCENT: " %", Unit.EUR: " €", Unit.DAYS: " jours"}.get(self.indicator.unit, "")
        if self.comparator == Comparator.BETWEEN:
            text = f"entre {_fmt(self.value)} et {_fmt(self.value_max)}{unit}"
        elif self.comparator == Comparator.BELOW_REFERENCE:
            reference = Period.parse(self.reference_code).label.lower().removeprefix("année ")
            text = f"inférieur à la valeur de {reference}"
            if self.value:
                text = f"au moins {_fmt(self.value)} % sous la valeur de {reference}"
        else:
            text = f"{self.get_comparator_display()} {_fmt(self.value)}{unit}"
        if self.period == TargetPeriod.SPECIFIC:
            text += f" en {Period.parse(self.period_code).label.lower().removeprefix('année ')}"
        else:
            text += f" {self.get_period_display()}"
        if self.territory_id:
            # The territory as it was for the target's period (an EPCI's perimeter of the time).
            period = Period.parse(self.period_code) if self.period_code else self.indicator.plan.period
            text += f" ({self.territory.label_for(period)})"
        return text

    def is_met_by(self, value, reference=None):
        """`reference`: the value of the reference period, for BELOW_REFERENCE."""
        match self.comparator:
            case Comparator.BELOW_REFERENCE:
                if reference is None:
                    return False
                return value < reference and value <= reference * (100 - self.value) / 100
            case Comparator.AT_LEAST:
                return value >= self.value
            case Comparator.AT_MOST:
                return value <= self.value
            case Comparator.EQUAL:
                return value == self.value
            case Comparator.ABOUT:
                # "une vingtaine": reached from 90 % of the figure on.
                return value >= self.value * 9 / 10
            case Comparator.BETWEEN:
                return self.value <= value <= self.value_max
        raise ValueError(self.comparator)


def _fmt(number):
    if number is None:
        return ""
    text = f"{number:,.2f}".replace(",", " ").replace(".", ",")
    return text.removesuffix(",00")


class MeasurementQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(period_start=period.start, period_end=period.end)


class Measurement(models.Model):
    """A value recorded by hand for a manual indicator, with its provenance."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="indicateur", on_delete=models.PROTECT, related_name="measurements"
    )
    period_start = models.DateField("début de période")
    period_end = models.DateField("fin de période")
    periodicity = models.CharField("type de période", max_length=10, choices=Periodicity.choices)
    territory = models.ForeignKey(
        PlanTerritory, verbose_name="territoire", null=True, blank=True, on_delete=models.PROTECT
    )
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2, null=True, blank=True)
    text_value = models.TextField("valeur (texte)", blank=True)
    # The count of units (households, dwellings, places…) a non-count value rests on: a
    # rate or an amount is published only where this count would be (disclosure control,
    # toit.observatory.publication). None for a count (its own base), for text, and when
    # the partner does not know it: then the value stays unpublished.
    base = models.PositiveIntegerField(
        "effectif de base",
        null=True,
        blank=True,
        help_text="Nombre de ménages, de logements ou de places sur lequel porte un taux ou un montant.",
    )
    source = models.CharField("source", max_length=255)
    comment = models.TextField("commentaire", blank=True)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="saisi par", null=True, on_delete=models.SET_NULL
    )
    recorded_for = models.ForeignKey(
        Organisation, verbose_name="au titre de", null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = MeasurementQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "mesure"
        ordering = ["indicator", "period_start", "territory"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                condition=Q(territory__isnull=True),
                name="measurement_unique_department",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end", "territory"],
                condition=Q(territory__isnull=False),
                name="measurement_unique_territory",
            ),
            models.CheckConstraint(condition=Q(value__isnull=False) | ~Q(text_value=""), name="measurement_has_value"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="measurement_period"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period.code} : {self.display_value}"

    @property
    def period(self):
        return Period.from_bounds(self.period_start, self.period_end, self.periodicity)

    @property
    def display_value(self):
        if self.indicator.unit == Unit.TEXT:
            return self.text_value
        unit = {Unit.PERCENT: " %", Unit.EUR: " €", Unit.DAYS: " j"}.get(self.indicator.unit, "")
        return f"{_fmt(self.value)}{unit}"

    @property
    def lacks_base(self):
        """True for a non-count value entered without the count it rests on: it is not
        published (open data, API, reports) until the base is given."""
        return self.indicator.unit not in (Unit.COUNT, Unit.TEXT) and self.base is None

    def clean(self):
        if self.indicator.kind != IndicatorKind.MANUAL:
            raise ValidationError("Cet indicateur est calculé par Toit : il ne se saisit pas à la main.")


class ReportSection(models.Model):
    """One table of a plan's follow-up reports, as the plan file's `report` section declares
    it (the Sarthe's sheet 4B: quarterly and annual data); toit.observatory.reports builds
    the report from these rows."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="report_sections")
    kind = models.CharField("rapport", max_length=12, choices=ReportKind.choices)
    tab = models.CharField("onglet du classeur", max_length=31)
    title = models.CharField("titre", max_length=255)
    description = models.TextField("description", blank=True)
    trend = models.BooleanField("évolution sur les périodes précédentes", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "tableau du rapport de suivi"
        verbose_name_plural = "tableaux du rapport de suivi"
        ordering = ["plan", "kind", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "tab"], name="report_section_tab_unique")]

    def __str__(self):
        return self.title


class ReportLine(models.Model):
    """A line of a report table: a plan indicator, a metric, or a label alone (a figure no
    source gives yet, which reads « non disponible »)."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="lines")
    label = models.CharField("libellé", max_length=255)
    indicator = models.ForeignKey(
        Indicator, verbose_name="indicateur", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    metric_key = models.CharField("métrique", max_length=100, blank=True)
    metric_params = models.JSONField("paramètres de la métrique", default=dict, blank=True)
    unit = models.CharField("unité", max_length=10, choices=Unit.choices, default=Unit.COUNT)
    # The line the others add up to (dwelling types): one per table at most.
    is_total = models.BooleanField("ligne de total", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ligne du rapport de suivi"
        verbose_name_plural = "lignes du rapport de suivi"
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section"], condition=Q(is_total=True), name="report_line_one_total"),
        ]

    def __str__(self):
        return self.label
