import datetime
from decimal import Decimal

import factory

from tests.organisations.factories import OrganisationFactory
from tests.territory.factories import CommuneFactory
from toit.eviction import access
from toit.eviction.enums import (
    ContactChannel,
    ContactOutcome,
    EventKind,
    FslAidForm,
    FslPurpose,
    FslResult,
    HomeownerSource,
    HousingSector,
    MemberRelationship,
    ParticipantReason,
    RepaymentPlanKind,
    ReportSource,
)
from toit.eviction.models import (
    ContactAttempt,
    Event,
    FslDecision,
    HomeownerDifficulty,
    Household,
    HouseholdMember,
    OverIndebtednessCase,
    PreventionFile,
    PrivateLandlord,
    RepaymentPayment,
    RepaymentPlan,
    Report,
)
from toit.eviction.procedure import refresh_plan_state, refresh_procedure_state
from toit.organisations.enums import OrganisationKind


class PrivateLandlordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivateLandlord

    name = factory.Sequence(lambda n: f"SCI des Tilleuls {n}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    street = factory.Sequence(lambda n: f"{n + 1} rue de la Gare")
    commune = factory.SubFactory(CommuneFactory)
    sector = HousingSector.PRIVATE


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    first_name = "Sylvie"
    birth_date = datetime.date(1975, 4, 12)
    relationship = MemberRelationship.REFERENCE


class PreventionFileFactory(factory.django.DjangoModelFactory):
    """A file whose opening organisation is a participant, as open_file makes it."""

    class Meta:
        model = PreventionFile
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    opened_by = factory.SubFactory(OrganisationFactory)
    opened_on = datetime.date(2010, 1, 4)

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create:
            access.grant(self, self.opened_by, ParticipantReason.OPENING)
            for organisation in extracted or ():
                access.grant(self, organisation, ParticipantReason.SHARING)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    source = ReportSource.CAF_MSA
    reporting_organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.CAF_MSA)
    reported_on = datetime.date(2010, 3, 1)
    debt_amount = Decimal("1200.00")
    months_unpaid = 3
    last_name = "Durand"
    first_name = "Sylvie"
    birth_date = datetime.date(1975, 4, 12)
    street = "12 rue de la Gare"
    sector = HousingSector.PRIVATE


class EventFactory(factory.django.DjangoModelFactory):
    """An event written directly, bypassing add_event's checks: for datasets of metric
    tests. The file's procedure state columns are derived again, as add_event does."""

    class Meta:
        model = Event

    file = factory.SubFactory(PreventionFileFactory)
    kind = EventKind.ORDER_TO_PAY
    date = datetime.date(2010, 2, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        event = super()._create(model_class, *args, **kwargs)
        refresh_procedure_state(event.file)
        return event


class ContactAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAttempt

    file = factory.SubFactory(PreventionFileFactory)
    date = datetime.date(2010, 2, 1)
    channel = ContactChannel.PHONE
    outcome = ContactOutcome.ESTABLISHED
    organisation = factory.SelfAttribute("file.opened_by")


class RepaymentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepaymentPlan

    file = factory.SubFactory(PreventionFileFactory)
    kind = RepaymentPlanKind.AMICABLE
    debt_amount = Decimal("600.00")
    start_date = datetime.date(2010, 1, 10)
    instalment_amount = Decimal("100.00")
    instalment_count = 6
    organisation = factory.SelfAttribute("file.opened_by")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        plan = super()._create(model_class, *args, **kwargs)
        refresh_plan_state(plan)  # as set_up_repayment_plan does
        return plan


class RepaymentPaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepaymentPayment

    plan = factory.SubFactory(RepaymentPlanFactory)
    date = datetime.date(2010, 1, 10)
    amount = Decimal("100.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        payment = super()._create(model_class, *args, **kwargs)
        refresh_plan_state(payment.plan)  # as record_payment does
        return payment


class FslDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FslDecision

    file = factory.SubFactory(PreventionFileFactory)
    fsl_organisation = factory.SubFactory(OrganisationFactory, code="FSL72", kind=OrganisationKind.FSL)
    purpose = FslPurpose.STAY
    result = FslResult.GRANTED
    aid_form = FslAidForm.GRANT
    amount = Decimal("800.00")
    decided_on = datetime.date(2010, 5, 1)
    organisation = factory.SelfAttribute("fsl_organisation")


class OverIndebtednessCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OverIndebtednessCase

    file = factory.SubFactory(PreventionFileFactory)
    filed_on = datetime.date(2010, 1, 15)
    organisation = factory.SelfAttribute("file.opened_by")


class HomeownerDifficultyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeownerDifficulty

    file = factory.SubFactory(PreventionFileFactory, household__sector=HousingSector.HOMEOWNER)
    source = HomeownerSource.CAF
    reported_on = datetime.date(2010, 6, 1)
    organisation = factory.SelfAttribute("file.opened_by")


def prefecture(department_code="72", **kwargs):
    """The préfecture of `department_code` (Organisation.is_prefecture)."""
    from tests.territory.factories import DepartmentFactory

    return OrganisationFactory(
        code=f"PREF{department_code}",
        name=f"Préfecture du {department_code}",
        kind=OrganisationKind.STATE,
        department=DepartmentFactory(code=department_code),
        is_prefecture=True,
        **kwargs,
    )


def social_landlord(code="SARTHE-HABITAT", **kwargs):
    return OrganisationFactory(code=code, name=f"Bailleur {code}", kind=OrganisationKind.SOCIAL_LANDLORD, **kwargs)


def plan_with_local_practices(department_code="72", **days):
    """A plan of `department_code` declaring local practices, e.g.
    contact_after_summons_days=15 (toit.plans.practices)."""
    from toit.plans.models import Plan

    return Plan.objects.create(
        code=f"plan-{department_code}-practices",
        title="Plan de test",
        department_code=department_code,
        first_year=2008,
        last_year=2012,
        local_practices={code: {"days": value, "source": "Charte de test"} for code, value in days.items()},
    )
