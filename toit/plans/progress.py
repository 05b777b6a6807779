"""Indicator values and statuses for pages and reports, fetched in a fixed number of
queries whatever the number of indicators or measurements.

Manual indicators read their measurements; computed indicators read the latest snapshots
of the observatory (toit.observatory), never a live computation."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.plans.enums import IndicatorKind
from toit.plans.models import Indicator, Measurement, Target
from toit.plans.status import Point, evaluate_target, overall_status
from toit.territory.scopes import ScopeKind


@dataclass
class IndicatorProgress:
    indicator: Indicator
    points: list = field(default_factory=list)
    measurements: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    status: str = ""
    error: str = ""
    note: str = ""  # e.g. "pas encore calculé": not an error, but says why nothing shows

    @property
    def latest(self):
        """The most recent value on the indicator's territory (its sheet's, else the
        département)."""
        return self._latest_on(self.indicator.territory_id)

    @property
    def department_latest(self):
        """The most recent value for the whole département (the reports' indicator table)."""
        return self._latest_on(None)

    def _latest_on(self, territory_id):
        own = [p for p in self.points if p.territory_id == territory_id]
        return max(own, key=lambda p: (p.period.end, -p.period.start.toordinal()), default=None)


def indicators_with_data(plan):
    """The plan's indicators with their targets and measurements, what progress_for reads.
    Prefetched into lists (`target_list`, `measurement_list`) rather than into the related
    managers: filling a manager clones a queryset per indicator and relation, 30 of the
    75 ms that reading the Sarthe's 93 indicators cost the dashboard (bench database)."""
    return (
        Indicator.objects.filter(plan=plan)
        .select_related("action", "plan", "territory")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.select_related("territory", "indicator__plan"),
                to_attr="target_list",
            ),
            Prefetch(
                "measurements",
                queryset=Measurement.objects.select_related("territory", "recorded_by", "recorded_for").order_by(
                    "period_start", "period_end"
                ),
                to_attr="measurement_list",
            ),
        )
    )


def _snapshot_key(territory, department_code):
    """The (kind, code) a snapshot is stored under for a plan territory (None: département)."""
    if territory is None or territory.kind == ScopeKind.DEPARTMENT:
        return (str(ScopeKind.DEPARTMENT), department_code)
    # A list of communes is stored under the plan territory's code (TerritoryScope.code).
    return (territory.kind, territory.code if territory.kind == ScopeKind.COMMUNES else territory.ref)


def _snapshot_points(computed):
    """Points of computed indicators, read from their latest snapshots (one query) for the
    département, the indicator's own territory and each territory a target names. Nothing is computed here: figures come
    from the observatory's last computation (toit.observatory.engine)."""
    if not computed:
        return {}
    from toit.observatory.models import IndicatorSnapshot

    wanted = {}
    for indicator in computed:
        department_code = indicator.plan.department_code
        wanted[(indicator.pk, _snapshot_key(None, department_code))] = None
        if indicator.territory_id:
            wanted[(indicator.pk, _snapshot_key(indicator.territory, department_code))] = indicator.territory_id
        for target in indicator.target_list:
            if target.territory_id:
                wanted[(indicator.pk, _snapshot_key(target.territory, department_code))] = target.territory_id
    # One clause per territory key (a handful), naming its indicators, rather than one per
    # (indicator, key) pair: a hundred-odd clauses cost more to build than to run.
    indicators_by_key = {}
    for indicator_id, key in wanted:
        indicators_by_key.setdefault(key, []).append(indicator_id)
    condition = Q(pk__in=[])
    for (kind, code), indicator_ids in indicators_by_key.items():
        condition |= Q(territory_kind=kind, territory_code=code, indicator_id__in=indicator_ids)
    points = {indicator.pk: [] for indicator in computed}
    # Tuples, not instances: building 600 snapshots with deferred fields cost more than the
    # query.
    rows = (
        IndicatorSnapshot.objects.filter(condition)
        .latest_only()
        .order_by("period_start", "period_end")
        .values_list(
            "indicator_id", "period_start", "period_end", "period_kind", "territory_kind", "territory_code", "value"
        )
    )
    for indicator_id, start, end, kind, territory_kind, territory_code, value in rows:
        territory_id = wanted[(indicator_id, (territory_kind, territory_code))]
        points[indicator_id].append(Point(Period.from_bounds(start, end, kind), territory_id, value))
    return points


NOT_COMPUTED_NOTE = (
    "Pas encore calculé : l'observatoire n'a pas encore calculé cet indicateur. Un administrateur ou "
    "l'observatoire peut lancer le calcul depuis le tableau de bord (ou manage.py toit_observatory compute)."
)


def progress_for(indicators, today=None, until=None):
    """Values and statuses of `indicators`, read from indicators_with_data's lists. `until`
    (a date) keeps only the periods ended by then: the statuses as a report dated `until`
    saw them."""
    today = today or datetime.date.today()
    indicators = list(indicators)
    computed = [i for i in indicators if i.kind == IndicatorKind.COMPUTED]
    computed_points = _snapshot_points(computed)
    result = []
    for indicator in indicators:
        progress = IndicatorProgress(indicator)
        plan = indicator.plan
        if indicator.kind == IndicatorKind.MANUAL:
            progress.measurements = list(indicator.measurement_list)
            progress.points = [Point(m.period, m.territory_id, m.value, m.text_value) for m in progress.measurements]
        else:
            progress.points = computed_points.get(indicator.pk, [])
            if indicator.metric_key not in registry:
                progress.error = (
                    f"La métrique « {indicator.metric_key} » n'est pas enregistrée : "
                    "les valeurs affichées sont celles du dernier calcul, s'il y en a eu un."
                )
            if not progress.points:
                progress.note = NOT_COMPUTED_NOTE
        if until is not None:
            progress.points = [p for p in progress.points if p.period.end <= until]
            progress.measurements = [m for m in progress.measurements if m.period_end <= until]
        progress.evaluations = [
            evaluate_target(t, progress.points, indicator.unit, plan.period, today) for t in indicator.target_list
        ]
        progress.status = overall_status(progress.evaluations)
        result.append(progress)
    return result


def series_by_year(progress, plan):
    """Values on the indicator's territory (its sheet's, else the département) for each year
    of the plan (None where nothing is known)."""
    by_period = {p.period: p for p in progress.points if p.territory_id == progress.indicator.territory_id}
    return [(year, by_period.get(year)) for year in plan.period.years()]


__all__ = ["IndicatorProgress", "Period", "indicators_with_data", "progress_for", "series_by_year"]
