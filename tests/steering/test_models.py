import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.steering.factories import AgendaItemFactory, DecisionFactory, MeetingFactory, StudyOrderFactory
from toit.metrics.periods import Period
from toit.metrics.registry import MetricError, registry
from toit.observatory import engine
from toit.steering.enums import CommitteeKind, DecisionStatus
from toit.steering.models import Decision, Meeting
from toit.territory.scopes import ScopeKind, TerritoryScope

DEPARTMENT = TerritoryScope.department_scope("72")


def test_meetings_held_per_year_by_committee(plan):
    MeetingFactory(plan=plan, date=datetime.date(2010, 3, 1), committee=CommitteeKind.RESPONSIBLE)
    MeetingFactory(plan=plan, date=datetime.date(2010, 9, 1))
    MeetingFactory(plan=plan, date=datetime.date(2011, 1, 10))
    MeetingFactory(plan=plan, date=datetime.date.today() + datetime.timedelta(days=30))  # not held yet
    metric = registry.get("steering.meetings_held")
    assert metric.compute(Period.parse("2010"), DEPARTMENT) == 2
    assert metric.compute(Period.parse("2010"), DEPARTMENT, committee="comite_responsable") == 1
    assert metric.compute(Period.parse("2008-2012"), DEPARTMENT) == 3
    assert Meeting.objects.held_in(Period.span(2008, datetime.date.today().year + 1)).count() == 3
    with pytest.raises(MetricError, match="Instance « plénière » inconnue"):
        metric.compute(Period.parse("2010"), DEPARTMENT, committee="plénière")


def test_orders_placed_with_the_observatory(plan):
    StudyOrderFactory(plan=plan, ordered_on=datetime.date(2010, 2, 1))
    StudyOrderFactory(plan=plan, ordered_on=datetime.date(2010, 11, 30))
    StudyOrderFactory(plan=plan, ordered_on=datetime.date(2011, 1, 1))
    metric = registry.get("steering.observatory_orders")
    assert metric.compute(Period.parse("2010"), DEPARTMENT) == 2
    assert metric.compute(Period.parse("2010T4"), DEPARTMENT) == 1


def test_another_departements_meetings_and_orders_do_not_count(plan):
    """Issue 14: one Sarthe meeting counted for the Orne too."""
    from toit.plans.models import Plan

    orne = Plan.objects.create(
        code="orne", title="Plan de l'Orne", department_code="61", first_year=2008, last_year=2012
    )
    MeetingFactory(plan=orne, date=datetime.date(2010, 3, 1))
    StudyOrderFactory(plan=orne, ordered_on=datetime.date(2010, 2, 1))
    MeetingFactory(plan=plan, date=datetime.date(2010, 4, 1))
    period, orne_scope = Period.parse("2010"), TerritoryScope.department_scope("61")
    assert registry.get("steering.meetings_held").compute(period, DEPARTMENT) == 1
    assert registry.get("steering.meetings_held").compute(period, orne_scope) == 1
    assert registry.get("steering.observatory_orders").compute(period, DEPARTMENT) == 0
    assert registry.get("steering.observatory_orders").compute(period, orne_scope) == 1


def test_steering_metrics_are_departmental(plan):
    """The engine does not compute them for EPCI or communes: they belong to the département."""
    from toit.plans.models import Indicator

    Indicator.objects.filter(code="1A-1").update(kind="computed", metric_key="steering.meetings_held")
    MeetingFactory(plan=plan, date=datetime.date(2010, 3, 1))
    result = engine.compute(plan, periods=[Period.parse("2010")])
    assert {(s.territory_kind, s.value) for s in result.snapshots} == {(ScopeKind.DEPARTMENT.value, 1)}
    assert result.snapshots[0].data_version.startswith("steering:")


def test_due_date_cannot_precede_the_order(plan):
    with pytest.raises(IntegrityError):
        StudyOrderFactory(plan=plan, ordered_on=datetime.date(2010, 5, 1), due_date=datetime.date(2010, 4, 1))


def test_decision_rules(plan):
    meeting = MeetingFactory(plan=plan, date=datetime.date(2010, 3, 15))
    decision = DecisionFactory.build(meeting=meeting, due_date=datetime.date(2010, 1, 1))
    with pytest.raises(ValidationError, match="L'échéance précède la réunion"):
        decision.full_clean()
    other_item = AgendaItemFactory(meeting=MeetingFactory(plan=plan))
    decision = DecisionFactory.build(meeting=meeting, agenda_item=other_item)
    with pytest.raises(ValidationError, match="ordre du jour d'une autre réunion"):
        decision.full_clean()
    DecisionFactory(meeting=meeting, status=DecisionStatus.DONE)
    DecisionFactory(meeting=meeting, status=DecisionStatus.IN_PROGRESS, due_date=datetime.date(2010, 4, 1))
    assert Decision.objects.open().count() == 1
    assert Decision.objects.overdue(today=datetime.date(2010, 5, 1)).count() == 1
