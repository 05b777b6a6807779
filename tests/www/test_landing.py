"""Each role lands on its own work."""

import datetime

from django.urls import reverse

from tests.eviction.factories import EventFactory, PreventionFileFactory
from tests.organisations.factories import OrganisationFactory, member_of
from toit.eviction.enums import EventKind
from toit.organisations.enums import Role


def test_an_agent_lands_on_queues_and_recent_files(client, django_assert_max_num_queries):
    org = OrganisationFactory(code="CAF72", name="CAF de la Sarthe")
    mine = PreventionFileFactory(opened_by=org)
    EventFactory(file=mine, kind=EventKind.ORDER_TO_PAY, date=datetime.date(2010, 2, 1), organisation=org)
    other = PreventionFileFactory(opened_by=OrganisationFactory(code="AUTRE"))
    EventFactory(file=other, kind=EventKind.ORDER_TO_PAY, date=datetime.date(2010, 2, 1))
    client.force_login(member_of(org))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("home"))
    text = response.text
    assert "Mon travail" in text and "À traiter" in text
    assert mine.reference in text and other.reference not in text
    assert "Files de l'équipe" not in text


def test_a_responsable_sees_the_team_queues(client):
    org = OrganisationFactory(code="CAF72", name="CAF de la Sarthe")
    client.force_login(member_of(org, role=Role.MANAGER))
    text = client.get(reverse("home")).text
    assert "Files de l'équipe, par organisation" in text and "CAF de la Sarthe" in text


def test_the_observatory_lands_on_its_dashboard(client):
    client.force_login(member_of(OrganisationFactory(), role=Role.OBSERVATORY))
    response = client.get(reverse("home"))
    assert response.url == reverse("observatory:home")
