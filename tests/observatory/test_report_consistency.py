"""Each report shows one truth (issue 15): every figure of the quarterly and annual
reports equals the indicator its line names, for the same territory and period, or reads
« s » exactly where the open data do, or « non disponible » exactly where the indicator
has no value; a « dont » line never exceeds its total. The checks: consistency.py."""

import pytest

from tests.observatory.consistency import problems
from toit.metrics.periods import Period
from toit.observatory import engine
from toit.observatory.enums import ReportKind
from toit.observatory.reports.build import build_report
from toit.plans.measurements import record_measurement
from toit.plans.models import Indicator

Q3 = Period.parse("2010T3")
YEAR = Period.parse("2010")


def measure(code, period, value):
    record_measurement(user=None, indicator=Indicator.objects.get(code=code), period=period, value=value, source="test")


@pytest.fixture
def operational(plan):
    """Computed indicators for every territory, measurements entered by partners (one of
    them for an indicator a line also names a metric for), one period never computed."""
    engine.compute(plan, periods=[*YEAR.quarters(), YEAR], everywhere=True)
    measure("4B-1", "2010T3", "1234")
    measure("4B-4", "2010T3", "17")
    measure("4B-4", "2010T2", "12")
    measure("4B-5", "2010", "40")
    measure("4B-7", "2010", "812")
    return plan


@pytest.mark.parametrize("limit", [2, 11])
def test_every_quarterly_figure_is_the_indicator_it_names(operational, limit):
    report = build_report(operational, ReportKind.QUARTERLY, Q3, limit=limit)
    assert problems(report, limit) == []


@pytest.mark.parametrize("limit", [2, 11])
def test_every_annual_figure_is_the_indicator_it_names(operational, limit):
    report = build_report(operational, ReportKind.ANNUAL, YEAR, limit=limit)
    assert problems(report, limit) == []
