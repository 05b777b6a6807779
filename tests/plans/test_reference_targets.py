"""« Réduire… » targets (a comparison with a reference period), the local practices a
plan file declares, and a cost without period."""

import datetime
from decimal import Decimal

import pytest

from tests.plans.sample import SAMPLE_PLAN
from toit.metrics.periods import Period
from toit.observatory.engine import default_periods
from toit.plans.enums import IndicatorStatus
from toit.plans.loader import PlanValidationError, load, parse
from toit.plans.models import Plan, Target
from toit.plans.practices import local_practice
from toit.plans.status import Point, evaluate_target

D = datetime.date
REDUCE = """
  - indicator: 2A-1
    comparator: below_reference
    value: {value}
    reference: "{reference}"
    period: "{period}"
    note: moins qu'en {reference}
"""
PRACTICES = """
local_practices:
  - code: diagnosis_before_hearing_days
    days: 42
    source: Charte de test
"""


def plan_text(extra_targets="", extra=""):
    return SAMPLE_PLAN.rstrip() + extra_targets + extra


def loaded(**fields):
    text = plan_text(REDUCE.format(**{"value": 0, "reference": "2007", "period": "2012", **fields}))
    return load(parse(text)).plan


def errors(text):
    with pytest.raises(PlanValidationError) as excinfo:
        parse(text)
    return excinfo.value.format()


def test_a_reduction_target_loads_with_its_reference():
    plan = loaded()
    target = Target.objects.get(indicator__plan=plan, comparator="below_reference")
    assert target.reference_code == "2007"
    assert target.describe() == "inférieur à la valeur de 2007 en 2012"
    # The engine computes the reference period too, though it precedes the plan.
    assert Period.parse("2007") in default_periods(plan)


def test_a_reduction_needs_a_reference_before_its_period():
    assert "demande sa période de référence" in errors(
        plan_text("\n  - {indicator: 2A-1, comparator: below_reference, value: 0, period: plan}")
    )
    assert "ne s'emploie qu'avec comparator: below_reference" in errors(
        plan_text('\n  - {indicator: 2A-1, comparator: ">=", value: 3, reference: "2007", period: plan}')
    )
    assert "doit précéder la période de la cible" in errors(
        plan_text(REDUCE.format(value=0, reference="2012", period="2012"))
    )
    assert "doit précéder" in errors(plan_text(REDUCE.format(value=0, reference="2008", period="plan")))


@pytest.mark.parametrize(
    ("value", "current", "status"),
    [
        (0, Decimal(219), IndicatorStatus.REACHED),  # any reduction
        (0, Decimal(220), IndicatorStatus.LATE),  # equal is no reduction
        (10, Decimal(199), IndicatorStatus.LATE),  # 10 % below 220 is 198
        (10, Decimal(198), IndicatorStatus.REACHED),
    ],
)
def test_judged_against_the_reference_value(value, current, status):
    plan = loaded(value=value)
    target = Target.objects.get(indicator__plan=plan, comparator="below_reference")
    points = [Point(Period.parse("2007"), None, Decimal(220)), Point(Period.parse("2012"), None, current)]
    evaluation = evaluate_target(target, points, "count", plan.period, D(2013, 6, 1))
    assert evaluation.status == status
    assert "contre 220" in evaluation.basis


def test_without_the_reference_value_the_target_is_missing():
    plan = loaded()
    target = Target.objects.get(indicator__plan=plan, comparator="below_reference")
    evaluation = evaluate_target(
        target, [Point(Period.parse("2012"), None, Decimal(1))], "count", plan.period, D(2013, 6, 1)
    )
    assert evaluation.status == IndicatorStatus.MISSING
    assert "période de référence" in evaluation.basis


def test_local_practices_load_and_apply_from_the_plan_start():
    plan = load(parse(plan_text(extra=PRACTICES))).plan
    assert plan.local_practices == {"diagnosis_before_hearing_days": {"days": 42, "source": "Charte de test"}}
    practice = local_practice("72", "diagnosis_before_hearing_days", D(2008, 1, 1))
    assert (practice.days, practice.source, practice.plan_code) == (42, "Charte de test", "pdalpd-test")
    assert local_practice("72", "diagnosis_before_hearing_days", D(2007, 12, 31)) is None
    assert local_practice("53", "diagnosis_before_hearing_days", D(2010, 1, 1)) is None
    assert local_practice("72", "contact_after_summons_days", D(2010, 1, 1)) is None
    # A later plan that declares nothing ends the practice: it is the plan's, not a default.
    Plan.objects.create(code="suivant", title="Plan suivant", department_code="72", first_year=2013, last_year=2017)
    assert local_practice("72", "diagnosis_before_hearing_days", D(2013, 1, 1)) is None


def test_unknown_local_practice_is_refused():
    text = plan_text(extra=PRACTICES.replace("diagnosis_before_hearing_days", "delai_invente"))
    assert "pratique locale « delai_invente » inconnue" in errors(text)


def test_a_cost_without_period():
    plan = load(parse(SAMPLE_PLAN.replace("per: year", "per: unspecified"))).plan
    amount = plan.actions.get(code="1A").cost_amounts.get()
    assert str(amount) == "42000.00 € période non précisée"
