import datetime

import factory

from tests.organisations.factories import OrganisationFactory
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.dwellings import models
from toit.dwellings.enums import (
    ActKind,
    BuildingType,
    Convention,
    DpeStage,
    OwnerKind,
    PoleService,
    Qualification,
    ReportSource,
    Tenure,
)
from toit.organisations.enums import OrganisationKind


class HousingPoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.HousingPole
        django_get_or_create = ["department"]

    department = factory.SubFactory(DepartmentFactory)
    name = factory.LazyAttribute(
        lambda o: f"Pôle départemental de lutte contre l'habitat indigne ({o.department.code})"
    )


class PoleMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PoleMember

    pole = factory.SubFactory(HousingPoleFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    service = PoleService.STATE_HOUSING
    since = datetime.date(2008, 1, 1)


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Owner

    department = factory.SubFactory(DepartmentFactory)
    kind = OwnerKind.PERSON
    name = factory.Sequence(lambda n: f"Propriétaire {n}")


class DwellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Dwelling

    commune = factory.SubFactory(CommuneFactory)
    department = factory.LazyAttribute(lambda o: o.commune.department)
    street_number = factory.Sequence(lambda n: str(n % 200 + 1))
    street = "rue de la Gare"
    building_type = BuildingType.COLLECTIVE
    tenure = Tenure.LET


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Case

    dwelling = factory.SubFactory(DwellingFactory)
    department = factory.LazyAttribute(lambda o: o.dwelling.department)
    opened_on = datetime.date(2010, 3, 1)
    tenure = factory.LazyAttribute(lambda o: o.dwelling.tenure)


class CaseReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CaseReport

    case = factory.SubFactory(CaseFactory)
    received_on = factory.LazyAttribute(lambda o: o.case.opened_on)
    source = ReportSource.OCCUPANT
    disorders = "Humidité, moisissures, installation électrique dangereuse"


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Visit

    case = factory.SubFactory(CaseFactory)
    visited_on = factory.LazyAttribute(lambda o: o.case.opened_on + datetime.timedelta(days=20))
    findings = "Désordres confirmés"


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CaseQualification

    case = factory.SubFactory(CaseFactory)
    kind = Qualification.REMEDIABLE
    qualified_on = factory.LazyAttribute(lambda o: o.case.opened_on + datetime.timedelta(days=40))


class ActFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Act

    case = factory.SubFactory(CaseFactory)
    kind = ActKind.UNFIT_REMEDIABLE
    signed_on = factory.LazyAttribute(lambda o: o.case.opened_on + datetime.timedelta(days=90))


class PrescribedWorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PrescribedWork

    act = factory.SubFactory(ActFactory)
    description = "Reprise de l'installation électrique"
    deadline = factory.LazyAttribute(lambda o: o.act.signed_on + datetime.timedelta(days=180))


class OperatorFactory(OrganisationFactory):
    kind = OrganisationKind.OPERATOR


class PstDwellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PstDwelling

    dwelling = factory.SubFactory(DwellingFactory)
    department = factory.LazyAttribute(lambda o: o.dwelling.department)
    operator = factory.SubFactory(OperatorFactory)
    convention = Convention.VERY_SOCIAL
    available_on = datetime.date(2010, 6, 1)


class EnergyDiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EnergyDiagnosis

    dwelling = factory.SubFactory(DwellingFactory)
    department = factory.LazyAttribute(lambda o: o.dwelling.department)
    stage = DpeStage.BEFORE
    made_on = datetime.date(2009, 5, 1)
    energy_class = "F"
    kwh_per_m2_year = 380
