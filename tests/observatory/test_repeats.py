"""A computation that finds a cell's figure unchanged does not make the table grow: the
figure it replaces goes when it only repeated the one before it (toit.observatory.repeats)."""

import importlib

import pytest
from django.apps import apps

from toit.metrics.enums import Unit
from toit.metrics.periods import Period
from toit.metrics.registry import register
from toit.observatory import engine
from toit.observatory.models import IndicatorSnapshot
from toit.observatory.repeats import drop_repeats
from toit.plans.models import Indicator

Q3 = Period.parse("2010T3")


@pytest.fixture
def figure(plan):
    """An indicator of the plan whose département figure the test sets (other territories:
    always 1), computed for Q3 alone."""
    current = {"value": 6}

    @register("testobs.broken", label="Valeur choisie (test)", unit=Unit.COUNT, params={"min_population": "seuil"})
    def chosen(period, scope, min_population=0):
        return current["value"] if scope.kind == "departement" else 1

    indicator = Indicator.objects.get(code="1B-1")
    Indicator.objects.filter(pk=indicator.pk).update(metric_key="testobs.broken", metric_params={})
    indicator.refresh_from_db()

    def compute(value):
        current["value"] = value
        return engine.compute(plan, periods=[Q3], indicators=[indicator])

    compute.indicator = indicator
    return compute


def versions(indicator, kind="departement"):
    return list(
        IndicatorSnapshot.objects.filter(indicator=indicator, territory_kind=kind, period_start=Q3.start)
        .order_by("pk")
        .values_list("value", "current")
    )


def test_a_cell_keeps_each_figure_it_took_and_the_figure_in_force(figure):
    results = [figure(value) for value in (6, 6, 6, 7, 7, 6)]
    assert versions(figure.indicator) == [(6, False), (7, False), (6, True)]
    # Each figure from the computation that first found it; the one in force from the last.
    times = list(
        IndicatorSnapshot.objects.filter(indicator=figure.indicator, territory_kind="departement")
        .order_by("pk")
        .values_list("computed_at", flat=True)
    )
    assert times == [results[0].computed_at, results[3].computed_at, results[5].computed_at]
    # A territory whose figure never changed: its first computation and the last.
    assert versions(figure.indicator, "epci") == [(1, False), (1, True)]


def test_the_table_stops_growing_when_nothing_changes(figure):
    figure(6)
    figure(6)
    size = IndicatorSnapshot.objects.count()
    for _ in range(3):
        figure(6)
        assert IndicatorSnapshot.objects.count() == size
    assert size == 2 * IndicatorSnapshot.objects.latest_only().count()


def test_a_figure_nobody_could_compute_repeats_like_any_other(figure):
    for _ in range(4):
        figure(None)
    assert versions(figure.indicator) == [(None, False), (None, True)]


def test_the_same_value_from_another_metric_is_no_repeat(figure, plan):
    figure(6)
    figure(6)
    # The plan now computes the indicator with other parameters: same value, other figure.
    Indicator.objects.filter(pk=figure.indicator.pk).update(metric_params={"min_population": 0})
    figure.indicator.refresh_from_db()
    figure(6)
    figure(6)
    assert [
        params
        for params in IndicatorSnapshot.objects.filter(indicator=figure.indicator, territory_kind="departement")
        .order_by("pk")
        .values_list("metric_params", flat=True)
    ] == [{}, {"min_population": 0}, {"min_population": 0}]


def test_history_written_before_is_left_as_new_computations_leave_it(figure, monkeypatch):
    """The migration's pass over a table written when every computation stayed."""
    monkeypatch.setattr(engine, "drop_repeats_replaced_from", lambda first, ids: 0)
    for value in (6, 6, 6, 7, 7, 6):
        figure(value)
    assert len(versions(figure.indicator)) == 6
    in_force = set(IndicatorSnapshot.objects.latest_only().values_list("pk", flat=True))
    migration = importlib.import_module("toit.observatory.migrations.0006_drop_repeated_snapshots")
    migration.drop_repeats(apps, None)
    assert versions(figure.indicator) == [(6, False), (7, False), (6, True)]
    assert versions(figure.indicator, "epci") == [(1, False), (1, True)]
    assert set(IndicatorSnapshot.objects.latest_only().values_list("pk", flat=True)) == in_force
    assert drop_repeats() == 0  # nothing left to drop
