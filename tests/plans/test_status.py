import datetime
from decimal import Decimal

import pytest

from tests.plans.factories import load_sample_plan
from toit.plans.enums import IndicatorStatus
from toit.plans.measurements import record_measurement
from toit.plans.models import Indicator
from toit.plans.progress import indicators_with_data, progress_for

AFTER_PLAN = datetime.date(2013, 6, 1)


@pytest.fixture
def plan():
    return load_sample_plan()


def record(code, period, value, territory=None):
    record_measurement(
        user=None,
        indicator=Indicator.objects.get(code=code),
        period=period,
        value=value,
        source="t",
        territory=territory,
    )


def statuses(plan, today=AFTER_PLAN):
    return {p.indicator.code: p for p in progress_for(indicators_with_data(plan), today=today)}


def test_missing_when_nothing_recorded(plan):
    result = statuses(plan)
    assert {code: p.status for code, p in result.items()} == {
        "1A-1": IndicatorStatus.MISSING,
        "1A-2": IndicatorStatus.MISSING,
        "2A-1": IndicatorStatus.MISSING,
    }


def test_yearly_target_uses_latest_year(plan):
    record("1A-1", "2009", "12")
    record("1A-1", "2010", "8")
    progress = statuses(plan)["1A-1"]
    assert progress.status == IndicatorStatus.LATE
    assert progress.evaluations[0].value == Decimal(8)
    record("1A-1", "2011", "10")
    assert statuses(plan)["1A-1"].status == IndicatorStatus.REACHED


def test_rate_target_over_plan_uses_latest_measurement(plan):
    record("1A-2", "2008", "45")
    record("1A-2", "2012", "31,5")
    progress = statuses(plan)["1A-2"]
    assert progress.status == IndicatorStatus.REACHED
    assert progress.evaluations[0].value == Decimal("31.5")


def test_rate_target_over_plan_is_judged_on_the_last_year_not_the_pooled_plan(plan):
    """« Revenir au taux … de 1999 (33 %) » (sheet 1B): a rate over the plan is judged on the
    plan's last year; the value of the five years pooled (what the observatory computes for
    the plan's period) does not say whether the rate came back (docs/indicator-status.md)."""
    record("1A-2", "2008-2012", "30")  # pooled: would be reached
    record("1A-2", "2011", "20")
    record("1A-2", "2012", "40")
    evaluation = statuses(plan)["1A-2"].evaluations[0]
    assert (evaluation.status, evaluation.value) == (IndicatorStatus.LATE, Decimal(40))
    assert evaluation.basis.startswith("dernière année mesurée") and "2012" in evaluation.basis
    # Before the last year is known, the latest year measured stands in for it.
    assert statuses(plan, today=datetime.date(2012, 6, 1))["1A-2"].status == IndicatorStatus.LATE
    Indicator.objects.get(code="1A-2").measurements.filter(period_start__year=2012).delete()
    assert statuses(plan)["1A-2"].evaluations[0].value == Decimal(20)


def test_cumulative_target_on_territory(plan):
    lmm = plan.territories.get(code="LMM")
    record("2A-1", "2009", "10", territory=lmm)
    record("2A-1", "2010", "12", territory=lmm)
    record("2A-1", "2011", "50")  # département-wide: not counted for the LMM target
    progress = statuses(plan)["2A-1"]
    assert progress.evaluations[0].value == Decimal(22)
    assert progress.status == IndicatorStatus.LATE
    # During the plan, 22 of 30 after a bit more than half of it is on track.
    assert statuses(plan, today=datetime.date(2010, 12, 31))["2A-1"].status == IndicatorStatus.ON_TRACK
    record("2A-1", "2012", "8", territory=lmm)
    assert statuses(plan)["2A-1"].status == IndicatorStatus.REACHED


def test_progress_query_count_is_constant(plan, django_assert_num_queries):
    for year in ("2008", "2009", "2010", "2011", "2012"):
        record("1A-1", year, "5")
        record("1A-2", year, "40")
    with django_assert_num_queries(3):
        progress_for(indicators_with_data(plan), today=AFTER_PLAN)
