"""Which territorial figures of an indicator may leave Toit, decided once per (indicator,
period) so that every output (reports, open data) hides exactly the same cells.

The rule (docs/disclosure-control.md): for one indicator and one period, the figures
published anywhere form the hierarchy département → territories of the plan → EPCI →
communes. Below the département, EPCI and commune figures are published only at the
indicator's own periodicity (a yearly indicator by year): that hierarchy is protected as a
whole with disclosure.protect. For another periodicity, only the département and the
plan's territories are published, and that smaller hierarchy is protected.
"""

from toit.metrics.enums import Unit
from toit.observatory import disclosure
from toit.observatory.territories import Level


def published_below_department(territory, period, periodicity):
    return territory.level in (Level.DEPARTMENT, Level.PLAN) or period.kind == periodicity


class Publisher:
    def __init__(self, territories, limit=None):
        self.territories = {t.key: t for t in territories}
        self.limit = disclosure.threshold() if limit is None else limit
        self._cache = {}

    def publishable(self, key, period, periodicity):
        territory = self.territories.get(key)
        return territory is not None and published_below_department(territory, period, periodicity)

    def protection(self, subject, unit, periodicity, period, values):
        """`subject`: what the figures are of (an indicator id, a report line); `values`:
        {territory key: value} for the period, as complete as known. None when the unit is
        not a count (amounts and rates are not subject to the threshold)."""
        if unit != Unit.COUNT:
            return None
        cache_key = (subject, period)
        if cache_key not in self._cache:
            entries = [
                (key, self.territories[key].parent_key, value, self.territories[key].sensitive)
                for key, value in values.items()
                if self.publishable(key, period, periodicity)
            ]
            self._cache[cache_key] = disclosure.protect(disclosure.hierarchy(entries), self.limit)
        return self._cache[cache_key]

    def hidden(self, subject, unit, periodicity, period, values, key):
        protection = self.protection(subject, unit, periodicity, period, values)
        return protection is not None and protection.status(key) == disclosure.SUPPRESSED
