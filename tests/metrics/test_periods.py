import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toit.metrics.periods import Period, PeriodError


def test_parse_forms():
    assert Period.parse("2010T3") == Period.quarter(2010, 3)
    assert Period.parse(" 2010 t3 ") == Period.quarter(2010, 3)
    assert Period.parse("2010") == Period.year(2010)
    assert Period.parse("2008-2012").start == datetime.date(2008, 1, 1)
    assert Period.quarter(2010, 4).end == datetime.date(2010, 12, 31)
    assert Period.quarter(2010, 1).end == datetime.date(2010, 3, 31)
    assert Period.quarter(2010, 3).label == "3e trimestre 2010"


@pytest.mark.parametrize("text", ["", "2010T0", "T3", "20101", "2012-2008", "deux mille dix"])
def test_parse_errors_are_french(text):
    with pytest.raises(PeriodError) as excinfo:
        Period.parse(text)
    assert "2010" in str(excinfo.value) or "avant de commencer" in str(excinfo.value)


@given(st.integers(1990, 2100), st.integers(1, 4))
def test_quarter_round_trip(year, number):
    quarter = Period.quarter(year, number)
    assert Period.parse(quarter.code) == quarter
    assert Period.from_bounds(quarter.start, quarter.end, quarter.kind) == quarter
    assert Period.year(year).contains(quarter)
    assert (quarter.end - quarter.start).days in (89, 90, 91)


def test_plan_subperiods():
    plan = Period.span(2008, 2012)
    assert len(plan.years()) == 5
    assert len(plan.quarters()) == 20
    assert plan.subperiods("plan") == [plan]


def test_a_plan_period_on_dates():
    period = Period.between(datetime.date(2024, 7, 1), datetime.date(2029, 6, 30))
    assert (period.code, period.label) == ("2024-07-01/2029-06-30", "du 01/07/2024 au 30/06/2029")
    assert Period.parse(" 2024-07-01 / 2029-06-30 ") == period
    assert Period.from_bounds(period.start, period.end, period.kind) == period
    assert not period.whole_years and Period.span(2008, 2012).whole_years
    assert Period.between(datetime.date(2008, 1, 1), datetime.date(2012, 12, 31)) == Period.span(2008, 2012)
    quarters = [q.code for q in period.quarters()]
    assert (len(quarters), quarters[0], quarters[-1]) == (20, "2024T3", "2029T2")
    assert [y.code for y in period.years()] == ["2024", "2025", "2026", "2027", "2028", "2029"]
    assert period.covers(Period.year(2029)) and period.covers(Period.quarter(2029, 2))
    assert not period.covers(Period.quarter(2029, 3)) and not period.covers(Period.quarter(2024, 2))
    assert period.covers(period) and not period.covers(Period.span(2024, 2029))


@pytest.mark.parametrize("text", ["2024-02-30/2029-06-30", "2029-06-30/2024-07-01"])
def test_impossible_or_reversed_dates_are_refused(text):
    with pytest.raises(PeriodError):
        Period.parse(text)
