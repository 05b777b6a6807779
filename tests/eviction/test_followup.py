import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eviction.factories import (
    PreventionFileFactory,
    RepaymentPaymentFactory,
    RepaymentPlanFactory,
)
from tests.organisations.factories import OrganisationFactory, member_of
from toit.eviction import followup
from toit.eviction.enums import (
    ContactChannel,
    ContactOutcome,
    EventKind,
    FslAidForm,
    FslPurpose,
    FslResult,
    HomeownerSource,
    ParticipantReason,
    RepaymentPlanKind,
    RepaymentState,
)
from toit.eviction.models import Event, RepaymentPayment, RepaymentPlan, SocialDiagnosis
from toit.organisations.enums import OrganisationKind

D = datetime.date
TODAY = D(2012, 12, 31)


@pytest.fixture
def ctx():
    organisation = OrganisationFactory(code="CG72")
    return member_of(organisation), organisation, PreventionFileFactory(opened_by=organisation)


def test_contact_attempt(ctx):
    user, organisation, file = ctx
    attempt = followup.record_contact_attempt(
        file,
        user,
        organisation,
        date=D(2010, 5, 3),
        channel=ContactChannel.HOME_VISIT,
        outcome=ContactOutcome.ESTABLISHED,
        today=TODAY,
    )
    assert (attempt.file, attempt.organisation, attempt.recorded_by) == (file, organisation, user)
    with pytest.raises(ValidationError, match="dans le futur"):
        followup.record_contact_attempt(
            file,
            user,
            organisation,
            date=D(2013, 5, 3),
            channel=ContactChannel.PHONE,
            outcome=ContactOutcome.NO_ANSWER,
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        followup.record_contact_attempt(
            file,
            member_of(OrganisationFactory()),
            organisation,
            date=D(2010, 5, 3),
            channel=ContactChannel.PHONE,
            outcome=ContactOutcome.NO_ANSWER,
        )


def test_diagnosis_request_and_record_add_events(ctx):
    user, organisation, file = ctx
    diagnosis = followup.request_diagnosis(file, user, organisation, requested_on=D(2010, 5, 3), today=TODAY)
    followup.record_diagnosis(
        diagnosis, user, organisation, done_on=D(2010, 6, 1), complete=False, orientation="FSL maintien", today=TODAY
    )
    diagnosis.refresh_from_db()
    assert (diagnosis.done_on, diagnosis.complete, diagnosis.orientation) == (D(2010, 6, 1), False, "FSL maintien")
    assert list(Event.objects.values_list("kind", "date", "complete", "diagnosis")) == [
        (EventKind.DIAGNOSIS_REQUESTED, D(2010, 5, 3), None, diagnosis.pk),
        (EventKind.DIAGNOSIS_DONE, D(2010, 6, 1), False, diagnosis.pk),
    ]
    with pytest.raises(ValidationError, match="déjà été réalisé"):
        followup.record_diagnosis(diagnosis, user, organisation, done_on=D(2010, 7, 1), complete=True, today=TODAY)


def test_diagnosis_done_before_requested_is_refused_and_rolled_back(ctx):
    user, organisation, file = ctx
    diagnosis = followup.request_diagnosis(file, user, organisation, requested_on=D(2010, 5, 3), today=TODAY)
    with pytest.raises(ValidationError):
        followup.record_diagnosis(diagnosis, user, organisation, done_on=D(2010, 4, 1), complete=True, today=TODAY)
    assert SocialDiagnosis.objects.get().done_on is None
    assert Event.objects.count() == 1


def test_fsl_decision_brings_in_the_fsl(ctx):
    user, organisation, file = ctx
    fsl = OrganisationFactory(code="FSL72", kind=OrganisationKind.FSL)
    decision = followup.record_fsl_decision(
        file,
        user,
        organisation,
        fsl_organisation=fsl,
        purpose=FslPurpose.STAY,
        result=FslResult.GRANTED,
        decided_on=D(2010, 6, 1),
        under_guarantee=True,
        aid_form=FslAidForm.LOAN,
        amount=Decimal("700"),
        today=TODAY,
    )
    assert decision.under_guarantee
    assert file.participants.filter(organisation=fsl, reason=ParticipantReason.FSL).exists()


def test_fsl_decision_granted_needs_amount_and_form(ctx):
    user, organisation, file = ctx
    fsl = OrganisationFactory(code="FSL72", kind=OrganisationKind.FSL)
    with pytest.raises(ValidationError) as excinfo:
        followup.record_fsl_decision(
            file,
            user,
            organisation,
            fsl_organisation=fsl,
            purpose=FslPurpose.STAY,
            result=FslResult.GRANTED,
            decided_on=D(2010, 6, 1),
            today=TODAY,
        )
    assert {"aid_form", "amount"} <= set(excinfo.value.message_dict)
    assert not file.participants.filter(organisation=fsl).exists()


def test_fsl_must_be_an_fsl(ctx):
    user, organisation, file = ctx
    with pytest.raises(ValidationError) as excinfo:
        followup.record_fsl_decision(
            file,
            user,
            organisation,
            fsl_organisation=organisation,
            purpose=FslPurpose.STAY,
            result=FslResult.REFUSED,
            decided_on=D(2010, 6, 1),
            today=TODAY,
        )
    assert "fsl_organisation" in excinfo.value.message_dict


def test_overindebtedness_case_steps(ctx):
    user, organisation, file = ctx
    case = followup.record_overindebtedness_case(file, user, organisation, filed_on=D(2010, 2, 1), today=TODAY)
    with pytest.raises(ValidationError) as excinfo:
        followup.update_overindebtedness_case(case, user, organisation, measures_on=D(2010, 5, 1), today=TODAY)
    assert "admissible" in excinfo.value.message_dict
    case = followup.update_overindebtedness_case(
        case, user, organisation, admissibility_on=D(2010, 3, 1), admissible=True, measures_on=D(2010, 6, 1)
    )
    case.refresh_from_db()
    assert (case.admissible, case.measures_on) == (True, D(2010, 6, 1))
    with pytest.raises(TypeError):
        followup.update_overindebtedness_case(case, user, organisation, filed_on=D(2010, 1, 1))


def test_overindebtedness_case_recorded_by_the_banque_de_france_brings_it_in():
    bdf = OrganisationFactory(code="BDF", kind=OrganisationKind.BANQUE_DE_FRANCE)
    file = PreventionFileFactory(participants=[bdf])
    followup.record_overindebtedness_case(file, member_of(bdf), bdf, filed_on=D(2010, 2, 1), today=TODAY)
    assert file.participants.filter(organisation=bdf, reason=ParticipantReason.OVER_INDEBTEDNESS).exists()


def test_homeowner_difficulty(ctx):
    user, organisation, file = ctx
    difficulty = followup.record_homeowner_difficulty(
        file, user, organisation, source=HomeownerSource.LENDER, reported_on=D(2010, 6, 1), lender_name="Crédit Test"
    )
    assert difficulty.get_source_display() == "Établissement prêteur"


class TestRepaymentPlan:
    def test_set_up_and_payments(self, ctx):
        user, organisation, file = ctx
        plan = followup.set_up_repayment_plan(
            file,
            user,
            organisation,
            kind=RepaymentPlanKind.NO_FORCE,
            debt_amount=Decimal("1000"),
            start_date=D(2010, 1, 5),
            instalment_amount=Decimal("100"),
            instalment_count=10,
        )
        followup.record_payment(plan, user, organisation, date=D(2010, 1, 5), amount=Decimal("100"), today=TODAY)
        assert plan.paid_on(D(2010, 2, 1)) == Decimal("100")

    def test_instalments_must_cover_the_debt(self, ctx):
        user, organisation, file = ctx
        with pytest.raises(ValidationError) as excinfo:
            followup.set_up_repayment_plan(
                file,
                user,
                organisation,
                kind=RepaymentPlanKind.AMICABLE,
                debt_amount=Decimal("1000"),
                start_date=D(2010, 1, 5),
                instalment_amount=Decimal("83.33"),
                instalment_count=12,
            )
        assert "ne couvrent pas la dette de 1000 €" in excinfo.value.message_dict["instalment_amount"][0]

    @pytest.mark.parametrize(
        ("as_of", "due", "state"),
        [
            (D(2010, 1, 9), 0, RepaymentState.RUNNING),  # before the first instalment
            (D(2010, 1, 10), 1, RepaymentState.RUNNING),  # first paid
            (D(2010, 3, 10), 3, RepaymentState.RUNNING),  # 2 paid of 3 due: one missed
            (D(2010, 4, 10), 4, RepaymentState.BROKEN),  # 2 paid of 4 due: two missed
        ],
    )
    def test_state_by_date(self, as_of, due, state):
        plan = RepaymentPlanFactory(start_date=D(2010, 1, 10))  # 6 × 100 € for 600 €
        RepaymentPaymentFactory(plan=plan, date=D(2010, 1, 10))
        RepaymentPaymentFactory(plan=plan, date=D(2010, 2, 12))
        assert plan.due_instalments(as_of) == due
        assert plan.state_on(as_of) == state
        annotated = RepaymentPlan.objects.with_state(as_of).get()
        assert (annotated.instalments_due_as_of, annotated.state_as_of) == (due, state)

    def test_respected_once_the_debt_is_paid(self):
        plan = RepaymentPlanFactory(start_date=D(2010, 1, 10), debt_amount=Decimal("550"))
        RepaymentPaymentFactory(plan=plan, date=D(2010, 1, 10), amount=Decimal("100"))
        RepaymentPaymentFactory(plan=plan, date=D(2010, 5, 2), amount=Decimal("400"))
        RepaymentPaymentFactory(plan=plan, date=D(2010, 5, 2), amount=Decimal("50"))
        assert plan.completed_on == D(2010, 5, 2)
        # On 1 May four instalments are due and one is paid: three missed.
        assert plan.missed_instalments(D(2010, 5, 1)) == 3
        assert plan.state_on(D(2010, 5, 1)) == RepaymentState.BROKEN
        assert plan.state_on(D(2010, 5, 2)) == RepaymentState.RESPECTED
        annotated = RepaymentPlan.objects.with_state(D(2010, 5, 2)).get()
        assert (annotated.completion_date, annotated.state_as_of) == (D(2010, 5, 2), RepaymentState.RESPECTED)

    @override_settings(TOIT_REPAYMENT_MISSED_LIMIT=3)
    def test_limit_comes_from_settings(self):
        plan = RepaymentPlanFactory(start_date=D(2010, 1, 10))
        RepaymentPaymentFactory(plan=plan, date=D(2010, 1, 10))
        RepaymentPaymentFactory(plan=plan, date=D(2010, 2, 12))
        assert plan.state_on(D(2010, 4, 10)) == RepaymentState.RUNNING
        assert RepaymentPlan.objects.with_state(D(2010, 4, 10)).get().state_as_of == RepaymentState.RUNNING
        assert plan.state_on(D(2010, 5, 10)) == RepaymentState.BROKEN

    def test_due_dates_at_the_end_of_short_months(self):
        plan = RepaymentPlanFactory.build(start_date=D(2010, 1, 31))
        assert plan.due_date(1) == D(2010, 3, 1)
        assert plan.due_instalments(D(2010, 2, 28)) == 1
        assert plan.due_instalments(D(2010, 3, 1)) == 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=D(2009, 1, 1), max_value=D(2011, 12, 31)),
    count=st.integers(min_value=1, max_value=12),
    instalment_cents=st.integers(min_value=1000, max_value=40000),
    shortfall_cents=st.integers(min_value=0, max_value=5000),
    payments=st.lists(
        st.tuples(st.integers(min_value=-20, max_value=500), st.integers(min_value=1, max_value=60000)), max_size=12
    ),
    as_of_offset=st.integers(min_value=-40, max_value=600),
)
def test_sql_and_python_states_agree(start, count, instalment_cents, shortfall_cents, payments, as_of_offset):
    instalment = Decimal(instalment_cents) / 100
    debt = max(Decimal("0.01"), instalment * count - Decimal(shortfall_cents) / 100)
    plan = RepaymentPlanFactory(
        start_date=start, instalment_amount=instalment, instalment_count=count, debt_amount=debt
    )
    RepaymentPayment.objects.bulk_create(
        RepaymentPayment(plan=plan, date=start + datetime.timedelta(days=offset), amount=Decimal(cents) / 100)
        for offset, cents in payments
    )
    as_of = start + datetime.timedelta(days=as_of_offset)
    plan = RepaymentPlan.objects.prefetch_related("payments").get(pk=plan.pk)
    annotated = RepaymentPlan.objects.with_state(as_of).get(pk=plan.pk)
    assert annotated.paid_as_of == plan.paid_on(as_of)
    assert annotated.instalments_due_as_of == plan.due_instalments(as_of)
    assert annotated.completion_date == plan.completed_on
    assert annotated.state_as_of == plan.state_on(as_of)
    assert annotated.behind_as_of == (plan.missed_instalments(as_of) >= 1)
    twin = plan.set_state_as_of(as_of)  # what the file page shows
    for name in ("paid_as_of", "instalments_due_as_of", "completion_date", "state_as_of", "behind_as_of"):
        assert getattr(twin, name) == getattr(annotated, name), name
