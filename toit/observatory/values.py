"""One way to read indicator values, whatever their origin: the latest snapshot for a
computed indicator, the recorded measurement (with its provenance) for a manual one.
Two queries, whatever the number of indicators, periods and territories."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.timezone import localtime

from toit.metrics.periods import Period
from toit.observatory.models import IndicatorSnapshot
from toit.observatory.territories import key_of
from toit.plans.enums import IndicatorKind
from toit.plans.models import Measurement
from toit.territory.scopes import ScopeKind


class Source:
    COMPUTED = "calcul"
    MANUAL = "saisie"


@dataclass(frozen=True)
class IndicatorValue:
    indicator_id: int
    period: Period
    territory_key: tuple
    value: Decimal | None
    text: str
    source: str  # Source.COMPUTED or Source.MANUAL
    at: datetime.datetime
    provenance: str  # in French: where the figure comes from
    data_version: str = ""
    is_synthetic: bool = False
    # The count of units behind a non-count value (IndicatorSnapshot.base, Measurement.base);
    # None when not known (a manual value entered without it): then it is never published.
    base: int | None = None


def measurement_key(measurement, department_code):
    if measurement.territory_id is None:
        return (str(ScopeKind.DEPARTMENT), department_code)
    return key_of(measurement.territory.scope())


# What a value needs of its snapshot, read as tuples: building the model instances (with
# deferred fields) was a third of the time of a dashboard's values.
SNAPSHOT_FIELDS = (
    "pk", "indicator_id", "period_start", "period_end", "period_kind", "territory_kind", "territory_code",
    "value", "base", "computed_at", "metric_key", "data_version",
)  # fmt: skip


def _from_snapshots(rows):
    """IndicatorValues from snapshot tuples (SNAPSHOT_FIELDS). The provenances, a handful for
    thousands of values (one per metric and computation), are written once each."""
    provenances = {}
    for _, indicator_id, start, end, kind, territory_kind, territory_code, value, base, at, metric_key, version in rows:
        provenance = provenances.get((metric_key, at))
        if provenance is None:
            # The time as the pages show it (Europe/Paris), not as stored (UTC).
            provenance = f"calculé par Toit ({metric_key}) le {localtime(at):%d/%m/%Y à %H:%M}"
            provenances[(metric_key, at)] = provenance
        yield IndicatorValue(
            indicator_id=indicator_id,
            period=Period.from_bounds(start, end, kind),
            territory_key=(territory_kind, territory_code),
            value=value,
            text="",
            source=Source.COMPUTED,
            at=at,
            provenance=provenance,
            data_version=version,
            base=base,
        )


def from_measurement(measurement, department_code):
    who = f" par {measurement.recorded_by}" if measurement.recorded_by_id else ""
    org = f" ({measurement.recorded_for.name})" if measurement.recorded_for_id else ""
    return IndicatorValue(
        indicator_id=measurement.indicator_id,
        period=measurement.period,
        territory_key=measurement_key(measurement, department_code),
        value=measurement.value,
        text=measurement.text_value,
        source=Source.MANUAL,
        at=measurement.recorded_at,
        provenance=f"saisi{who}{org} le {localtime(measurement.recorded_at):%d/%m/%Y} — source : {measurement.source}",
        is_synthetic=measurement.is_synthetic,
        base=measurement.base,
    )


def _pairs_condition(pairs):
    condition = Q(pk__in=[])
    for indicator_id, period in pairs:
        condition |= Q(indicator_id=indicator_id, period_start=period.start, period_end=period.end)
    return condition


def values_for(plan, indicators, *, periods=None, territory_keys=None, pairs=None):
    """{(indicator_id, period, territory_key): IndicatorValue} for the given indicators,
    optionally restricted to some periods, territory keys, or (indicator_id, period)
    pairs."""
    indicators = list(indicators)
    computed = [i.pk for i in indicators if i.kind == IndicatorKind.COMPUTED]
    manual = [i.pk for i in indicators if i.kind == IndicatorKind.MANUAL]
    result = {}
    if computed:
        snapshots = IndicatorSnapshot.objects.filter(indicator_id__in=computed)
        if periods is not None:
            snapshots = snapshots.for_periods(periods)
        if territory_keys is not None:
            snapshots = snapshots.for_territories(territory_keys)
        if pairs is not None:
            snapshots = snapshots.filter(_pairs_condition(pairs))
        # The model's order (by indicator, hence by plan) joined two tables for every version
        # of every cell, 106 of the dashboard's 176 ms once 21 computations had run: the same
        # order (the plan's indicators by position) is given here, so that callers reading the
        # dict in order see what they saw.
        rank = {i.pk: (i.plan_id != plan.pk, i.position) for i in indicators}
        rows = snapshots.latest_only().order_by().values_list(*SNAPSHOT_FIELDS)
        # indicator, period start, territory kind and code, pk
        in_order = sorted(rows, key=lambda r: (rank[r[1]], r[2], r[5], r[6], r[0]))
        for value in _from_snapshots(in_order):
            result[(value.indicator_id, value.period, value.territory_key)] = value
    if manual:
        measurements = Measurement.objects.filter(indicator_id__in=manual).select_related(
            "territory__plan", "recorded_by", "recorded_for"
        )
        if periods is not None:
            condition = Q(pk__in=[])
            for period in periods:
                condition |= Q(period_start=period.start, period_end=period.end)
            measurements = measurements.filter(condition)
        if pairs is not None:
            measurements = measurements.filter(_pairs_condition(pairs))
        wanted = set(territory_keys) if territory_keys is not None else None
        for measurement in measurements:
            value = from_measurement(measurement, plan.department_code)
            if wanted is None or value.territory_key in wanted:
                result[(value.indicator_id, value.period, value.territory_key)] = value
    return result


__all__ = ["IndicatorValue", "Source", "values_for"]
