import datetime as dt

from django.test import Client

from tests.accommodation.factories import CapacityPeriodFactory, StayFactory, StructureFactory
from tests.organisations.factories import OrganisationFactory, member_of
from toit.organisations.enums import Role


def test_structures_with_their_places_on_a_date_and_no_resident():
    structure = StructureFactory(name="Maison relais du Pont")
    CapacityPeriodFactory(
        structure=structure, valid_from=dt.date(2009, 1, 1), valid_until=dt.date(2010, 7, 1), places=10
    )
    CapacityPeriodFactory(structure=structure, valid_from=dt.date(2010, 7, 1), places=14)
    StayFactory(structure=structure, resident__last_name="Zqxapiresident")
    client = Client()
    client.force_login(member_of(OrganisationFactory(), role=Role.OBSERVATORY))
    response = client.get("/api/accommodation/structures/", {"department": "72", "on": "2010-06-30"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["name"], row["places"], row["kind"]) == ("Maison relais du Pont", 10, "maison_relais")
    assert client.get("/api/accommodation/structures/", {"on": "2010-07-01"}).json()["results"][0]["places"] == 14
    assert b"Zqxapiresident" not in response.content
    refused = client.get("/api/accommodation/structures/", {"department": "99"})
    assert refused.status_code == 400
    assert "Département inconnu" in refused.content.decode()
