import datetime

import factory

from tests.organisations.factories import OrganisationFactory
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.accommodation.enums import (
    EntryOrigin,
    FundingBasis,
    PartnershipKind,
    ProjectKind,
    StructureKind,
    YouthOfferKind,
)
from toit.accommodation.models import (
    AdmissionCommission,
    Application,
    CapacityPeriod,
    Funding,
    Partnership,
    Project,
    Resident,
    Stay,
    Structure,
    YouthOffer,
)


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Maison relais des Tilleuls {n}")
    kind = StructureKind.MAISON_RELAIS
    manager = factory.SubFactory(OrganisationFactory)
    commune = factory.SubFactory(CommuneFactory, department=factory.SelfAttribute("..department"))
    opened_on = datetime.date(2009, 1, 1)


class CapacityPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityPeriod

    structure = factory.SubFactory(StructureFactory)
    valid_from = datetime.date(2009, 1, 1)
    places = 15


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    structure = factory.SubFactory(StructureFactory)
    funder_label = "État (DDASS)"
    basis = FundingBasis.PER_PLACE_DAY
    amount = 16
    valid_from = datetime.date(2009, 1, 1)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    structure = factory.SubFactory(StructureFactory)
    kind = PartnershipKind.MOBILE_PSYCHIATRY
    partner_label = "Équipe mobile psychiatrie précarité"
    signed_on = datetime.date(2009, 6, 1)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    structure = factory.SubFactory(StructureFactory)
    last_name = factory.Sequence(lambda n: f"Résident{n}")
    first_name = "Alex"


class StayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stay

    structure = factory.SubFactory(StructureFactory)
    resident = factory.SubFactory(ResidentFactory, structure=factory.SelfAttribute("..structure"))
    entry_on = datetime.date(2010, 1, 1)
    origin = EntryOrigin.STREET


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdmissionCommission

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Commission d'admission des maisons relais {n}")
    secretariat = factory.SubFactory(OrganisationFactory)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    commission = factory.SubFactory(CommissionFactory)
    last_name = factory.Sequence(lambda n: f"Demandeur{n}")
    applied_on = datetime.date(2010, 3, 1)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Projet {n}")
    kind = ProjectKind.ISOLATED_HOUSE
    commune = factory.SubFactory(CommuneFactory, department=factory.SelfAttribute("..department"))
    dwellings_planned = 1
    spotted_on = datetime.date(2010, 1, 15)


class YouthOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YouthOffer

    department = factory.SubFactory(DepartmentFactory)
    kind = YouthOfferKind.ALT
    commune = factory.SubFactory(CommuneFactory, department=factory.SelfAttribute("..department"))
    units = 4
    made_available_on = datetime.date(2010, 5, 1)
