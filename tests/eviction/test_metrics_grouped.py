"""The grouped form of each eviction metric (one query for every commune, summed along the
territory tree by the observatory engine) must give, for every territory, exactly what the
metric gives when asked for that territory alone."""

from pathlib import Path

import pytest

from toit.eviction import demo
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.observatory import engine
from toit.observatory.territories import Level, all_territories
from toit.plans.loader import load_file
from toit.territory.cog import load_file as load_territory_file

ROOT = Path(__file__).resolve().parents[2]
GROUPED = sorted(
    m.key
    for m in registry
    if m.key.startswith("eviction.") and (hasattr(m.func, "by_commune") or hasattr(m.func, "by_commune_parts"))
)


@pytest.fixture(scope="module")
def sarthe(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_territory_file(ROOT / "data" / "territory" / "cog-72.json")
        plan = load_file(ROOT / "plans" / "pdalpd-sarthe-2008-2012.yaml").plan
        demo.generate(scale=0.15, seed=7)
        yield plan
        # Module-scoped data outside the per-test transaction: remove it for later tests.
        from django.core.management import call_command

        call_command("flush", "--noinput", verbosity=0)


def test_every_plan_indicator_of_1a_1f_has_a_grouped_form(sarthe):
    keys = set(
        sarthe.indicators.filter(kind="computed", metric_key__startswith="eviction.").values_list(
            "metric_key", flat=True
        )
    )
    assert keys <= set(GROUPED)


@pytest.mark.parametrize("key", GROUPED)
# 2010 and 2011T2 inside Le Mans Métropole's declared perimeter (9 communes), 2014 outside
# it (today's 20 communes): the grouped sums follow the perimeter as the metric does.
@pytest.mark.parametrize("code", ["2010", "2011T2", "2014"])
def test_grouped_form_matches_the_metric_everywhere(sarthe, key, code):
    metric = registry.get(key)
    period = Period.parse(code)
    territories = all_territories(sarthe)
    tree = engine._CommuneTree(sarthe, territories)
    grouped = getattr(metric.func, "by_commune", None)
    parts = getattr(metric.func, "by_commune_parts", None)
    values = engine._grouped_values(metric, grouped, parts, period, sarthe, tree, {})
    # Département, plan territories, a few EPCI and communes (the busiest and quiet ones).
    sample = [t for t in territories if t.level in (Level.DEPARTMENT, Level.PLAN)]
    sample += [t for t in territories if t.kind == "epci" and t.level == Level.EPCI][:3]
    sample += [t for t in territories if t.kind == "commune" and t.code in ("72181", "72003", "72095", "72264")]
    assert len(sample) >= 9
    assert {t.kind for t in sample} >= {"departement", "epci", "hors_epci", "communes", "commune"}
    for territory in sample:
        direct = metric.compute(period, territory.scope)
        assert engine.to_decimal(values(territory.key)) == engine.to_decimal(direct), (key, code, territory.label)
