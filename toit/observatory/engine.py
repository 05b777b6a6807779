"""The indicator engine: computes every `computed` indicator of a plan for periods and
territories through the metric registry, and stores the results as snapshots.

Metrics are set-based (one or a few SQL aggregates per call): the engine calls each
metric once per (indicator, period, territory) and never touches rows itself, so the
number of queries is bounded by #indicators × #periods × #territories, whatever the
volume of data.

A metric that only makes sense for some kinds of territory (e.g. committee meetings,
which belong to the département) says so with a `scope_kinds` attribute on its function:

    @register("steering.meetings_held", ...)
    def meetings_held(period, scope, **params): ...
    meetings_held.scope_kinds = {ScopeKind.DEPARTMENT}

An additive metric (a count or a sum over records located in a commune) may also offer
the whole département in one grouped query, which the engine then adds up along the
territory tree instead of calling the metric once per territory — 1 query instead of
~370 for the Sarthe's communes, EPCI and plan territories:

    def by_commune(period, department_code, **params):
        return dict(Event.objects.filter(...).values_list("file__household__commune__insee_code")
                    .annotate(n=Count("pk")))      # {insee code: value}
    assignations.by_commune = by_commune

Only for additive metrics: never for a ratio, a mean or a count of distinct people who
may appear in several communes. A ratio of two additive parts offers
`by_commune_parts(period, department_code, **params)` → (numerators, denominators), both
{insee code: value}, and `combine(numerator, denominator)`: the engine sums each part along
the tree, then combines per territory.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from toit.metrics.enums import Periodicity
from toit.metrics.periods import Period
from toit.metrics.registry import MetricError, registry
from toit.observatory.models import IndicatorSnapshot
from toit.observatory.repeats import drop_repeats_replaced_from
from toit.observatory.territories import all_territories, plan_territories
from toit.observatory.versions import data_version
from toit.plans.enums import IndicatorKind
from toit.plans.models import Indicator
from toit.territory.scopes import ScopeKind

# The periods computed for an indicator when none is asked for: its own periodicity, and
# the coarser ones its targets are judged on.
_DEFAULT_KINDS = {
    Periodicity.QUARTER: {Periodicity.QUARTER, Periodicity.YEAR, Periodicity.PLAN},
    Periodicity.YEAR: {Periodicity.YEAR, Periodicity.PLAN},
    Periodicity.PLAN: {Periodicity.YEAR, Periodicity.PLAN},
}


@dataclass
class ComputeResult:
    computed_at: datetime.datetime
    snapshots: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    skipped: int = 0

    @property
    def count(self):
        return len(self.snapshots)


def default_periods(plan):
    """The plan's quarters, years and whole period, and the reference periods its targets
    compare with (« réduire » against the year before the plan)."""
    from toit.plans.models import Target

    codes = (
        Target.objects.filter(indicator__plan=plan).exclude(reference_code="").values_list("reference_code", flat=True)
    )
    references = [Period.parse(code) for code in sorted(set(codes))]
    return [*references, *plan.period.quarters(), *plan.period.years(), plan.period]


def computed_indicators(plan):
    return list(Indicator.objects.filter(plan=plan, kind=IndicatorKind.COMPUTED).order_by("position"))


def to_decimal(value):
    if value is None:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise MetricError(f"valeur non numérique : {value!r}") from None
    if not number.is_finite():
        return None
    return number.quantize(Decimal("0.0001"))


def _applies(metric, territory):
    kinds = getattr(metric.func, "scope_kinds", None)
    return kinds is None or territory.scope.kind in kinds


def parse_period(plan, code):
    period = Period.parse(code)
    if not plan.covers(period):
        raise MetricError(
            f"La période {period.code} est hors du plan ({plan.period.label}) : choisissez-en une du plan."
        )
    return period


def compute(plan, *, periods=None, territories=None, everywhere=False, indicators=None, run=None, progress=None):
    """Compute and store snapshots. `periods`: Period objects (default: every quarter,
    year and the whole plan, each indicator getting the kinds it needs); `territories`:
    Territory objects (default: département and plan territories, or every EPCI and
    commune too with `everywhere`). Returns a ComputeResult; metrics that are not
    registered or fail are reported in `errors`, never as a made-up value."""
    if territories is None:
        territories = all_territories(plan) if everywhere else plan_territories(plan)
    indicators = computed_indicators(plan) if indicators is None else list(indicators)
    explicit = periods is not None
    # A reference period may also be one of the plan's years: each cell is computed once,
    # as it has one figure in force.
    periods = list(dict.fromkeys(periods if explicit else default_periods(plan)))
    territories = list({territory.key: territory for territory in territories}.values())
    result = ComputeResult(computed_at=timezone.now())
    versions = {}
    tree = None  # commune → territories containing it, built once if a metric is grouped
    total = len(indicators)
    for number, indicator in enumerate(indicators, start=1):
        if progress:
            progress(number, total, indicator)
        try:
            metric = registry.get(indicator.metric_key)
        except MetricError:
            result.errors.append(
                f"{indicator.code} : métrique « {indicator.metric_key} » non enregistrée ; "
                "vérifiez le fichier de plan ou le module qui doit la fournir."
            )
            continue
        version = data_version(metric.key, versions)
        wanted = periods if explicit else [p for p in periods if p.kind in _DEFAULT_KINDS[indicator.periodicity]]
        applicable = [t for t in territories if _applies(metric, t)]
        if not _grouped_form(metric):
            result.skipped += (len(territories) - len(applicable)) * len(wanted)
        if _grouped_form(metric) or (metric.base in registry and _grouped_form(registry.get(metric.base))):
            tree = tree or _CommuneTree(plan, territories)
        values = _evaluate(metric, indicator.metric_params, wanted, applicable, plan, tree, indicator, result)
        bases = _bases(metric, indicator, wanted, applicable, plan, tree, result)
        for period in wanted:
            for territory in applicable:
                cell = (period, territory.key)
                if cell in values:
                    result.snapshots.append(
                        _snapshot(
                            indicator, metric, period, territory, values[cell], bases.get(cell), version, result, run
                        )
                    )
    store(result.snapshots, [indicator.pk for indicator in indicators])
    return result


def store(snapshots, indicator_ids):
    """Add `snapshots` (of the indicators `indicator_ids`) and make each the figure in force
    of its cell, in place of the one it supersedes. Cells not in `snapshots` (a metric that
    failed) keep their figure."""
    if not snapshots:
        return
    with transaction.atomic():
        # One writer at a time per indicator: the rows written below are then the only ones
        # of these indicators from `first` on, and two computations of a plan cannot both
        # mark a figure in force for the same cell. A plan reload waits too.
        list(Indicator.objects.select_for_update().filter(pk__in=indicator_ids).order_by("pk").values_list("pk"))
        created = IndicatorSnapshot.objects.bulk_create(snapshots, batch_size=500)
        first = min(snapshot.pk for snapshot in created)
        # The figures these replace go if they only repeated the one before them (see
        # toit.observatory.repeats): the table grows with the changes, not the computations.
        drop_repeats_replaced_from(first, indicator_ids)
        ours = IndicatorSnapshot.objects.filter(indicator_id__in=indicator_ids, pk__gte=first)
        # Out of force first, into force then: the unique index allows one per cell at a time.
        # Found from the new rows, one probe of that index each: asked the other way (« a
        # figure in force with a newer row »), PostgreSQL read every figure in force of the
        # plan, a second for its 200 000 communes' cells against 12 ms.
        in_force = IndicatorSnapshot.objects.in_outer_cell().filter(current=True, pk__lt=OuterRef("pk"))
        replaced = ours.annotate(replaced=Subquery(in_force.values("pk")[:1])).values("replaced")
        IndicatorSnapshot.objects.filter(pk__in=replaced).update(current=False)
        ours.update(current=True)


def _grouped_form(metric):
    return getattr(metric.func, "by_commune", None) is not None or hasattr(metric.func, "by_commune_parts")


def _evaluate(metric, params, periods, territories, plan, tree, indicator, result):
    """{(period, territory key): value} of one metric, from its grouped form when it has
    one (one or two queries per period), else one call per territory and period. A
    failure is reported in result.errors and leaves its cells out."""
    values = {}
    grouped = getattr(metric.func, "by_commune", None)
    parts = getattr(metric.func, "by_commune_parts", None)
    if grouped is not None or parts is not None:
        for period in periods:
            try:
                by_key = _grouped_values(metric, grouped, parts, period, plan, tree, params)
            except MetricError as exc:
                result.errors.append(f"{indicator.code}, {period.code} : {exc}")
                continue
            for territory in territories:
                values[(period, territory.key)] = to_decimal(by_key(territory.key))
        return values
    for territory in territories:
        for period in periods:
            try:
                values[(period, territory.key)] = to_decimal(metric.compute(period, territory.scope, **params))
            except MetricError as exc:
                result.errors.append(f"{indicator.code}, {period.code}, {territory.label} : {exc}")
    return values


def _bases(metric, indicator, periods, territories, plan, tree, result):
    """{(period, territory key): the count of units behind the value} for a metric that
    is not a count (see toit.metrics.registry), computed like the value itself. Empty for
    a count. Without a base, disclosure control keeps the value unpublished."""
    try:
        found = metric.base_metric(indicator.metric_params)
    except MetricError as exc:
        result.errors.append(f"{indicator.code} : {exc} Sa valeur ne sera pas publiée.")
        return {}
    if found is None:
        return {}
    base, params = found
    counts = _evaluate(base, params, periods, territories, plan, tree, indicator, result)
    return {cell: None if count is None else int(count) for cell, count in counts.items()}


def _snapshot(indicator, metric, period, territory, value, base, version, result, run):
    return IndicatorSnapshot(
        indicator=indicator,
        metric_key=metric.key,
        metric_params=indicator.metric_params,
        period_start=period.start,
        period_end=period.end,
        period_kind=period.kind,
        territory_kind=territory.kind,
        territory_code=territory.code,
        # The territory as it was for the period: an EPCI names its perimeter of the time.
        territory_label=str(territory.scope.at(period))[:255],
        value=value,
        base=base,
        computed_at=result.computed_at,
        data_version=version[:200],
        run=run,
    )


class _CommuneTree:
    """{insee code: [keys of every territory containing the commune]} for a period, from
    the territories being computed (their scopes at that period: an EPCI is its perimeter of
    the time) and the département's communes with their EPCI of today — taken from the
    territories when they go down to communes, else from two queries. Periods sharing their
    perimeters share one tree."""

    def __init__(self, plan, territories):
        self.territories = territories
        communes = [t for t in territories if t.kind == ScopeKind.COMMUNE]
        if not communes:
            communes = [t for t in all_territories(plan) if t.kind == ScopeKind.COMMUNE]
        self.communes = [(t.code, t.epci) for t in communes]
        self.grouping = [t for t in territories if t.kind != ScopeKind.COMMUNE]
        self.computed_communes = {t.code for t in territories if t.kind == ScopeKind.COMMUNE}
        self._trees = {}

    def at(self, period):
        scopes = [(t.key, t.scope.at(period)) for t in self.grouping]
        signature = tuple(scope.communes for _, scope in scopes)
        if signature not in self._trees:
            tree = {}
            for insee, siren in self.communes:
                keys = [(str(ScopeKind.COMMUNE), insee)] if insee in self.computed_communes else []
                keys += [key for key, scope in scopes if scope.contains(insee, siren)]
                tree[insee] = keys
            self._trees[signature] = tree
        return self._trees[signature]


def _grouped_values(metric, grouped, parts, period, plan, tree, params):
    """A function territory key → value, from one grouped query (an additive metric) or two
    (a ratio of additive parts, summed separately then divided as the metric would)."""
    tree = tree.at(period)
    if grouped is not None:
        sums = _add_up(grouped(period, plan.department_code, **params), tree)
        return lambda key: sums.get(key, 0)
    numerators, denominators = parts(period, plan.department_code, **params)
    numerators, denominators = _add_up(numerators, tree), _add_up(denominators, tree)
    return lambda key: metric.func.combine(numerators.get(key, 0), denominators.get(key, 0))


def _add_up(by_commune, tree):
    sums = {}
    for insee, value in by_commune.items():
        if value is None:
            continue
        for key in tree.get(insee, ()):
            sums[key] = sums.get(key, 0) + value
    return sums
