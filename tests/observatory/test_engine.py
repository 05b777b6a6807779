import datetime
import importlib
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef

from tests.observatory.conftest import LMM
from tests.territory.factories import CommuneFactory
from toit.metrics.enums import Unit
from toit.metrics.periods import Period
from toit.metrics.registry import MetricError, register, registry
from toit.observatory import engine
from toit.observatory.enums import RunStatus
from toit.observatory.models import AppendOnlyError, ComputationRun, IndicatorSnapshot
from toit.observatory.runs import data_changed, request_computation
from toit.observatory.territories import all_territories, plan_territories
from toit.observatory.values import Source, values_for
from toit.observatory.versions import register_data_version, table_fingerprint, unregister_data_version
from toit.plans.enums import IndicatorStatus
from toit.plans.measurements import record_measurement
from toit.plans.models import Indicator, ReportLine
from toit.plans.progress import NOT_COMPUTED_NOTE, indicators_with_data, progress_for
from toit.territory.models import Commune
from toit.territory.scopes import ScopeKind

Q3 = Period.parse("2010T3")


def latest(code, period, kind, territory_code):
    return IndicatorSnapshot.objects.latest_only().get(
        indicator__code=code,
        period_start=period.start,
        period_end=period.end,
        territory_kind=kind,
        territory_code=territory_code,
    )


def direct_count(where="", params=()):
    """The same figure as testobs.communes, straight from SQL."""
    with connection.cursor() as cursor:
        # Fixed SQL text from the tests themselves; values are bound as parameters.
        sql = (
            "SELECT COUNT(*) FROM territory_commune c JOIN territory_department d ON d.id = c.department_id "  # noqa: S608
            "LEFT JOIN territory_epci e ON e.id = c.epci_id WHERE d.code = '72' " + where
        )
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_values_equal_the_metric_and_a_direct_count(plan):
    engine.compute(plan, periods=[Q3], everywhere=True)
    assert latest("4B-3", Q3, "departement", "72").value == direct_count() == 6
    assert latest("4B-3", Q3, "epci", LMM).value == direct_count("AND e.siren = %s", [LMM]) == 3
    assert latest("4B-3", Q3, "hors_epci", LMM).value == direct_count("AND (e.siren IS NULL OR e.siren <> %s)", [LMM])
    # Parameters reach the metric: 1B-1 counts communes of at least 1 000 inhabitants.
    assert latest("1B-1", Q3, "departement", "72").value == direct_count("AND c.population >= 1000") == 3
    assert latest("4B-2", Q3, "epci", LMM).value == 151_700
    le_mans = Commune.objects.get(name="Le Mans")
    assert latest("4B-3", Q3, "commune", le_mans.insee_code).value == 1


