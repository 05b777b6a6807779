import datetime

import factory

from tests.organisations.factories import OrganisationFactory
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.organisations.enums import OrganisationKind
from toit.priority_access.enums import DaloDecision, LeaseOutcome, ProjectOutcome, ProjectPriority
from toit.priority_access.models import (
    AbnormalDelay,
    CollectiveAgreementTarget,
    ContingentProposal,
    DaloAgglomeration,
    DaloAppeal,
    HousingDemand,
    MousCoverage,
    MousFollowup,
    ProjectFollowup,
    SlidingLease,
)


def landlord(code="SARTHE-HABITAT"):
    return OrganisationFactory(code=code, name=code.title(), kind=OrganisationKind.SOCIAL_LANDLORD)


class PersonRecordFactory(factory.django.DjangoModelFactory):
    department = factory.SubFactory(DepartmentFactory)
    holder = factory.SubFactory(OrganisationFactory)
    last_name = factory.Sequence(lambda n: f"Nomdetest{n}")
    first_name = "Camille"
    birth_date = datetime.date(1975, 3, 12)
    commune = factory.SubFactory(CommuneFactory)

    class Meta:
        abstract = True


class HousingDemandFactory(PersonRecordFactory):
    class Meta:
        model = HousingDemand

    number = factory.Sequence(lambda n: f"072{n:07d}")
    filed_on = datetime.date(2009, 1, 15)


class DaloAppealFactory(PersonRecordFactory):
    class Meta:
        model = DaloAppeal

    number = factory.Sequence(lambda n: f"DALO-72-{n:05d}")
    filed_on = datetime.date(2009, 2, 1)

    class Params:
        priority = factory.Trait(decision=DaloDecision.PRIORITY, decided_on=datetime.date(2009, 4, 15))


class ContingentProposalFactory(PersonRecordFactory):
    class Meta:
        model = ContingentProposal

    landlord = factory.LazyFunction(landlord)
    proposed_on = datetime.date(2009, 6, 1)


class ProjectFollowupFactory(PersonRecordFactory):
    class Meta:
        model = ProjectFollowup

    taken_in_on = datetime.date(2009, 3, 1)
    priority = ProjectPriority.HIGH
    outcome = ProjectOutcome.ONGOING


class SlidingLeaseFactory(PersonRecordFactory):
    class Meta:
        model = SlidingLease

    landlord = factory.LazyFunction(landlord)
    started_on = datetime.date(2009, 1, 1)
    planned_glide_on = datetime.date(2010, 1, 1)
    outcome = LeaseOutcome.ONGOING


class MousFollowupFactory(PersonRecordFactory):
    class Meta:
        model = MousFollowup

    mediated_on = datetime.date(2009, 5, 1)


class MousCoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MousCoverage

    department = factory.SubFactory(DepartmentFactory)
    operator = factory.SubFactory(OrganisationFactory)
    commune = factory.SubFactory(CommuneFactory)
    since = datetime.date(2008, 1, 1)


class CollectiveAgreementTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveAgreementTarget

    department = factory.SubFactory(DepartmentFactory)
    year = 2009
    landlord = factory.LazyFunction(landlord)
    target = 40


class AbnormalDelayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AbnormalDelay

    department = factory.SubFactory(DepartmentFactory)
    since = datetime.date(2008, 1, 1)
    months = 18
    source = "Arrêté préfectoral (test)"


class DaloAgglomerationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DaloAgglomeration

    department = factory.SubFactory(DepartmentFactory)
    since = datetime.date(2008, 1, 1)
    large_agglomeration = True
    source = "test"
