"""Work queues: each returns, for a user, the files (or reports, plans) to act on."""

import datetime
from decimal import Decimal

import pytest

from tests.eviction.factories import (
    ContactAttemptFactory,
    EventFactory,
    PreventionFileFactory,
    RepaymentPaymentFactory,
    RepaymentPlanFactory,
    ReportFactory,
    plan_with_local_practices,
)
from tests.organisations.factories import OrganisationFactory, member_of
from toit.eviction.enums import ContactOutcome, EventKind, JudgmentOutcome
from toit.eviction.models import PreventionFile, RepaymentPlan, Report

D = datetime.date
TODAY = D(2010, 6, 1)


@pytest.fixture
def org():
    return OrganisationFactory(code="FSL72")


@pytest.fixture
def user(org):
    return member_of(org)


def summons_file(org, day, hearing=None, **kwargs):
    file = PreventionFileFactory(opened_by=org, **kwargs)
    EventFactory(file=file, kind=EventKind.SUMMONS, date=day, hearing_date=hearing or day + datetime.timedelta(days=80))
    return file


@pytest.fixture
def practices():
    return plan_with_local_practices(contact_after_summons_days=15, diagnosis_before_hearing_days=42)


def test_without_a_declared_local_practice_the_queues_are_empty(org, user):
    summons_file(org, D(2010, 1, 4), hearing=D(2010, 6, 10))
    plan_with_local_practices("53", contact_after_summons_days=15, diagnosis_before_hearing_days=42)
    assert list(PreventionFile.objects.awaiting_contact(user, today=TODAY)) == []
    assert list(PreventionFile.objects.hearings_without_diagnosis(user, today=TODAY)) == []


def test_the_delay_is_the_departments(org, user):
    plan_with_local_practices(contact_after_summons_days=30, diagnosis_before_hearing_days=10)
    thirty = summons_file(org, D(2010, 5, 2), hearing=D(2010, 6, 11))
    summons_file(org, D(2010, 5, 3), hearing=D(2010, 6, 12))
    assert list(PreventionFile.objects.awaiting_contact(user, today=TODAY)) == [thirty]
    assert list(PreventionFile.objects.hearings_without_diagnosis(user, today=TODAY)) == [thirty]


def test_awaiting_contact(org, user, practices, django_assert_num_queries):
    old = summons_file(org, D(2010, 5, 17))  # 15 days before TODAY
    summons_file(org, D(2010, 5, 18))  # only 14 days
    contacted = summons_file(org, D(2010, 4, 1))
    ContactAttemptFactory(file=contacted, date=D(2010, 4, 10), outcome=ContactOutcome.ESTABLISHED)
    tried = summons_file(org, D(2010, 4, 1))
    ContactAttemptFactory(file=tried, date=D(2010, 4, 10), outcome=ContactOutcome.NO_ANSWER)
    # A contact before the (latest) assignation does not count.
    contacted_before = summons_file(org, D(2010, 5, 3))
    ContactAttemptFactory(file=contacted_before, date=D(2010, 3, 1))
    judged = summons_file(org, D(2010, 1, 4))
    EventFactory(file=judged, kind=EventKind.JUDGMENT, date=D(2010, 4, 1), judgment_outcome=JudgmentOutcome.TIME_TO_PAY)
    summons_file(OrganisationFactory(), D(2010, 4, 1))  # not visible
    with django_assert_num_queries(3):  # the plans' practices, the files, then their members
        found = list(PreventionFile.objects.awaiting_contact(user, today=TODAY))
        assert [len(f.household.members.all()) for f in found] == [0, 0, 0]
        assert all(f.household.commune.name for f in found)
    assert found == [tried, contacted_before, old]
    assert found[0].last_summons_on == D(2010, 4, 1)


def test_hearings_without_diagnosis(org, user, practices):
    soon = summons_file(org, D(2010, 3, 1), hearing=D(2010, 7, 13))  # 42 days ahead
    summons_file(org, D(2010, 3, 1), hearing=D(2010, 7, 14))  # 43 days
    summons_file(org, D(2010, 3, 1), hearing=D(2010, 5, 31))  # past
    diagnosed = summons_file(org, D(2010, 3, 1), hearing=D(2010, 6, 20))
    EventFactory(file=diagnosed, kind=EventKind.DIAGNOSIS_DONE, date=D(2010, 4, 1), complete=False)
    today_hearing = summons_file(org, D(2010, 3, 1), hearing=TODAY)
    found = list(PreventionFile.objects.hearings_without_diagnosis(user, today=TODAY))
    assert found == [today_hearing, soon]
    assert found[1].hearing_on == D(2010, 7, 13)