def test_territories_cover_department_plan_epci_and_communes(plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        territories = all_territories(plan)
    keys = [t.key for t in territories]
    assert keys[:3] == [("departement", "72"), ("epci", LMM), ("hors_epci", LMM)]
    assert len(keys) == len(set(keys)) == 3 + 1 + 6  # the LMM EPCI is the plan territory itself
    by_label = {t.label: t for t in territories}
    assert by_label["Le Mans"].parent_key == ("epci", LMM)
    assert by_label["CC du Test"].parent_key == ("hors_epci", LMM)
    assert by_label["Isolée"].parent_key == ("hors_epci", LMM)


def test_recompute_appends_and_latest_picks_the_newest(plan):
    engine.compute(plan, periods=[Q3])
    first = latest("4B-3", Q3, "departement", "72")
    CommuneFactory(department=first.indicator.plan and Commune.objects.first().department, epci=None)
    engine.compute(plan, periods=[Q3])
    snapshots = IndicatorSnapshot.objects.filter(
        indicator__code="4B-3", period_start=Q3.start, territory_kind="departement"
    ).order_by("pk")
    assert [s.value for s in snapshots] == [6, 7]  # the first is kept
    assert latest("4B-3", Q3, "departement", "72").value == 7
    assert snapshots[1].computed_at >= snapshots[0].computed_at


def superseded(snapshots):
    """Snapshots of which the cell has a newer one (ids are allocated in insertion order):
    what the mark `current` stands for, read the slow way, to check it."""
    return snapshots.filter(Exists(IndicatorSnapshot.objects.in_outer_cell().filter(pk__gt=OuterRef("pk"))))


def cell_versions(code, period, kind, territory_code):
    return list(
        IndicatorSnapshot.objects.filter(
            indicator__code=code,
            period_start=period.start,
            period_end=period.end,
            territory_kind=kind,
            territory_code=territory_code,
        )
        .order_by("pk")
        .values_list("value", "current")
    )


def test_one_figure_in_force_per_cell_whatever_the_number_of_computations(plan):
    for _ in range(3):
        engine.compute(plan, periods=[Q3])
    CommuneFactory(department=Commune.objects.first().department, epci=None)
    engine.compute(plan, periods=[Q3])
    # The repeats of 6 went (toit.observatory.repeats): its first computation stays.
    assert cell_versions("4B-3", Q3, "departement", "72") == [(6, False), (7, True)]
    cells = IndicatorSnapshot.objects.values(
        "indicator", "period_start", "period_end", "territory_kind", "territory_code"
    ).distinct()
    assert IndicatorSnapshot.objects.latest_only().count() == cells.count() == 3 * 3
    # Each cell: its first figure and the figure in force.
    assert IndicatorSnapshot.objects.count() == 2 * 3 * 3
    # The mark is what the newest snapshot of each cell says, nothing else.
    assert set(IndicatorSnapshot.objects.latest_only()) == set(
        IndicatorSnapshot.objects.exclude(pk__in=superseded(IndicatorSnapshot.objects.all()).values("pk"))
    )


def test_a_cell_that_fails_keeps_its_figure_in_force(plan):
    engine.compute(plan, periods=[Q3])
    failing = {"now": False}
    original = registry.get("testobs.population").func

    @register("testobs.broken", label="Population, puis panne", unit=Unit.COUNT)
    def flaky(period, scope):
        if failing["now"] and scope.kind == ScopeKind.DEPARTMENT:
            raise MetricError("source indisponible")
        return original(period, scope)

    indicator = Indicator.objects.get(metric_key="testobs.population")
    Indicator.objects.filter(pk=indicator.pk).update(metric_key="testobs.broken")
    engine.compute(plan, periods=[Q3])
    failing["now"] = True
    result = engine.compute(plan, periods=[Q3])
    assert any("source indisponible" in error for error in result.errors)
    # The département's cell was not recomputed: its last figure stays in force.
    assert cell_versions(indicator.code, Q3, "departement", "72") == [(154_150, False), (154_150, True)]
    assert [current for _, current in cell_versions(indicator.code, Q3, "epci", LMM)] == [False, False, True]


def test_the_database_refuses_two_figures_in_force_for_a_cell(plan):
    engine.compute(plan, periods=[Q3])
    twin = latest("4B-3", Q3, "departement", "72")
    twin.pk = None
    twin._state.adding = True
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert IndicatorSnapshot.objects.latest_only().count() == 3 * 3


def test_the_migration_marks_the_newest_snapshot_of_each_cell(plan):
    from django.apps import apps

    migration = importlib.import_module("toit.observatory.migrations.0005_snapshot_current")
    engine.compute(plan, periods=[Q3])
    CommuneFactory(department=Commune.objects.first().department, epci=None)
    engine.compute(plan, periods=[Q3])
    expected = set(IndicatorSnapshot.objects.latest_only().values_list("pk", flat=True))
    IndicatorSnapshot.objects.update(current=False)  # as before the mark existed
    migration.mark_current(apps, None)
    assert set(IndicatorSnapshot.objects.latest_only().values_list("pk", flat=True)) == expected
    assert len(expected) == 3 * 3
    assert latest("4B-3", Q3, "departement", "72").value == 7


def test_snapshots_are_never_updated(plan):
    engine.compute(plan, periods=[Q3])
    snapshot = IndicatorSnapshot.objects.first()
    snapshot.value = Decimal(999)
    with pytest.raises(AppendOnlyError):
        snapshot.save()


def test_default_periods_follow_each_indicator_periodicity(plan):
    engine.compute(plan)
    kinds = set(
        IndicatorSnapshot.objects.filter(indicator__code="4B-3", territory_kind="departement").values_list(
            "period_kind", flat=True
        )
    )
    assert kinds == {"quarter", "year", "plan"}
    yearly = set(
        IndicatorSnapshot.objects.filter(indicator__code="1B-1", territory_kind="departement").values_list(
            "period_kind", flat=True
        )
    )
    assert yearly == {"year", "plan"}
    # 20 quarters + 5 years + the plan, for 3 territories.
    assert IndicatorSnapshot.objects.filter(indicator__code="4B-3").count() == 26 * 3


def test_query_count_is_bounded_and_does_not_grow_with_data(plan, territory, django_assert_max_num_queries):
    territories = all_territories(plan)
    indicators = engine.computed_indicators(plan)
    # One COUNT per cell, plus the bulk insert, the lock, the repeats dropped and the two
    # updates of the mark in force.
    bound = len(indicators) * len(territories) + 9
    with django_assert_max_num_queries(bound) as small:
        engine.compute(plan, periods=[Q3], territories=territories, indicators=indicators)
    for _ in range(40):
        CommuneFactory(department=territory["department"], epci=territory["other"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        engine.compute(plan, periods=[Q3], territories=territories, indicators=indicators)


def test_unregistered_metric_is_reported_not_invented(plan):
    registry.unregister("testobs.communes")
    result = engine.compute(plan, periods=[Q3])
    assert not IndicatorSnapshot.objects.filter(metric_key="testobs.communes").exists()
    assert IndicatorSnapshot.objects.filter(metric_key="testobs.population").count() == 3
    assert any("testobs.communes" in e and "non enregistrée" in e for e in result.errors)


def test_scope_kinds_restrict_a_metric(plan):
    @register("testobs.broken", label="Département seulement", unit=Unit.COUNT)
    def only_department(period, scope):
        return 1

    only_department.scope_kinds = {ScopeKind.DEPARTMENT}
    indicator = Indicator.objects.get(code="1B-1")
    Indicator.objects.filter(pk=indicator.pk).update(metric_key="testobs.broken", metric_params={})
    indicator.refresh_from_db()
    result = engine.compute(plan, periods=[Q3], indicators=[indicator])
    assert {s.territory_kind for s in result.snapshots} == {"departement"}


def test_data_version_comes_from_the_domain_hook(plan):
    register_data_version("testobs", lambda: table_fingerprint(Commune.objects))
    try:
        engine.compute(plan, periods=[Q3])
        first = latest("4B-3", Q3, "departement", "72").data_version
        engine.compute(plan, periods=[Q3])
        assert latest("4B-3", Q3, "departement", "72").data_version == first
        CommuneFactory(department=Commune.objects.first().department, epci=None)
        engine.compute(plan, periods=[Q3])
        assert latest("4B-3", Q3, "departement", "72").data_version != first
    finally:
        unregister_data_version("testobs")


def test_values_api_returns_snapshots_and_measurements_uniformly(plan, django_assert_max_num_queries):
    engine.compute(plan, periods=[Q3])
    indicator = Indicator.objects.get(code="4B-1")
    record_measurement(user=None, indicator=indicator, period="2010T3", value="42", source="SNE")
    indicators = list(Indicator.objects.filter(plan=plan))
    with django_assert_max_num_queries(2):
        values = values_for(plan, indicators, periods=[Q3])
    by_code = {i.pk: i.code for i in indicators}
    department = ("departement", "72")
    found = {by_code[i]: v for (i, p, key), v in values.items() if key == department}
    assert found["4B-3"].value == 6 and found["4B-3"].source == Source.COMPUTED
    assert found["4B-1"].value == 42 and found["4B-1"].source == Source.MANUAL
    assert "source : SNE" in found["4B-1"].provenance


def test_progress_reads_snapshots_and_says_when_nothing_was_computed(plan, django_assert_max_num_queries):
    after = datetime.date(2013, 6, 1)
    progress = {p.indicator.code: p for p in progress_for(indicators_with_data(plan), today=after)}
    assert progress["1B-1"].status == IndicatorStatus.MISSING
    assert progress["1B-1"].note == NOT_COMPUTED_NOTE
    engine.compute(plan)
    with django_assert_max_num_queries(4):
        progress = {p.indicator.code: p for p in progress_for(indicators_with_data(plan), today=after)}
    assert progress["1B-1"].status == IndicatorStatus.REACHED  # 3 communes every year, target 3
    assert progress["1B-1"].note == ""
    # The LMM target reads the LMM snapshot computed for the whole plan (not a sum of years).
    evaluation = progress["4B-3"].evaluations[0]
    assert (evaluation.value, evaluation.basis) == (3, "2008-2012")
    assert evaluation.status == IndicatorStatus.REACHED


def test_request_runs_in_the_background_task(plan, observatory_user):
    run = request_computation(plan, user=observatory_user, period_code="2010T3")
    assert run.status == RunStatus.DONE and run.task_id
    assert run.snapshot_count == IndicatorSnapshot.objects.count() == 3 * 3
    assert run.requested_by == observatory_user


def test_request_refuses_a_period_outside_the_plan(plan, observatory_user):
    with pytest.raises(ValueError, match="hors du plan"):
        request_computation(plan, user=observatory_user, period_code="2015")
    assert not ComputationRun.objects.exists()


def test_data_changed_recomputes_the_plans_of_the_departement_only(plan):
    from toit.plans.models import Plan

    other = Plan.objects.create(
        code="plan-orne", title="Plan de l'Orne", department_code="61", first_year=2008, last_year=2012
    )
    runs = data_changed("import test", department_codes=[plan.department_code])
    assert [(r.plan, r.reason, r.status) for r in runs] == [(plan, "import test", RunStatus.DONE)]
    assert not ComputationRun.objects.filter(plan=other).exists()
    with pytest.raises(ValueError):
        data_changed("import test")  # never a plan picked by default


def test_command_computes_with_progress(plan, capsys):
    call_command("toit_observatory", "compute", "--period", "2010", "--all-territories")
    out = capsys.readouterr().out
    assert "[1/3]" in out and "valeur(s) enregistrée(s)" in out
    assert IndicatorSnapshot.objects.filter(period_kind="year").count() == 3 * 10
    with pytest.raises(CommandError, match="hors du plan"):
        call_command("toit_observatory", "compute", "--period", "2020")


def test_plan_territories_only_by_default(plan):
    assert [t.key for t in plan_territories(plan)] == [("departement", "72"), ("epci", LMM), ("hors_epci", LMM)]


def test_grouped_metric_adds_communes_up_the_tree(plan, django_assert_max_num_queries):
    """An additive metric offering `by_commune` costs one query per period, and gives the
    same figures as asking each territory."""
    from django.db.models import Sum

    @register("testobs.broken", label="Population groupée", unit=Unit.COUNT)
    def grouped_population(period, scope):
        return Commune.objects.filter(scope.q()).aggregate(total=Sum("population"))["total"] or 0

    def by_commune(period, department_code):
        rows = Commune.objects.filter(department__code=department_code).values_list("insee_code", "population")
        return dict(rows)

    grouped_population.by_commune = by_commune
    indicator = Indicator.objects.get(code="4B-2")
    slow = engine.compute(plan, periods=[Q3], everywhere=True, indicators=[indicator])
    Indicator.objects.filter(pk=indicator.pk).update(metric_key="testobs.broken")
    indicator.refresh_from_db()
    # Territories (2), one grouped query, the insert and its savepoint (3), the lock, the
    # repeats dropped and the two updates of the mark in force (4).
    with django_assert_max_num_queries(10):
        fast = engine.compute(plan, periods=[Q3], everywhere=True, indicators=[indicator])
    assert {(s.territory_kind, s.territory_code): s.value for s in fast.snapshots} == {
        (s.territory_kind, s.territory_code): s.value for s in slow.snapshots
    }
    assert len(fast.snapshots) == 10


def test_the_api_cache_follows_computations_and_removed_indicators(plan, settings, django_assert_num_queries):
    from django.core.cache import cache

    from toit.api.indicators import _stamp, cached_figures

    settings.TOIT_API_INDICATORS_CACHE_SECONDS = 300
    cache.clear()

    def population():
        return {
            f["territory"]["code"]: f["value"]
            for f in cached_figures(plan)
            if f["indicator"]["code"] == "4B-2" and f["period"]["code"] == Q3.code
        }

    assert population() == {}
    engine.compute(plan, periods=[Q3])
    assert population()["72"] == "154150"
    CommuneFactory(department=Commune.objects.first().department, epci=None, population=1_000)
    engine.compute(plan, periods=[Q3])
    assert population()["72"] == "155150"
    # Deleting an indicator deletes its snapshots: the plan's indicators, counted, say it.
    ReportLine.objects.filter(indicator__code="4B-2").delete()
    Indicator.objects.filter(code="4B-2").delete()
    assert population() == {}
    # Read from the newest snapshot and the indicators, never by counting every version.
    with django_assert_num_queries(2):
        _stamp(plan)


def test_provenance_gives_the_time_in_french_time(plan):
    engine.compute(plan, periods=[Q3])
    IndicatorSnapshot.objects.update(computed_at=datetime.datetime(2012, 12, 31, 23, 30, tzinfo=datetime.UTC))
    indicator = Indicator.objects.get(code="4B-2")
    value = values_for(plan, [indicator], periods=[Q3])[(indicator.pk, Q3, ("departement", "72"))]
    assert value.provenance == "calculé par Toit (testobs.population) le 01/01/2013 à 00:30"
    measured = Indicator.objects.get(code="4B-1")
    record_measurement(user=None, indicator=measured, period="2010T3", value="42", source="SNE")
    measured.measurements.update(recorded_at=datetime.datetime(2012, 12, 31, 23, 30, tzinfo=datetime.UTC))
    value = values_for(plan, [measured], periods=[Q3])[(measured.pk, Q3, ("departement", "72"))]
    assert value.provenance == "saisi le 01/01/2013 — source : SNE"
