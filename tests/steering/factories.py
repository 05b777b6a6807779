import datetime

import factory

from tests.organisations.factories import OrganisationFactory
from toit.steering.enums import CommitteeKind, DecisionStatus, OrderStatus
from toit.steering.models import AgendaItem, Decision, Meeting, StudyOrder


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = CommitteeKind.TECHNICAL
    date = datetime.date(2010, 3, 15)
    place = "Préfecture de la Sarthe, salle 2"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Point {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = "Lancer une étude sur les expulsions en zone rurale."
    status = DecisionStatus.TODO


class StudyOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyOrder

    title = factory.Sequence(lambda n: f"Étude {n}")
    question = "Combien de ménages menacés d'expulsion vivent hors de Le Mans Métropole ?"
    requested_by = factory.SubFactory(OrganisationFactory)
    ordered_on = datetime.date(2010, 5, 1)
    status = OrderStatus.ORDERED
