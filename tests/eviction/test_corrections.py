import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.eviction.factories import (
    ContactAttemptFactory,
    HouseholdMemberFactory,
    PreventionFileFactory,
    RepaymentPaymentFactory,
    prefecture,
)
from tests.organisations.factories import OrganisationFactory, member_of
from tests.plans.factories import load_sample_plan
from toit.eviction import corrections, followup
from toit.eviction.enums import ContactOutcome, EventKind, JudgmentOutcome, MemberRelationship
from toit.eviction.models import ContactAttempt, Event, HouseholdMember, RepaymentPayment, RepaymentPlan
from toit.eviction.procedure import add_event
from toit.observatory.models import ComputationRun
from toit.organisations.enums import Role

D = datetime.date
TODAY = D(2010, 12, 31)
REASON = "Date mal saisie (15/07/2010 lue 07/12/2010)"


@pytest.fixture
def ctx():
    caf = OrganisationFactory(code="CAF72")
    prefecture()
    user = member_of(caf)
    file = PreventionFileFactory(opened_by=caf)
    return user, caf, file


def summons(file, user, organisation):
    return add_event(
        file, EventKind.SUMMONS, D(2010, 3, 1), user, organisation, hearing_date=D(2010, 5, 3), today=TODAY
    )


def test_an_event_is_corrected_with_its_reason_and_both_versions_in_history(ctx):
    user, caf, file = ctx
    event = add_event(file, EventKind.ORDER_TO_PAY, D(2010, 12, 7), user, caf, today=TODAY)

    corrections.correct_event(event, user, REASON, date=D(2010, 7, 15), today=TODAY)

    event.refresh_from_db()
    assert event.date == D(2010, 7, 15)
    versions = list(event.history.order_by("history_id"))
    assert [v.date for v in versions] == [D(2010, 12, 7), D(2010, 7, 15)]
    assert versions[-1].history_change_reason == REASON
    assert versions[-1].history_user == user


def test_a_correction_needs_a_reason_and_writes_nothing_without(ctx):
    user, caf, file = ctx
    event = add_event(file, EventKind.ORDER_TO_PAY, D(2010, 12, 7), user, caf, today=TODAY)
    with pytest.raises(ValidationError) as error:
        corrections.correct_event(event, user, "  ", date=D(2010, 7, 15), today=TODAY)
    assert "motif" in error.value.message_dict["reason"][0]
    event.refresh_from_db()
    assert event.date == D(2010, 12, 7) and event.history.count() == 1


def test_a_too_long_reason_is_refused_with_its_length_and_writes_nothing(ctx):
    """The one rule of every domain (toit.eviction.corrections.require_reason): refused, never cut."""
    user, caf, file = ctx
    event = add_event(file, EventKind.ORDER_TO_PAY, D(2010, 12, 7), user, caf, today=TODAY)
    with pytest.raises(ValidationError) as error:
        corrections.correct_event(event, user, "x" * 501, date=D(2010, 7, 15), today=TODAY)
    assert "501 caractères pour 500 au plus" in error.value.message_dict["reason"][0]
    event.refresh_from_db()
    assert event.date == D(2010, 12, 7) and event.history.count() == 1
    corrections.correct_event(event, user, "y" * 500, date=D(2010, 7, 15), today=TODAY)
    assert event.history.latest("history_date").history_change_reason == "y" * 500


def test_a_correction_reruns_the_chronology_checks(ctx):
    user, caf, file = ctx
    summons(file, user, caf)
    judgment = add_event(
        file, EventKind.JUDGMENT, D(2010, 5, 3), user, caf, judgment_outcome=JudgmentOutcome.TERMINATION, today=TODAY
    )
    with pytest.raises(ValidationError) as error:
        corrections.correct_event(judgment, user, REASON, date=D(2010, 2, 1), today=TODAY)
    assert "assignation" in str(error.value)
    with pytest.raises(ValidationError, match="futur"):
        corrections.correct_event(judgment, user, REASON, date=D(2011, 2, 1), today=TODAY)
    judgment.refresh_from_db()
    assert judgment.date == D(2010, 5, 3)


def test_cancelling_an_event_others_rest_on_is_refused_naming_them(ctx):
    user, caf, file = ctx
    assignation = summons(file, user, caf)
    add_event(
        file, EventKind.JUDGMENT, D(2010, 5, 3), user, caf, judgment_outcome=JudgmentOutcome.TERMINATION, today=TODAY
    )
    with pytest.raises(ValidationError) as error:
        corrections.cancel_event(assignation, user, REASON)
    assert "jugement du 03/05/2010" in str(error.value)
    assert Event.objects.filter(pk=assignation.pk).exists()


def test_a_cancelled_event_is_gone_and_its_history_keeps_it_with_the_reason(ctx):
    user, caf, file = ctx
    event = add_event(file, EventKind.ORDER_TO_PAY, D(2010, 7, 15), user, caf, today=TODAY)
    corrections.cancel_event(event, user, "Saisi dans le mauvais dossier")
    assert not Event.objects.filter(pk=event.pk).exists()
    deleted = Event.history.filter(id=event.pk, history_type="-").get()
    assert deleted.history_change_reason == "Saisi dans le mauvais dossier"
    assert deleted.date == D(2010, 7, 15)


