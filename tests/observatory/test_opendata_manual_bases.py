"""Issue 10, manual values: a rate or an amount entered by a partner is published (open
data, API, reports) when the partner gave the count of units it rests on (its base) and
that count reaches the threshold; below it, or unknown, it is « s » like a count, with
secondary suppression, and a correction of the base is what the API gives next."""

import csv
import io
from decimal import Decimal

import pytest

from tests.observatory.plan import PLAN
from tests.organisations.factories import member_of
from toit.api.indicators import cached_figures, figures
from toit.metrics.periods import Period
from toit.observatory.enums import ReportKind
from toit.observatory.opendata import csv_text
from toit.observatory.reports.build import build_report
from toit.organisations.models import Organisation
from toit.plans.loader import load, parse
from toit.plans.measurements import correct_measurement, record_measurement
from toit.plans.models import Indicator, PlanTerritory

RATE = "          - {code: 4B-8, label: Taux de relogement des ménages menacés, unit: percent, periodicity: year}\n"
AMOUNT_LINE = "          - {code: 4B-7, label: Contribution du FSL, unit: eur, periodicity: year}\n"


@pytest.fixture
def plan(metrics, territory):
    assert AMOUNT_LINE in PLAN
    return load(parse(PLAN.replace(AMOUNT_LINE, AMOUNT_LINE + RATE))).plan


def rate(value, base, territory=None):
    return record_measurement(
        user=None,
        indicator=Indicator.objects.get(code="4B-8"),
        period="2010",
        value=value,
        base=base,
        source="Bilan de la commission",
        territory=territory and PlanTerritory.objects.get(code=territory),
    )


def published(plan):
    """{territory kind: (CSV value, CSV status, API value)} for the rate in 2010."""
    rows = [r for r in csv.DictReader(io.StringIO(csv_text(plan))) if r["indicateur"] == "4B-8"]
    api = {f["territory"]["kind"]: f for f in figures(plan) if f["indicator"]["code"] == "4B-8"}
    assert {r["type_territoire"] for r in rows} == set(api)
    return {r["type_territoire"]: (r["valeur"], r["statut"], api[r["type_territoire"]]["value"]) for r in rows}


def in_report(plan):
    """The rate as the annual report's table of the plan's indicators prints it."""
    report = build_report(plan, ReportKind.ANNUAL, Period.parse("2010"))
    indicators = next(t for t in report.tables if t.key == "Indicateurs du plan")
    return next(r for r in indicators.rows if r.label.startswith("4B-8")).cells[1].display


def test_a_manual_rate_over_30_households_is_published(plan):
    rate("33,5", "30")
    assert published(plan) == {"departement": ("33.5", "publie", "33.5")}
    assert in_report(plan).startswith("33,5")


@pytest.mark.parametrize("base", ["2", "", None])
def test_a_manual_rate_over_two_households_or_an_unknown_number_is_secret(plan, base):
    rate("50", base)
    assert published(plan) == {"departement": ("s", "secret", None)}
    assert in_report(plan) == "s"


def test_secondary_suppression_holds_for_manual_bases(plan):
    rate("50", "40")
    rate("52", "35", territory="LMM")
    rate("20", "5", territory="HORS-LMM")
    result = published(plan)
    assert result["hors_epci"] == ("s", "secret", None)
    # Le Mans Métropole's 35 households out of the département's 40 would give the rest
    # of the département's 5 away: one of them is hidden too.
    assert "secret" in (result["departement"][1], result["epci"][1])
    assert "20" not in {v for v, _, _ in result.values()}


def test_a_corrected_base_is_what_the_api_gives_next(plan, settings):
    settings.TOIT_API_INDICATORS_CACHE_SECONDS = 300
    measurement = rate("33,5", None)
    agent = member_of(Organisation.objects.get(code="CG72"))  # responsible for action 4B
    assert [f["value"] for f in cached_figures(plan) if f["indicator"]["code"] == "4B-8"] == [None]
    correct_measurement(measurement, agent, "Effectif du bilan reçu", base="30")
    assert [f["value"] for f in cached_figures(plan) if f["indicator"]["code"] == "4B-8"] == ["33.5"]
    correct_measurement(measurement, agent, "Effectif erroné : deux ménages seulement", base="2")
    assert [f["value"] for f in cached_figures(plan) if f["indicator"]["code"] == "4B-8"] == [None]
    assert measurement.value == Decimal("33.5")
