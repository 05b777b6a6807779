"""A realistic small world for the eviction pages: an association following households,
an unrelated organisation, the observatory, and a file with a bit of everything."""

import datetime
from decimal import Decimal

import pytest

from tests.eviction.factories import (
    ContactAttemptFactory,
    EventFactory,
    FslDecisionFactory,
    HomeownerDifficultyFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    OverIndebtednessCaseFactory,
    PreventionFileFactory,
    PrivateLandlordFactory,
    RepaymentPaymentFactory,
    RepaymentPlanFactory,
    prefecture,
)
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory
from toit.eviction.enums import EventKind, JudgmentOutcome, MemberRelationship
from toit.eviction.models import SocialDiagnosis
from toit.organisations.enums import OrganisationKind, Role

D = datetime.date


@pytest.fixture
def org():
    return OrganisationFactory(code="ADIL72", name="ADIL de la Sarthe", kind=OrganisationKind.ASSOCIATION)


@pytest.fixture
def other_org():
    return OrganisationFactory(code="CCAS-ALLONNES", name="CCAS d'Allonnes")


@pytest.fixture
def agent(org):
    return member_of(org, first_name="Agathe", last_name="Agent")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def outsider_client(client, other_org):
    client.force_login(member_of(other_org))
    return client


@pytest.fixture
def observer_client(client, org):
    client.force_login(member_of(org, role=Role.OBSERVATORY))
    return client


@pytest.fixture
def le_mans():
    return CommuneFactory(insee_code="72181", name="Le Mans")


def make_file(org, last_name="Dupont", first_name="Sylvie", birth_name="", commune=None, **file_kwargs):
    household = HouseholdFactory(
        commune=commune or CommuneFactory(), private_landlord=PrivateLandlordFactory(name="SCI Les Tilleuls")
    )
    HouseholdMemberFactory(
        household=household,
        last_name=last_name,
        first_name=first_name,
        birth_name=birth_name,
        birth_date=D(1975, 4, 12),
    )
    HouseholdMemberFactory(
        household=household,
        last_name=last_name,
        first_name="Léo",
        birth_date=D(2004, 9, 1),
        relationship=MemberRelationship.CHILD,
    )
    return PreventionFileFactory(household=household, opened_by=org, **file_kwargs)


def fill_file(file, org):
    """Events and follow-up of every kind, as a file a few years old has."""
    EventFactory(
        file=file, kind=EventKind.UNPAID_REPORTED, date=D(2010, 1, 10), amount=Decimal("900"), organisation=org
    )
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 2, 1), amount=Decimal("1500"), organisation=org)
    EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2010, 5, 3), hearing_date=D(2010, 9, 14), organisation=org)
    EventFactory(file=file, kind=EventKind.JUDGMENT, date=D(2010, 9, 14), judgment_outcome=JudgmentOutcome.TIME_TO_PAY)
    ContactAttemptFactory(file=file, date=D(2010, 5, 20), organisation=org)
    ContactAttemptFactory(file=file, date=D(2010, 5, 27), organisation=org)
    SocialDiagnosis.objects.create(file=file, requested_on=D(2010, 5, 20), requested_by=org)
    plan = RepaymentPlanFactory(file=file, organisation=org, start_date=D(2010, 10, 5))
    RepaymentPaymentFactory(plan=plan, date=D(2010, 10, 5))
    RepaymentPaymentFactory(plan=plan, date=D(2010, 11, 5))
    FslDecisionFactory(file=file, decided_on=D(2010, 6, 1))
    OverIndebtednessCaseFactory(file=file, organisation=org, filed_on=D(2010, 7, 1))
    HomeownerDifficultyFactory(file=file, organisation=org)
    return file


@pytest.fixture
def dupont(org, le_mans):
    prefecture()
    return fill_file(make_file(org, birth_name="Martin", commune=le_mans), org)
