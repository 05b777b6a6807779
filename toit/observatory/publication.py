"""Which territorial figures of an indicator may leave Toit, decided once per (indicator,
period) so that every output (reports, open data, API) hides exactly the same cells.

The rule (docs/disclosure-control.md): for one indicator and one period, the figures
published anywhere form the hierarchy département → territories of the plan → EPCI →
communes. Below the département, EPCI and commune figures are published only at the
indicator's own periodicity (a yearly indicator by year): that hierarchy is protected as a
whole with disclosure.protect. For another periodicity, only the département and the
plan's territories are published, and that smaller hierarchy is protected.

An amount, a rate, a ratio or a duration inherits the count of units behind it, its *base*
(toit.metrics.registry for a computed value, Measurement.base as the partner entered it
for a manual one): the hierarchy of bases is protected like counts (primary and secondary
suppression), with the département subject to the threshold too — an average over one
household is that household's amount, at any level — and a value is published only where
its base is. A value whose base is unknown (a manual measurement entered without it, a
snapshot older than bases) is never published.
"""

from toit.metrics.enums import Unit
from toit.observatory import disclosure
from toit.observatory.territories import Level, parents_at


def published_below_department(territory, period, periodicity):
    return territory.level in (Level.DEPARTMENT, Level.PLAN) or period.kind == periodicity


def effective_base(value, base):
    """The count a non-count value is protected as: its base, at least 1 when the value
    says something (a non-zero amount over « 0 » units means the base is wrong, not that
    nobody is behind it). An unknown base counts as 1, the smallest secret count: the value
    is hidden, and so are enough others that it cannot be had by difference (a total
    amount adds up along the territories)."""
    if base is None:
        return None if value is None else 1
    if base == 0 and value:
        return 1
    return base


class Publisher:
    def __init__(self, territories, limit=None):
        self.territories = {t.key: t for t in territories}
        self.limit = disclosure.threshold() if limit is None else limit
        self._cache = {}
        self._parents = {}

    def parents(self, period):
        """The hierarchy of `period`: an EPCI is its perimeter of the time (territories.py)."""
        if period not in self._parents:
            self._parents[period] = parents_at(list(self.territories.values()), period)
        return self._parents[period]

    def publishable(self, key, period, periodicity):
        territory = self.territories.get(key)
        return territory is not None and published_below_department(territory, period, periodicity)

    def protection(self, subject, unit, periodicity, period, values, bases=None):
        """`subject`: what the figures are of (an indicator id, a report line); `values`:
        {territory key: value} for the period, as complete as known; `bases`: {territory
        key: count of units behind the value} for a non-count unit. For a count the
        protection is that of the values, for another unit that of the bases; None for
        text."""
        if unit == Unit.TEXT:
            return None
        cache_key = (subject, period)
        if cache_key not in self._cache:
            if unit == Unit.COUNT:
                figures = dict(values)
            else:
                bases = bases or {}
                figures = {
                    key: effective_base(values.get(key), bases.get(key)) for key in sorted({*values, *bases}, key=str)
                }
            parents = self.parents(period)
            entries = [
                (key, parents[key], figure, unit != Unit.COUNT or self.territories[key].sensitive)
                for key, figure in figures.items()
                if self.publishable(key, period, periodicity)
            ]
            cells = disclosure.hierarchy(entries)
            if unit != Unit.COUNT:
                # An unknown base counted as 1 makes its parent's relation look short: the
                # structural remainder hierarchy() would add for the gap is no freedom the
                # reader lacks (the true base fills it), so it must not protect anything.
                cells = [c for c in cells if c.shown]
            try:
                self._cache[cache_key] = disclosure.protect(cells, self.limit)
            except disclosure.DisclosureError:
                if unit == Unit.COUNT:
                    raise
                # Unknown bases counted as 1 may contradict the known ones (a zero total
                # over a territory of unknown base): no pattern to find, nothing goes out.
                self._cache[cache_key] = disclosure.Protection({c.key: c for c in cells}, {c.key for c in cells})
        return self._cache[cache_key]

    def hidden(self, subject, unit, periodicity, period, values, key, bases=None):
        protection = self.protection(subject, unit, periodicity, period, values, bases)
        if protection is None:
            return False
        if unit == Unit.COUNT:
            return protection.status(key) == disclosure.SUPPRESSED
        # A non-count value goes out only where its base is published: not where the base
        # is hidden, nor where it is unknown.
        return protection.status(key) != disclosure.PUBLISHED