def test_only_the_recording_organisation_corrects_its_event(ctx):
    user, caf, file = ctx
    event = add_event(file, EventKind.ORDER_TO_PAY, D(2010, 7, 15), user, caf, today=TODAY)
    other = OrganisationFactory(code="ADIL72")
    file_partner = member_of(other)
    from toit.eviction import access

    access.share_file(file, other, user, caf)
    with pytest.raises(PermissionDenied, match="seuls ses agents"):
        corrections.correct_event(event, file_partner, REASON, date=D(2010, 7, 1), today=TODAY)
    with pytest.raises(PermissionDenied):
        corrections.cancel_event(event, file_partner, REASON)
    outsider = member_of(OrganisationFactory(code="OUT"))
    with pytest.raises(PermissionDenied):
        corrections.correct_event(event, outsider, REASON, date=D(2010, 7, 1), today=TODAY)
    observatory = member_of(caf, role=Role.OBSERVATORY)
    with pytest.raises(PermissionDenied):
        corrections.correct_event(event, observatory, REASON, date=D(2010, 7, 1), today=TODAY)
    event.refresh_from_db()
    assert event.date == D(2010, 7, 15)


def test_the_kind_of_an_event_cannot_be_changed(ctx):
    user, caf, file = ctx
    event = add_event(file, EventKind.ORDER_TO_PAY, D(2010, 7, 15), user, caf, today=TODAY)
    with pytest.raises(TypeError):
        corrections.correct_event(event, user, REASON, kind=EventKind.SUMMONS)


def test_a_correction_asks_the_observatory_to_recompute(ctx, django_capture_on_commit_callbacks):
    user, caf, file = ctx
    load_sample_plan()
    event = add_event(file, EventKind.ORDER_TO_PAY, D(2010, 7, 15), user, caf, today=TODAY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        corrections.correct_event(event, user, REASON, date=D(2010, 7, 1), today=TODAY)
    assert ComputationRun.objects.count() == 0
    callbacks[-1]()
    run = ComputationRun.objects.get()
    assert file.reference in run.reason and run.requested_by == user


def test_household_and_members_are_corrected_by_any_participant(ctx):
    user, _caf, file = ctx
    member = HouseholdMemberFactory(household=file.household, last_name="Durnad")
    corrections.correct_household(file.household, user, REASON, file=file, street="12 rue de la Gare")
    corrections.correct_member(member, user, "Faute de frappe dans le nom", file=file, last_name="Durand", today=TODAY)
    member.refresh_from_db()
    assert member.last_name == "Durand" and member.name_key.startswith("durand")
    child = corrections.add_member(
        file.household,
        user,
        "Enfant oublié à l'ouverture",
        file=file,
        last_name="Durand",
        first_name="Léo",
        relationship=MemberRelationship.CHILD,
        birth_date=D(2005, 1, 1),
        today=TODAY,
    )
    corrections.cancel_member(child, user, "Ajouté par erreur", file=file)
    with pytest.raises(ValidationError, match="seule personne"):
        corrections.cancel_member(member, user, "Ajouté par erreur", file=file)
    assert list(HouseholdMember.objects.filter(household=file.household)) == [member]
    outsider = member_of(OrganisationFactory(code="OUT"))
    with pytest.raises(PermissionDenied):
        corrections.correct_member(member, outsider, REASON, file=file, first_name="X")
    other_file = PreventionFileFactory(opened_by=OrganisationFactory(code="AUTRE"))
    with pytest.raises(PermissionDenied):  # a household reached through a file that is not its own
        corrections.correct_household(other_file.household, user, REASON, file=file, street="x")


def test_a_followup_record_is_corrected_or_cancelled_by_its_organisation(ctx):
    user, caf, file = ctx
    contact = ContactAttemptFactory(file=file, organisation=caf)
    corrections.correct_followup(contact, user, REASON, outcome=ContactOutcome.NO_ANSWER, today=TODAY)
    contact.refresh_from_db()
    assert contact.outcome == ContactOutcome.NO_ANSWER
    assert contact.history.latest("history_id").history_change_reason == REASON
    with pytest.raises(ValidationError, match="futur"):
        corrections.correct_followup(contact, user, REASON, date=D(2011, 5, 1), today=TODAY)
    corrections.cancel_followup(contact, user, REASON)
    assert not ContactAttempt.objects.exists()


def test_cancelling_a_plan_cancels_its_payments_with_the_reason(ctx):
    user, caf, file = ctx
    payment = RepaymentPaymentFactory(plan__file=file, plan__organisation=caf)
    corrections.correct_followup(payment, user, REASON, amount=Decimal("120.00"), today=TODAY)
    corrections.cancel_followup(payment.plan, user, "Plan saisi en double")
    assert not RepaymentPlan.objects.exists() and not RepaymentPayment.objects.exists()
    assert RepaymentPayment.history.get(history_type="-").history_change_reason == "Plan saisi en double"


def test_a_diagnosis_correction_moves_its_events(ctx):
    user, caf, file = ctx
    diagnosis = followup.request_diagnosis(file, user, caf, requested_on=D(2010, 3, 1), today=TODAY)
    followup.record_diagnosis(diagnosis, user, caf, done_on=D(2010, 4, 1), complete=True, today=TODAY)
    event = diagnosis.events.get(kind=EventKind.DIAGNOSIS_DONE)
    with pytest.raises(ValidationError, match="diagnostic"):
        corrections.correct_event(event, user, REASON, date=D(2010, 4, 2), today=TODAY)
    corrections.correct_followup(diagnosis, user, REASON, done_on=D(2010, 4, 2), complete=False, today=TODAY)
    event.refresh_from_db()
    assert (event.date, event.complete) == (D(2010, 4, 2), False)
    corrections.cancel_followup(diagnosis, user, REASON)
    assert not Event.objects.filter(kind__startswith="diagnostic").exists()
