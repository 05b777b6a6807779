"""The procedure state columns (toit.eviction.procedure_state): written by the functions
that record events and payments, equal to what the events and payments give, and checked
by `manage.py toit_procedure_state`."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eviction.factories import EventFactory, PreventionFileFactory, RepaymentPlanFactory
from tests.organisations.factories import OrganisationFactory, member_of
from toit.eviction import followup
from toit.eviction.enums import AMOUNT_REQUIRED_KINDS, EventKind, JudgmentOutcome, RepaymentPlanKind, RepaymentState
from toit.eviction.models import PreventionFile, RepaymentPayment, RepaymentPlan
from toit.eviction.procedure import add_event, refresh_plan_state

D = datetime.date
TODAY = D(2012, 12, 31)


@pytest.fixture
def ctx():
    organisation = OrganisationFactory(code="CG72")
    return member_of(organisation), organisation, PreventionFileFactory(opened_by=organisation)


def stored(file):
    return PreventionFile.objects.get(pk=file.pk)


def test_add_event_keeps_the_state_columns(ctx):
    user, organisation, file = ctx
    add_event(file, EventKind.ORDER_TO_PAY, D(2010, 1, 5), user, organisation, today=TODAY, amount=Decimal(900))
    assert stored(file).last_summons_on is None
    add_event(file, EventKind.SUMMONS, D(2010, 3, 1), user, organisation, today=TODAY, hearing_date=D(2010, 5, 20))
    state = stored(file)
    assert (state.last_summons_on, state.hearing_on) == (D(2010, 3, 1), D(2010, 5, 20))
    assert not state.summons_answered and not state.diagnosed_since_summons
    add_event(
        file,
        EventKind.JUDGMENT,
        D(2010, 5, 20),
        user,
        organisation,
        today=TODAY,
        judgment_outcome=JudgmentOutcome.TERMINATION,
    )
    state = stored(file)
    assert state.summons_answered and state.diagnosed_since_summons
    add_event(file, EventKind.ORDER_TO_LEAVE, D(2010, 7, 1), user, organisation, today=TODAY)
    add_event(file, EventKind.REQUISITION, D(2010, 9, 6), user, organisation, today=TODAY)
    state = stored(file)
    assert (state.last_requisition_on, state.requisition_decided, state.closed_on) == (D(2010, 9, 6), False, None)
    add_event(file, EventKind.ASSISTANCE_REFUSED, D(2010, 10, 1), user, organisation, today=TODAY)
    assert stored(file).requisition_decided
    add_event(file, EventKind.REHOUSED, D(2010, 12, 1), user, organisation, today=TODAY)
    assert stored(file).closed_on == D(2010, 12, 1)


def test_a_new_summons_reopens_what_the_old_one_settled():
    file = PreventionFileFactory()
    EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2010, 1, 4), hearing_date=D(2010, 3, 1))
    EventFactory(file=file, kind=EventKind.DEBT_CLEARED, date=D(2010, 2, 1))
    assert stored(file).summons_answered and stored(file).closed_on == D(2010, 2, 1)
    EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2011, 1, 4), hearing_date=D(2011, 3, 1))
    state = stored(file)
    assert (state.last_summons_on, state.hearing_on, state.summons_answered, state.closed_on) == (
        D(2011, 1, 4),
        D(2011, 3, 1),
        False,
        None,
    )


def state_columns(file):
    from toit.eviction.procedure_state import STATE_FIELDS

    return {name: getattr(stored(file), name) for name in STATE_FIELDS}


@pytest.mark.parametrize(("chunk", "queries"), [(500, 1 + 3), (2, 3 + 4)])
def test_many_files_refreshed_at_once_each_get_their_own_state(chunk, queries, monkeypatch, django_assert_num_queries):
    """What an import writes by set (events added without add_event) is refreshed in a few
    statements: per chunk of files, one read of their events and one UPDATE per distinct
    state, whatever the number of files."""
    from toit.eviction import procedure

    opened = [PreventionFileFactory() for _ in range(3)]  # no event: one state for the three
    summoned = PreventionFileFactory()
    EventFactory(file=summoned, kind=EventKind.SUMMONS, date=D(2010, 1, 4), hearing_date=D(2010, 3, 1))
    closed = PreventionFileFactory()
    EventFactory(file=closed, kind=EventKind.DEBT_CLEARED, date=D(2010, 2, 1))
    files = [*opened, summoned, closed]
    expected = {file.pk: state_columns(file) for file in files}
    # Stale, as after events written by SQL.
    PreventionFile.objects.filter(pk__in=expected).update(hearing_on=D(2000, 1, 1), closed_on=None, last_event_at=None)
    monkeypatch.setattr(procedure, "REFRESH_CHUNK", chunk)
    # Chunks of 2: (opened, opened), (opened, summoned), (closed): 3 reads, 1 + 2 + 1 UPDATEs.
    with django_assert_num_queries(queries):
        procedure.refresh_procedure_states([file.pk for file in reversed(files)])
    assert {file.pk: state_columns(file) for file in files} == expected
    call_command("toit_procedure_state", "check")


def test_check_command_finds_and_fixes_a_drift(capsys):
    file = PreventionFileFactory()
    EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2010, 1, 4), hearing_date=D(2010, 3, 1))
    plan = RepaymentPlanFactory(file=file)
    call_command("toit_procedure_state", "check")
    assert "aucun écart" in capsys.readouterr().out
    # A write outside Toit's functions (SQL, data migration) leaves the columns stale.
    PreventionFile.objects.filter(pk=file.pk).update(hearing_on=D(2010, 4, 1))
    RepaymentPayment.objects.create(plan=plan, date=D(2010, 1, 10), amount=Decimal("600.00"))
    with pytest.raises(
        CommandError,
        match="1 dossier\\(s\\), 1 plan\\(s\\) d'apurement, 0 personne\\(s\\) et 0 participation\\(s\\) en écart",
    ):
        call_command("toit_procedure_state", "check")
    out = capsys.readouterr().out
    assert f"dossier n° {file.pk} : hearing_on enregistré datetime.date(2010, 4, 1)" in out
    assert f"plan d'apurement n° {plan.pk} : respected_on enregistré None, recalculé datetime.date(2010, 1, 10)" in out
    call_command("toit_procedure_state", "fix")
    assert stored(file).hearing_on == D(2010, 3, 1)
    assert RepaymentPlan.objects.get(pk=plan.pk).respected_on == D(2010, 1, 10)
    call_command("toit_procedure_state", "check")


def test_followup_keeps_the_plan_outcome(ctx):
    user, organisation, file = ctx
    plan = followup.set_up_repayment_plan(
        file,
        user,
        organisation,
        kind=RepaymentPlanKind.AMICABLE,
        debt_amount=Decimal("300.00"),
        start_date=D(2010, 1, 10),
        instalment_amount=Decimal("100.00"),
        instalment_count=3,
    )
    plan = RepaymentPlan.objects.get(pk=plan.pk)
    assert (plan.respected_on, plan.behind_from, plan.broken_from) == (None, D(2010, 1, 10), D(2010, 2, 10))
    followup.record_payment(plan, user, organisation, date=D(2010, 1, 12), amount=Decimal("100.00"), today=TODAY)
    plan = RepaymentPlan.objects.get(pk=plan.pk)
    assert (plan.behind_from, plan.broken_from) == (D(2010, 2, 10), D(2010, 3, 10))
    followup.record_payment(plan, user, organisation, date=D(2010, 2, 1), amount=Decimal("200.00"), today=TODAY)
    plan = RepaymentPlan.objects.get(pk=plan.pk)
    assert (plan.respected_on, plan.behind_from, plan.broken_from) == (D(2010, 2, 1), None, None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    count=st.integers(1, 8),
    instalment=st.sampled_from([Decimal("50.00"), Decimal("75.50"), Decimal("100.00")]),
    start_day=st.sampled_from([1, 15, 29, 31]),
    payments=st.lists(
        st.tuples(st.integers(0, 330), st.sampled_from([Decimal("25.00"), Decimal("75.50")])), max_size=8
    ),
    as_of=st.integers(0, 400),
)
def test_stored_outcome_agrees_with_the_state_computed_in_sql(count, instalment, start_day, payments, as_of):
    """The queue's reading of the columns (« running and behind » as of a day on or after
    the last payment) is what with_state computes from the payments."""
    start = D(2010, 1, start_day)
    plan = RepaymentPlanFactory(
        start_date=start, instalment_amount=instalment, instalment_count=count, debt_amount=instalment * count
    )
    for offset, amount in payments:
        RepaymentPayment.objects.create(plan=plan, date=start + datetime.timedelta(days=offset), amount=amount)
    refresh_plan_state(plan)
    day = start + datetime.timedelta(days=max([as_of, *(offset for offset, _ in payments)]))
    computed = RepaymentPlan.objects.with_state(day).get(pk=plan.pk)
    plan = RepaymentPlan.objects.get(pk=plan.pk)
    respected = plan.respected_on is not None and plan.respected_on <= day
    broken = not respected and plan.broken_from is not None and plan.broken_from <= day
    behind = plan.behind_from is not None and plan.behind_from <= day
    assert respected == (computed.state_as_of == RepaymentState.RESPECTED)
    assert broken == (computed.state_as_of == RepaymentState.BROKEN)
    if computed.state_as_of == RepaymentState.RUNNING:
        assert behind == computed.behind_as_of
    assert plan.respected_on == computed.completion_date


def test_corrections_keep_the_state_columns_and_the_plan_outcome(ctx):
    """Correcting or cancelling an event, a plan or a payment (toit.eviction.corrections)
    leaves the stored state equal to what the events and payments give: the queues never
    list a file on the strength of a mistake that was corrected."""
    from toit.eviction import corrections

    user, organisation, file = ctx
    summons = add_event(
        file, EventKind.SUMMONS, D(2010, 3, 1), user, organisation, today=TODAY, hearing_date=D(2010, 5, 20)
    )
    corrections.correct_event(summons, user, "Date d'audience mal recopiée", hearing_date=D(2010, 6, 3), today=TODAY)
    assert stored(file).hearing_on == D(2010, 6, 3)
    corrections.cancel_event(summons, user, "Assignation saisie dans le mauvais dossier")
    assert (stored(file).last_summons_on, stored(file).hearing_on) == (None, None)
    plan = followup.set_up_repayment_plan(
        file,
        user,
        organisation,
        kind=RepaymentPlanKind.AMICABLE,
        debt_amount=Decimal("200.00"),
        start_date=D(2010, 1, 10),
        instalment_amount=Decimal("100.00"),
        instalment_count=2,
    )
    payment = followup.record_payment(
        plan, user, organisation, date=D(2010, 1, 12), amount=Decimal("200.00"), today=TODAY
    )
    assert RepaymentPlan.objects.get(pk=plan.pk).respected_on == D(2010, 1, 12)
    corrections.correct_followup(payment, user, "Montant mal saisi : 100 € et non 200 €", amount=Decimal("100.00"))
    assert RepaymentPlan.objects.get(pk=plan.pk).respected_on is None
    corrections.cancel_followup(RepaymentPayment.objects.get(pk=payment.pk), user, "Versement d'un autre ménage")
    refreshed = RepaymentPlan.objects.get(pk=plan.pk)
    assert (refreshed.respected_on, refreshed.behind_from) == (None, D(2010, 1, 10))
    call_command("toit_procedure_state", "check")


EVENT_KINDS = [
    EventKind.ORDER_TO_PAY,
    EventKind.SUMMONS,
    EventKind.JUDGMENT,
    EventKind.ORDER_TO_LEAVE,
    EventKind.REQUISITION,
    EventKind.ASSISTANCE_REFUSED,
    EventKind.REHOUSED,
    EventKind.EVICTION,
]


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(EVENT_KINDS),
                st.integers(min_value=0, max_value=40),
                st.sampled_from(JudgmentOutcome.values),
            ),
            max_size=6,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_states_read_as_columns_are_the_states_of_the_events(files_events):
    # Lists (the search) read the state from a few columns of the events, not from events:
    # the same state, label included, as the file page's, events of the same day included.
    from toit.eviction.models import Event
    from toit.eviction.timeline import acts_of, state_of

    files = []
    for events in files_events:
        file = PreventionFileFactory()
        for kind, day, outcome in events:
            date = D(2010, 1, 1) + datetime.timedelta(days=day // 2)
            EventFactory(
                file=file,
                kind=kind,
                date=date,
                judgment_outcome=outcome if kind == EventKind.JUDGMENT else "",
                hearing_date=date + datetime.timedelta(days=60) if kind == EventKind.SUMMONS else None,
                amount=Decimal(500) if kind in AMOUNT_REQUIRED_KINDS else None,
            )
        files.append(file)
    states = Event.objects.filter(file__in=files).states_by_file()
    for file in files:
        expected = state_of(acts_of(file.events.order_by("date", "pk")))
        got = states.get(file.pk, state_of([]))
        assert got == expected and got.label == expected.label
