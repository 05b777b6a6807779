"""Indicator values and statuses for pages and reports, fetched in a fixed number of
queries whatever the number of indicators or measurements."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from toit.metrics.periods import Period
from toit.metrics.registry import MetricError, registry
from toit.plans.enums import IndicatorKind
from toit.plans.models import Indicator, Measurement, Target
from toit.plans.status import Point, evaluate_target, overall_status


@dataclass
class IndicatorProgress:
    indicator: Indicator
    points: list = field(default_factory=list)
    measurements: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    status: str = ""
    error: str = ""

    @property
    def latest(self):
        department = [p for p in self.points if p.territory_id is None]
        return max(department, key=lambda p: (p.period.end, -p.period.start.toordinal()), default=None)


def indicators_with_data(plan):
    return (
        Indicator.objects.filter(plan=plan)
        .select_related("action", "plan")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.select_related("territory", "indicator")),
            Prefetch(
                "measurements",
                queryset=Measurement.objects.select_related("territory", "recorded_by", "recorded_for").order_by(
                    "period_start", "period_end"
                ),
            ),
        )
    )


def _computed_points(indicator, plan):
    """Computed indicators are evaluated on demand per year of the plan, for the
    département and for each territory a target names."""
    metric = registry.get(indicator.metric_key)
    scopes = [(None, plan.department_scope())]
    scopes += [(t.territory_id, t.territory.scope()) for t in indicator.targets.all() if t.territory_id]
    points = []
    for territory_id, scope in scopes:
        for period in plan.period.subperiods(indicator.periodicity):
            value = metric.compute(period, scope, **indicator.metric_params)
            points.append(Point(period, territory_id, value))
    return points


def progress_for(indicators, today=None):
    today = today or datetime.date.today()
    result = []
    for indicator in indicators:
        progress = IndicatorProgress(indicator)
        plan = indicator.plan
        if indicator.kind == IndicatorKind.MANUAL:
            progress.measurements = list(indicator.measurements.all())
            progress.points = [Point(m.period, m.territory_id, m.value, m.text_value) for m in progress.measurements]
        else:
            try:
                progress.points = _computed_points(indicator, plan)
            except MetricError as exc:
                progress.error = str(exc)
        progress.evaluations = [
            evaluate_target(t, progress.points, indicator.unit, plan.period, today) for t in indicator.targets.all()
        ]
        progress.status = overall_status(progress.evaluations)
        result.append(progress)
    return result


def series_by_year(progress, plan):
    """Department-level values for each year of the plan (None where nothing is known)."""
    by_period = {p.period: p for p in progress.points if p.territory_id is None}
    return [(year, by_period.get(year)) for year in plan.period.years()]


__all__ = ["IndicatorProgress", "Period", "indicators_with_data", "progress_for", "series_by_year"]
