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
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from toit.metrics.enums import Periodicity
from toit.metrics.periods import Period
from toit.metrics.registry import MetricError, registry
from toit.observatory.models import IndicatorSnapshot
from toit.observatory.territories import all_territories, plan_territories
from toit.observatory.versions import data_version
from toit.plans.enums import IndicatorKind
from toit.plans.models import Indicator

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
    return [*plan.period.quarters(), *plan.period.years(), plan.period]


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
    if not plan.period.contains(period):
        raise MetricError(
            f"La période {period.code} est hors du plan ({plan.period.code}) : choisissez-en une du plan."
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
    periods = list(periods) if explicit else default_periods(plan)
    result = ComputeResult(computed_at=timezone.now())
    versions = {}
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
        for territory in territories:
            if not _applies(metric, territory):
                result.skipped += len(wanted)
                continue
            for period in wanted:
                try:
                    value = to_decimal(metric.compute(period, territory.scope, **indicator.metric_params))
                except MetricError as exc:
                    result.errors.append(f"{indicator.code}, {period.code}, {territory.label} : {exc}")
                    continue
                result.snapshots.append(
                    IndicatorSnapshot(
                        indicator=indicator,
                        metric_key=metric.key,
                        metric_params=indicator.metric_params,
                        period_start=period.start,
                        period_end=period.end,
                        period_kind=period.kind,
                        territory_kind=territory.kind,
                        territory_code=territory.code,
                        territory_label=territory.label[:255],
                        value=value,
                        computed_at=result.computed_at,
                        data_version=version[:200],
                        run=run,
                    )
                )
    with transaction.atomic():
        IndicatorSnapshot.objects.bulk_create(result.snapshots, batch_size=500)
    return result
