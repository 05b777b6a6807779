"""Issue 10: open data published the exact indemnity of the one household of a commune.
An amount inherits the number of households behind it (its base): below the threshold it
is « s », like a count, in the CSV, the API and the reports alike."""

import csv
import io
from decimal import Decimal

from tests.eviction.factories import EventFactory, HouseholdFactory, PreventionFileFactory
from tests.observatory.plan import PLAN
from toit.api.indicators import figures
from toit.eviction.enums import EventKind
from toit.metrics.periods import Period
from toit.observatory import engine
from toit.observatory.models import IndicatorSnapshot
from toit.observatory.opendata import csv_text
from toit.plans.loader import load, parse

YEAR = Period.parse("2010")
INDEMNITIES = (
    "          - {code: 1B-3, label: Indemnités d'occupation versées, unit: eur, periodicity: year,\n"
    "             kind: computed, metric: eviction.occupation_indemnities}\n"
)


def indemnity(commune, amount):
    file = PreventionFileFactory(household=HouseholdFactory(commune=commune))
    EventFactory(file=file, kind=EventKind.OCCUPATION_INDEMNITY, date=YEAR.start, amount=Decimal(amount))


def test_the_indemnity_of_a_communes_only_household_is_secret(metrics, territory):
    plan = load(parse(PLAN.replace("          - {code: 1B-2,", INDEMNITIES + "          - {code: 1B-2,"))).plan
    le_mans, bonnetable, isolated = territory["communes"][0], territory["communes"][3], territory["communes"][5]
    for _ in range(12):
        indemnity(le_mans, "1000.00")
    for _ in range(11):
        indemnity(bonnetable, "500.00")
    indemnity(isolated, "1234.50")
    engine.compute(plan, periods=[YEAR], everywhere=True)

    snapshots = IndicatorSnapshot.objects.filter(indicator__code="1B-3")
    assert snapshots.get(territory_code=isolated.insee_code).base == 1
    assert snapshots.get(territory_kind="departement").base == 24

    rows = [r for r in csv.DictReader(io.StringIO(csv_text(plan))) if r["indicateur"] == "1B-3"]
    by_territory = {(r["type_territoire"], r["code_territoire"]): r for r in rows}
    commune = by_territory[("commune", isolated.insee_code)]
    assert (commune["valeur"], commune["statut"]) == ("s", "secret")
    assert "1234.5" not in csv_text(plan)
    department = by_territory[("departement", plan.department_code)]
    assert (department["valeur"], department["statut"]) == ("18734.5", "publie")
    # Nor can it be had by difference: its territory's amount minus its published communes'.
    rest = by_territory[("hors_epci", territory["lmm"].siren)]
    if rest["statut"] == "publie":
        assert by_territory[("epci", territory["other"].siren)]["statut"] == "secret"
    published = [r for r in rows if r["statut"] == "publie" and r["niveau"] == "commune"]
    assert Decimal("18734.5") - sum(Decimal(r["valeur"]) for r in published) != Decimal("1234.5")

    # The API gives the same decisions.
    api = {
        (f["territory"]["kind"], f["territory"]["code"]): f for f in figures(plan) if f["indicator"]["code"] == "1B-3"
    }
    assert api[("commune", isolated.insee_code)]["value"] is None
    assert {k for k, f in api.items() if f["status"] == "secret"} == {
        k for k, r in by_territory.items() if r["statut"] == "secret"
    }


def test_an_amount_without_known_base_is_not_published(plan):
    from toit.plans.measurements import record_measurement
    from toit.plans.models import Indicator

    # A manual amount says nothing of how many households it was paid to.
    record_measurement(
        user=None, indicator=Indicator.objects.get(code="4B-7"), period="2010", value="812", source="Bilan FSL"
    )
    rows = [r for r in csv.DictReader(io.StringIO(csv_text(plan))) if r["indicateur"] == "4B-7"]
    assert rows and all(r["valeur"] == "s" for r in rows)
