"""The metric registry: named computations that turn operational data into indicator
values. A plan file's `computed` indicator names one of these keys; the observatory
computes it for a period and a territory scope.

Domain packages register their metrics in a `metrics` module (auto-discovered):

    @register("eviction.assignations", label="Assignations", unit=Unit.COUNT)
    def assignations(period, scope, **params):
        return Event.objects.filter(...).count()

A metric that is not a count (an amount, a rate, a ratio, a duration) names its *base*: the
count metric giving the number of units behind its value (a rate's denominator, the
households an amount was paid to…). Disclosure control hides the value wherever that count
would be hidden (docs/disclosure-control.md). The base receives the metric's own parameters
it knows, then `base_params`:

    @register("accommodation.return_rate_after_housing", unit=Unit.PERCENT, ...,
              base="accommodation.exits", base_params={"destination": "logement_ordinaire"})
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from toit.metrics.enums import Unit


class MetricError(Exception):
    pass


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: Unit
    func: Callable
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)
    base: str = ""  # key of the COUNT metric of the units behind a non-count value
    base_params: dict = field(default_factory=dict)

    def compute(self, period, scope, **params):
        unknown = set(params) - set(self.params)
        if unknown:
            raise MetricError(
                f"La métrique « {self.key} » ne connaît pas le(s) paramètre(s) {', '.join(sorted(unknown))} ; "
                f"paramètres admis : {', '.join(sorted(self.params)) or 'aucun'}."
            )
        # A scope is computed on its perimeter of the period (an EPCI's past composition).
        at = getattr(scope, "at", None)
        return self.func(period, at(period) if at else scope, **params)

    def base_metric(self, params):
        """(the base Metric, its parameters) for this metric computed with `params`; None
        for a count (its own base). Raises MetricError when a non-count metric declares
        no base or a base that is not a registered count: its value must then stay
        unpublished below the threshold, which the caller reports."""
        if self.unit in (Unit.COUNT, Unit.TEXT):
            return None
        if not self.base:
            raise MetricError(f"La métrique « {self.key} » ne déclare pas l'effectif sur lequel porte sa valeur.")
        base = registry.get(self.base)
        if base.unit != Unit.COUNT:
            raise MetricError(f"La base « {base.key} » de la métrique « {self.key} » n'est pas un effectif.")
        passed = {name: value for name, value in (params or {}).items() if name in base.params}
        return base, {**passed, **self.base_params}


class MetricRegistry:
    def __init__(self):
        self._metrics: dict[str, Metric] = {}

    def register(self, key, *, label, unit, description="", params=None, base="", base_params=None):
        def decorator(func):
            if key in self._metrics and self._metrics[key].func is not func:
                raise MetricError(f"La métrique « {key} » est déjà enregistrée.")
            self._metrics[key] = Metric(
                key=key,
                label=label,
                unit=Unit(unit),
                func=func,
                description=description or (func.__doc__ or "").strip(),
                params=dict(params or {}),
                base=base,
                base_params=dict(base_params or {}),
            )
            return func

        return decorator

    def unregister(self, key):
        self._metrics.pop(key, None)

    def get(self, key):
        try:
            return self._metrics[key]
        except KeyError:
            raise MetricError(f"Métrique inconnue : « {key} ».") from None

    def __contains__(self, key):
        return key in self._metrics

    def __iter__(self):
        return iter(sorted(self._metrics.values(), key=lambda m: m.key))

    def keys(self):
        return sorted(self._metrics)


registry = MetricRegistry()
register = registry.register
