"""The Sarthe plan's territories as they were (issue 16, items 9 and 12), on eviction data:

- Le Mans Métropole had 9 communes in 2008-2012 (the plan file's perimeter), 20 in today's
  COG: an assignation in Aigné, which joined later, counts in the « reste du département »
  for 2010 and in Le Mans Métropole after the declared dates;
- sheet 1B is about Le Mans, Coulaines and Allonnes and one instrument (the debt settlement
  contract against not granting the force publique): its plans are counted there only.
"""

import datetime
from pathlib import Path

import pytest

from tests.eviction.factories import EventFactory, HouseholdFactory, PreventionFileFactory, RepaymentPlanFactory
from toit.eviction.enums import EventKind, RepaymentPlanKind
from toit.metrics.periods import Period
from toit.observatory import engine
from toit.observatory.territories import plan_territories
from toit.plans.loader import load_file
from toit.plans.models import Indicator
from toit.plans.progress import indicators_with_data, progress_for
from toit.territory.cog import load_file as load_territory_file
from toit.territory.models import Commune

ROOT = Path(__file__).resolve().parents[2]
LMM = "247200132"
AIGNE, ARNAGE, LE_MANS, COULAINES = "72001", "72008", "72181", "72095"


@pytest.fixture
def sarthe():
    load_territory_file(ROOT / "data" / "territory" / "cog-72.json")
    return load_file(ROOT / "plans" / "pdalpd-sarthe-2008-2012.yaml").plan


def file_in(insee):
    return PreventionFileFactory(household=HouseholdFactory(commune=Commune.objects.get(insee_code=insee)))


def summons(file, day):
    return EventFactory(file=file, kind=EventKind.SUMMONS, date=day, hearing_date=day + datetime.timedelta(days=90))


def values(result):
    return {(s.indicator.code, s.period.code, s.territory_kind, s.territory_code): s.value for s in result.snapshots}


def test_the_plan_declares_le_mans_metropole_of_2008_2012(sarthe):
    lmm = sarthe.territories.get(code="LMM")
    names = set(Commune.objects.filter(insee_code__in=lmm.perimeters[0]["communes"]).values_list("name", flat=True))
    assert names == {
        "Allonnes",
        "Arnage",
        "Champagné",
        "Coulaines",
        "Le Mans",
        "Mulsanne",
        "Rouillon",
        "Ruaudin",
        "Sargé-lès-le-Mans",
    }
    assert Commune.objects.filter(epci__siren=LMM).count() == 20  # today's COG
    assert sarthe.territories.get(code="HORS-LMM").perimeters == lmm.perimeters
    sheet = sarthe.territories.get(code="LM-COUL-ALL")
    assert (sheet.kind, sheet.communes) == ("communes", [LE_MANS, COULAINES, "72003"])
    assert set(Indicator.objects.filter(action__code="1B").values_list("territory__code", flat=True)) == {"LM-COUL-ALL"}


def test_a_commune_that_joined_later_counts_in_the_rest_in_2010_and_in_the_metropole_after(sarthe):
    aigne = file_in(AIGNE)
    summons(aigne, datetime.date(2010, 3, 1))
    summons(file_in(AIGNE), datetime.date(2013, 3, 1))
    summons(file_in(LE_MANS), datetime.date(2010, 5, 1))
    indicator = Indicator.objects.get(plan=sarthe, code="1C-1")  # eviction.assignations, grouped
    periods = [Period.parse("2010"), Period.parse("2013")]
    grouped = values(engine.compute(sarthe, periods=periods, indicators=[indicator]))
    assert grouped[("1C-1", "2010", "epci", LMM)] == 1  # Le Mans only
    assert grouped[("1C-1", "2010", "hors_epci", LMM)] == 1  # Aigné, not yet in the EPCI
    assert grouped[("1C-1", "2013", "epci", LMM)] == 1  # Aigné, after the declared dates
    assert grouped[("1C-1", "2013", "hors_epci", LMM)] == 0
    # Each equals the metric asked for that territory alone.
    metric = engine.registry.get("eviction.assignations")
    for territory in plan_territories(sarthe):
        for period in periods:
            direct = engine.to_decimal(metric.compute(period, territory.scope))
            assert grouped[("1C-1", period.code, territory.kind, territory.code)] == direct, territory.label


def test_sheet_1b_counts_its_instrument_on_its_territory_and_judges_its_rate_on_2012(sarthe):
    for insee in (LE_MANS, COULAINES, ARNAGE):  # Arnage: in Le Mans Métropole, not in the sheet's territory
        RepaymentPlanFactory(file=file_in(insee), kind=RepaymentPlanKind.NO_FORCE, start_date=datetime.date(2010, 2, 1))
    RepaymentPlanFactory(file=file_in(LE_MANS), kind=RepaymentPlanKind.AMICABLE, start_date=datetime.date(2010, 2, 1))
    for year, orders in ((2011, 0), (2012, 1)):  # 2012: 1 order to leave for 1 assignation (100 %)
        summoned = file_in(LE_MANS)
        summons(summoned, datetime.date(year, 2, 1))
        for _ in range(orders):
            EventFactory(file=summoned, kind=EventKind.ORDER_TO_LEAVE, date=datetime.date(year, 6, 1))
    indicators = Indicator.objects.filter(plan=sarthe, code__in=["1B-1", "1B-6"])
    got = values(engine.compute(sarthe, indicators=indicators))
    assert got[("1B-1", "2010", "communes", "LM-COUL-ALL")] == 2
    assert got[("1B-1", "2010", "epci", LMM)] == 3
    assert got[("1B-1", "2010", "departement", "72")] == 3
    (rate,) = progress_for(indicators_with_data(sarthe).filter(code="1B-6"), today=datetime.date(2013, 6, 1))
    assert rate.latest.territory_id == sarthe.territories.get(code="LM-COUL-ALL").pk
    (evaluation,) = rate.evaluations
    # « Revenir au taux … de 1999 (33 %) », judged on 2012 alone (100 %), not on the plan's
    # pooled 50 %.
    assert evaluation.target.territory.code == "LM-COUL-ALL"
    assert (evaluation.value, evaluation.status) == (100, "en_retard")
    assert got[("1B-6", "2008-2012", "communes", "LM-COUL-ALL")] == 50
