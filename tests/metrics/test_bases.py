"""Every amount, rate, ratio or duration names the count of units behind it, so that
disclosure control can hide it like that count (docs/disclosure-control.md)."""

import pytest

from toit.metrics.enums import Unit
from toit.metrics.registry import MetricError, MetricRegistry, registry

NON_COUNTS = [m for m in registry if m.unit not in (Unit.COUNT, Unit.TEXT)]


def test_the_domain_metrics_are_all_there():
    assert len(NON_COUNTS) >= 18


@pytest.mark.parametrize("metric", NON_COUNTS, ids=lambda m: m.key)
def test_every_non_count_metric_names_a_count_base_that_takes_its_parameters(metric):
    base, params = metric.base_metric({name: "all" for name in metric.params})
    assert base.unit == Unit.COUNT
    assert set(params) <= set(base.params), f"{metric.key} passe {params} à {base.key}"
    # The base is computed for the same territories as the value.
    assert getattr(base.func, "scope_kinds", None) in (None, getattr(metric.func, "scope_kinds", None))
    # Grouped together: a value computed in one query per département has a grouped base too.
    if hasattr(metric.func, "by_commune") or hasattr(metric.func, "by_commune_parts"):
        assert hasattr(base.func, "by_commune"), f"{base.key} n'a pas de forme groupée"


def test_a_non_count_metric_without_base_is_an_error():
    local = MetricRegistry()
    local.register("t.rate", label="Taux", unit=Unit.PERCENT)(lambda period, scope: 50)
    with pytest.raises(MetricError, match="ne déclare pas l'effectif"):
        local.get("t.rate").base_metric({})
    local.register("t.count", label="Effectif", unit=Unit.COUNT)(lambda period, scope: 1)
    assert local.get("t.count").base_metric({}) is None
