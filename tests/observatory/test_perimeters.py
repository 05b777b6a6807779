"""Le Mans Métropole as it was (issue 16, item 12): with a perimeter declared for 2008-2012,
every figure of the EPCI, of its complement and of the EPCI's line in the tables follows
the communes of the time inside the dates and today's composition outside them; the grouped
sums (one query for every territory) still equal the metric asked for one territory."""

from django.db.models import Sum

from tests.observatory.conftest import LMM
from tests.observatory.plan import PLAN
from toit.metrics.enums import Unit
from toit.metrics.periods import Period
from toit.metrics.registry import register
from toit.observatory import engine
from toit.observatory.publication import Publisher
from toit.observatory.territories import all_territories, parents_at
from toit.plans.loader import load, parse
from toit.plans.models import Indicator
from toit.territory.models import Commune

IN_DATES, AFTER = Period.parse("2010"), Period.parse("2013")


def perimeter_plan(territory):
    """The observatory's plan, Le Mans Métropole being Le Mans and Allonnes in 2008-2012:
    Coulaines, in the EPCI today, joined later."""
    codes = {c.name: c.insee_code for c in territory["communes"]}
    declared = (
        '{code: LMM, label: Le Mans Métropole, kind: epci, ref: "247200132",\n'
        f'     perimeters: [{{from: 2008, until: 2012, communes: ["{codes["Le Mans"]}", "{codes["Allonnes"]}"]}}]}}\n'
        "  - {code: LCA, label: Le Mans et Allonnes, kind: communes,\n"
        f'     communes: ["{codes["Le Mans"]}", "{codes["Allonnes"]}"]}}'
    )
    text = PLAN.replace('{code: LMM, label: Le Mans Métropole, kind: epci, ref: "247200132"}', declared)
    return load(parse(text)).plan, codes


def values(result):
    return {(s.period_start.year, s.territory_kind, s.territory_code): s.value for s in result.snapshots}


def test_a_commune_that_joined_later_counts_in_the_rest_inside_the_dates_and_in_the_epci_after(
    metrics, territory, django_assert_max_num_queries
):
    plan, codes = perimeter_plan(territory)
    coulaines = codes["Coulaines"]
    indicator = Indicator.objects.get(plan=plan, code="4B-2")  # population: tells communes apart
    # One call per territory and period: the metric on the scope of the period.
    slow = values(engine.compute(plan, periods=[IN_DATES, AFTER], everywhere=True, indicators=[indicator]))
    assert slow[(2010, "epci", LMM)] == 151_000  # Le Mans and Allonnes
    assert slow[(2010, "hors_epci", LMM)] == 700 + 2_000 + 300 + 150  # Coulaines is in the rest
    assert slow[(2013, "epci", LMM)] == 151_700  # today's three communes
    assert slow[(2013, "hors_epci", LMM)] == 2_450
    assert slow[(2010, "communes", "LCA")] == slow[(2013, "communes", "LCA")] == 151_000
    assert slow[(2010, "commune", coulaines)] == 700

    # The same figures from one grouped query per period (the test every grouped metric
    # passes, here across the perimeter's dates).
    @register("testobs.broken", label="Population groupée", unit=Unit.COUNT)
    def grouped_population(period, scope):
        return Commune.objects.filter(scope.q()).aggregate(total=Sum("population"))["total"] or 0

    def by_commune(period, department_code):
        return dict(Commune.objects.filter(department__code=department_code).values_list("insee_code", "population"))

    grouped_population.by_commune = by_commune
    Indicator.objects.filter(pk=indicator.pk).update(metric_key="testobs.broken")
    indicator.refresh_from_db()
    # Territories (2), one grouped query per period (2), the insert and its savepoint (3), the
    # lock, the repeats dropped and the two updates of the mark in force (4).
    with django_assert_max_num_queries(11):
        fast = engine.compute(plan, periods=[IN_DATES, AFTER], everywhere=True, indicators=[indicator])
    assert values(fast) == slow
    labels = {(s.period_start.year, s.territory_kind, s.territory_code): s.territory_label for s in fast.snapshots}
    assert labels[(2010, "epci", LMM)] == "Le Mans Métropole — périmètre 2008-2012 : 2 communes"
    assert labels[(2010, "hors_epci", LMM)] == "Reste du département — périmètre 2008-2012 : 2 communes"
    assert labels[(2013, "epci", LMM)] == "Le Mans Métropole"


def test_the_hierarchy_protected_follows_the_perimeter(metrics, territory):
    plan, codes = perimeter_plan(territory)
    territories = all_territories(plan)
    coulaines = ("commune", codes["Coulaines"])
    assert parents_at(territories, IN_DATES)[coulaines] == ("hors_epci", LMM)
    assert parents_at(territories, AFTER)[coulaines] == ("epci", LMM)
    # The sheet's list of communes nests between its communes and the EPCI holding them.
    assert parents_at(territories, IN_DATES)[("commune", codes["Allonnes"])] == ("communes", "LCA")
    assert parents_at(territories, IN_DATES)[("communes", "LCA")] == ("epci", LMM)
    # The grouped figures of 2010 add up along that hierarchy: protecting them is consistent.
    indicator = Indicator.objects.get(plan=plan, code="4B-3")
    result = engine.compute(plan, periods=[IN_DATES], everywhere=True, indicators=[indicator])
    figures = {(s.territory_kind, s.territory_code): s.value for s in result.snapshots}
    assert figures[("epci", LMM)] == 2 and figures[("hors_epci", LMM)] == 4
    protection = Publisher(territories, limit=1).protection(indicator.pk, Unit.COUNT, "year", IN_DATES, figures)
    assert protection is not None


def test_an_attacker_who_knows_the_perimeter_gets_no_hidden_cell_back(metrics, territory):
    """The reader knows the 2010 relations (Le Mans Métropole = Le Mans + Allonnes = the
    sheet's list; the rest = Coulaines + the other EPCI + Isolée): the cells hidden for 2010
    stay hidden against them."""
    from tests.observatory.attackers import tree_equations
    from tests.observatory.test_disclosure import attack

    plan, codes = perimeter_plan(territory)
    small = {"Le Mans": 30, "Allonnes": 3, "Coulaines": 20, "Bonnétable": 15, "Briosne": 12, "Isolée": 14}

    @register("testobs.broken", label="Effectifs groupés", unit=Unit.COUNT)
    def grouped_counts(period, scope):
        return sum(small[c.name] for c in Commune.objects.filter(scope.q()))

    grouped_counts.by_commune = lambda period, department_code: {codes[name]: n for name, n in small.items()}
    indicator = Indicator.objects.get(plan=plan, code="4B-3")
    Indicator.objects.filter(pk=indicator.pk).update(metric_key="testobs.broken", periodicity="year")
    indicator.refresh_from_db()
    territories = all_territories(plan)
    result = engine.compute(plan, periods=[IN_DATES], everywhere=True, indicators=[indicator])
    truth = {(s.territory_kind, s.territory_code): int(s.value) for s in result.snapshots}
    assert truth[("epci", LMM)] == truth[("communes", "LCA")] == 33
    assert truth[("hors_epci", LMM)] == 61
    protection = Publisher(territories, limit=11).protection("4B-3", Unit.COUNT, "year", IN_DATES, truth)
    assert ("commune", codes["Allonnes"]) in protection.hidden
    parents = parents_at(territories, IN_DATES)
    attack(None, truth, tree_equations([(key, parents[key]) for key in truth]), protection)
