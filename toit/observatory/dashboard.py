"""What the plan-progress dashboard shows: every action with its indicators, each with its
trend over the periods for one territory, its targets and status. A fixed number of
queries whatever the size of the plan or of the data."""

import json
from dataclasses import dataclass, field

from toit.metrics.enums import Periodicity, Unit
from toit.observatory.reports.build import format_number
from toit.observatory.values import values_for
from toit.plans.progress import indicators_with_data, progress_for


@dataclass
class IndicatorLine:
    progress: object
    periods: list
    values: list  # IndicatorValue or None, one per period

    @property
    def indicator(self):
        return self.progress.indicator

    @property
    def numeric(self):
        return self.indicator.unit != Unit.TEXT

    @property
    def has_values(self):
        return any(v is not None and (v.value is not None or v.text) for v in self.values)

    @property
    def cells(self):
        """(period, display, value, raw) for the table: the same numbers the chart draws;
        `raw` is the plain decimal, for machines (data attribute)."""
        return [(p, self.display(v), v, _raw(v)) for p, v in zip(self.periods, self.values, strict=True)]

    def display(self, value):
        if value is None:
            return "—"
        if not self.numeric:
            return value.text
        return format_number(value.value, self.indicator.unit)

    @property
    def chart_x(self):
        return json.dumps([[p.code for p in self.periods]])

    @property
    def chart_y(self):
        return json.dumps([[float(v.value) if v and v.value is not None else None for v in self.values]])

    @property
    def chart_name(self):
        return json.dumps([self.indicator.code])

    @property
    def unit_suffix(self):
        return {Unit.PERCENT: "%", Unit.EUR: "€", Unit.DAYS: "j"}.get(self.indicator.unit, "")

    @property
    def latest(self):
        known = [v for v in self.values if v is not None]
        return known[-1] if known else None


def _raw(value):
    if value is None or value.value is None:
        return ""
    return format(value.value.normalize(), "f")


@dataclass
class ActionBlock:
    action: object
    lines: list = field(default_factory=list)


def periods_for(indicator, plan):
    if indicator.periodicity == Periodicity.QUARTER:
        return plan.period.quarters()
    return plan.period.years()


def dashboard(plan, *, territory, orientation="", organisation=""):
    indicators = (
        indicators_with_data(plan).select_related("action__orientation").prefetch_related("action__responsible")
    )
    if orientation:
        indicators = indicators.filter(action__orientation__code=orientation)
    if organisation:
        indicators = indicators.filter(action__responsible__code=organisation).distinct()
    indicators = list(indicators.order_by("action__position", "position"))
    progress = progress_for(indicators)
    values = values_for(plan, indicators, territory_keys=[territory.key])
    blocks = {}
    for item in progress:
        indicator = item.indicator
        periods = periods_for(indicator, plan)
        line = IndicatorLine(item, periods, [values.get((indicator.pk, p, territory.key)) for p in periods])
        blocks.setdefault(indicator.action_id, ActionBlock(indicator.action)).lines.append(line)
    return list(blocks.values())