def test_requisitions_awaiting_decision(org, user):
    def requisition_file(day):
        file = PreventionFileFactory(opened_by=org)
        EventFactory(file=file, kind=EventKind.REQUISITION, date=day)
        return file

    overdue = requisition_file(D(2010, 3, 31))  # delay over on 31 May
    pending = requisition_file(D(2010, 4, 1))  # delay ends 1 June
    decided = requisition_file(D(2010, 2, 1))
    EventFactory(file=decided, kind=EventKind.ASSISTANCE_REFUSED, date=D(2010, 3, 1))
    assert list(PreventionFile.objects.requisitions_awaiting_decision(user, today=TODAY)) == [overdue, pending]
    assert list(PreventionFile.objects.requisitions_awaiting_decision(user, today=TODAY, overdue_only=True)) == [
        overdue
    ]


def test_queue_for_one_of_the_users_organisations(org, user, practices):
    other = OrganisationFactory()
    user_file = summons_file(org, D(2010, 4, 1))
    shared = summons_file(other, D(2010, 4, 1), participants=[org])
    assert set(PreventionFile.objects.awaiting_contact(user, today=TODAY)) == {user_file, shared}
    assert list(PreventionFile.objects.awaiting_contact(user, organisation=other, today=TODAY)) == [shared]


def test_reports_awaiting_match(org, user):
    mine = ReportFactory(reporting_organisation=org, reported_on=D(2010, 2, 1))
    older = ReportFactory(reporting_organisation=org, reported_on=D(2010, 1, 1))
    ReportFactory(
        reporting_organisation=org,
        file=PreventionFileFactory(opened_by=org),
        matched_at=datetime.datetime(2010, 3, 1, tzinfo=datetime.UTC),
    )
    ReportFactory()  # another organisation's
    assert list(Report.objects.awaiting_match(user)) == [older, mine]


def test_repayment_plans_at_risk(org, user):
    def plan(payments):
        p = RepaymentPlanFactory(file=PreventionFileFactory(opened_by=org), start_date=D(2010, 1, 10))
        for day in payments:
            RepaymentPaymentFactory(plan=p, date=day)
        return p

    # By 1 June five instalments of 100 € are due.
    plan([D(2010, 1, 10), D(2010, 2, 10), D(2010, 3, 10), D(2010, 4, 10), D(2010, 5, 10)])  # up to date
    one_missed = plan([D(2010, 1, 10), D(2010, 2, 10), D(2010, 3, 10), D(2010, 4, 10)])
    plan([D(2010, 1, 10), D(2010, 2, 10), D(2010, 3, 10)])  # two missed: rompu
    assert list(RepaymentPlan.objects.at_risk(user, today=TODAY)) == [one_missed]
    assert not RepaymentPlan.objects.at_risk(member_of(OrganisationFactory()), today=TODAY).exists()
    assert RepaymentPlan.objects.with_state(TODAY).get(pk=one_missed.pk).paid_as_of == Decimal("400.00")


def test_plans_at_risk_in_breaking_order_come_in_two_parts_that_follow_each_other(org, user):
    def plan(start, payments):
        p = RepaymentPlanFactory(file=PreventionFileFactory(opened_by=org), start_date=start)
        for day in payments:
            RepaymentPaymentFactory(plan=p, date=day)
        return p

    # Six instalments of 100 €; two missed make a plan « rompu ».
    never = plan(D(2009, 12, 10), [D(2009, 12, 10), D(2010, 1, 10), D(2010, 2, 10), D(2010, 3, 10), D(2010, 4, 10)])
    february = plan(D(2010, 2, 10), [D(2010, 2, 10), D(2010, 3, 10), D(2010, 4, 10)])
    january = plan(D(2010, 1, 10), [D(2010, 1, 10), D(2010, 2, 10), D(2010, 3, 10), D(2010, 4, 10)])
    plan(D(2010, 1, 10), [D(2010, 1, 10)])  # broken in March
    assert never.broken_from is None and january.broken_from == february.broken_from == D(2010, 6, 10)
    at_risk = RepaymentPlan.objects.at_risk(user, today=TODAY)
    parts = at_risk.in_breaking_order(TODAY)
    assert [list(part) for part in parts] == [[january, february], [never]]
    assert list(at_risk) == [january, february, never]
