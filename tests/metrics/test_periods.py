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
