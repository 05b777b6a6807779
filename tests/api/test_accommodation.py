"""Stays through the API: for the structure's staff only (the manager organisation's key),
scoped in SQL; another organisation's key gets an empty list or a 404, an observatory key
a 403. Each stay read is in the access log. The monthly occupancy of a structure is checked
against a hand computation over a capacity change and stays that cross month boundaries."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.accommodation.factories import CapacityPeriodFactory, StayFactory, StructureFactory
from tests.api.conftest import client_for
from tests.api.factories import make_key
from tests.organisations.factories import member_of
from toit.accommodation.enums import EntryOrigin, ExitDestination
from toit.accommodation.monthly import Month
from toit.audit.enums import AccessAction
from toit.audit.models import AccessLog
from toit.organisations.enums import Role

D = datetime.date
MARKER = "Zqxresidentapi"


@pytest.fixture
def structure(org):
    return StructureFactory(manager=org, name="Maison relais Les Glycines")


@pytest.fixture
def foreign(other_org):
    """A structure of another organisation, with a resident carrying the marker."""
    structure = StructureFactory(manager=other_org, name="Résidence accueil du Pont")
    StayFactory(structure=structure, resident__last_name=MARKER, entry_on=D(2010, 2, 1))
    return structure


@pytest.fixture
def stays(structure):
    return [
        StayFactory(
            structure=structure,
            resident__last_name="Martin",
            entry_on=D(2009, 12, 20),
            exit_on=D(2010, 1, 10),
            destination=ExitDestination.SOCIAL_HOUSING,
        ),
        StayFactory(
            structure=structure,
            resident__last_name="Leroy",
            entry_on=D(2010, 1, 25),
            exit_on=D(2010, 3, 5),
            destination=ExitDestination.HOSPITAL,
            origin=EntryOrigin.HOSPITAL,
        ),
        StayFactory(structure=structure, resident__last_name="Petit", entry_on=D(2010, 2, 10)),
    ]


def names(response):
    assert response.status_code == 200, response.content
    return [row["resident"]["last_name"] for row in response.json()["results"]]


def test_the_staff_key_reads_its_structures_stays_most_recent_first(api, stays, foreign, structure):
    response = api.get("/api/accommodation/stays/")
    assert names(response) == ["Petit", "Leroy", "Martin"]
    leroy = response.json()["results"][1]
    assert leroy["structure"] == {"id": structure.pk, "name": "Maison relais Les Glycines"}
    assert (leroy["entry_on"], leroy["origin"], leroy["exit_on"], leroy["destination"], leroy["length_days"]) == (
        "2010-01-25",
        "hopital",
        "2010-03-05",
        "hopital",
        39,
    )
    petit = response.json()["results"][0]
    assert (petit["exit_on"], petit["destination"], petit["length_days"]) == (None, "", None)
    assert MARKER.encode() not in response.content


def test_filters(api, stays, structure, foreign):
    url = "/api/accommodation/stays/"
    assert names(api.get(url, {"entered_from": "2010-01-01"})) == ["Petit", "Leroy"]
    assert names(api.get(url, {"entered_to": "2010-01-31"})) == ["Leroy", "Martin"]
    assert names(api.get(url, {"exited_from": "2010-02-01", "exited_to": "2010-12-31"})) == ["Leroy"]
    assert names(api.get(url, {"present_on": "2010-03-05"})) == ["Petit"]  # the exit day is not a night
    assert names(api.get(url, {"present_on": "2010-03-04"})) == ["Petit", "Leroy"]
    assert names(api.get(url, {"destination": "logement_social"})) == ["Martin"]
    assert names(api.get(url, {"origin": "hopital"})) == ["Leroy"]
    assert names(api.get(url, {"structure": structure.pk})) == ["Petit", "Leroy", "Martin"]
    # Another organisation's structure: filtered within what the key sees, so nothing.
    assert names(api.get(url, {"structure": foreign.pk})) == []
    per_structure = f"/api/accommodation/structures/{structure.pk}/stays/"
    assert names(api.get(per_structure, {"exited_to": "2010-01-31"})) == ["Martin"]


def test_wrong_filters_say_what_to_fix(api, stays):
    wrong = api.get("/api/accommodation/stays/", {"entered_from": "2010-03-01", "entered_to": "2010-01-01"})
    assert wrong.status_code == 400
    assert "précède le début" in wrong.json()["errors"][0]["detail"]
    typo = api.get("/api/accommodation/stays/", {"entree_du": "2010-01-01"})
    assert typo.status_code == 400 and "Paramètre inconnu" in typo.content.decode()
    # The structure is in the address of a structure's list: no « structure » filter there.
    structure_id = stays[0].structure_id
    again = api.get(f"/api/accommodation/structures/{structure_id}/stays/", {"structure": structure_id})
    assert again.status_code == 400


def test_pages_follow_the_cursor_without_losing_or_repeating_a_stay(api, structure):
    for day in (1, 1, 1, 2, 3):  # the same entry date several times: the id breaks the tie
        StayFactory(structure=structure, entry_on=D(2010, 5, day))
    seen, url = [], "/api/accommodation/stays/?limit=2"
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        assert url is None or "apres=" in url
    assert len(seen) == len(set(seen)) == 5


def test_each_stay_read_is_logged_on_behalf_of_the_organisation(api, key, org, stays, structure):
    api.get("/api/accommodation/stays/", {"limit": 2})
    api.get(f"/api/accommodation/structures/{structure.pk}/stays/", {"entered_from": "2010-02-01"})
    logged = list(AccessLog.objects.order_by("pk"))
    assert [(e.object_type, e.object_id, e.view) for e in logged] == [
        ("accommodation.stay", str(stays[2].pk), "api:accommodation_stays"),
        ("accommodation.stay", str(stays[1].pk), "api:accommodation_stays"),
        ("accommodation.stay", str(stays[2].pk), "api:accommodation_structure_stays"),
    ]
    assert {(e.action, e.organisation_id, e.user_id) for e in logged} == {(AccessAction.API, org.pk, key.key.user_id)}


def test_another_organisations_key_sees_nothing(other_api, stays, structure):
    listed = other_api.get("/api/accommodation/stays/")
    assert listed.status_code == 200 and listed.json()["count"] == 0
    # A structure of another organisation answers as one that does not exist.
    theirs = other_api.get(f"/api/accommodation/structures/{structure.pk}/stays/")
    missing = other_api.get("/api/accommodation/structures/999999/stays/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["detail"] == missing.json()["detail"]
    occupancy = other_api.get(f"/api/accommodation/structures/{structure.pk}/occupancy/")
    assert occupancy.status_code == 404
    assert b"Martin" not in theirs.content + occupancy.content + listed.content
    assert not AccessLog.objects.filter(action=AccessAction.API).exists()
    # The refused attempts are logged as such (the walk of ids leaves a trace).
    assert AccessLog.objects.filter(action=AccessAction.REFUSED).count() == 3


@pytest.mark.parametrize(
    "url",
    [
        "/api/accommodation/stays/",
        "/api/accommodation/structures/{pk}/stays/",
        "/api/accommodation/structures/{pk}/occupancy/",
    ],
)
def test_the_observatory_is_refused(org, stays, structure, url):
    url = url.format(pk=structure.pk)
    # A key of the structure's own organisation with aggregate scopes only: the observatory role.
    aggregates = client_for(make_key(org, scopes=["indicators:read", "publications:read"]).token)
    response = aggregates.get(url)
    assert response.status_code == 403
    assert "stays:read" in response.json()["detail"]
    # Even given the scope's name, a person of the observatory role reads no stay.
    session = Client()
    session.force_login(member_of(org, role=Role.OBSERVATORY))
    refused = session.get(url, HTTP_ACCEPT="application/json")
    assert refused.status_code == 403
    assert "agrégats" in refused.json()["detail"]
    assert b"Martin" not in response.content + refused.content


def test_a_key_without_the_scope_is_refused(org, stays):
    files_only = client_for(make_key(org, scopes=["files:read"]).token)
    response = files_only.get("/api/accommodation/stays/")
    assert response.status_code == 403 and "« stays:read »" in response.json()["detail"]


def test_the_staff_member_reads_through_the_session(client, org, stays):
    client.force_login(member_of(org))
    assert names(client.get("/api/accommodation/stays/", HTTP_ACCEPT="application/json")) == [
        "Petit",
        "Leroy",
        "Martin",
    ]


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(api, structure, django_assert_max_num_queries):
    api.get("/api/me/")  # the key's last use is written once a minute: not in the counts
    StayFactory(structure=structure)
    # key, roles, rate limit, count, page (with structure and resident), access log
    with django_assert_max_num_queries(7):
        assert api.get("/api/accommodation/stays/").status_code == 200
    for _ in range(9):
        StayFactory(structure=structure)
    with django_assert_max_num_queries(7):
        assert len(api.get("/api/accommodation/stays/").json()["results"]) == 10


def test_monthly_occupancy_against_a_hand_computation(api, structure, stays, foreign):
    # 10 places, 12 from 15 February 2010.
    CapacityPeriodFactory(structure=structure, valid_from=D(2010, 1, 1), valid_until=D(2010, 2, 15), places=10)
    CapacityPeriodFactory(structure=structure, valid_from=D(2010, 2, 15), places=12)
    CapacityPeriodFactory(structure=foreign, valid_from=D(2010, 1, 1), places=30)
    response = api.get(
        f"/api/accommodation/structures/{structure.pk}/occupancy/", {"month_from": "2010-01", "month_to": "2010-03"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["structure"] == {"id": structure.pk, "name": "Maison relais Les Glycines"}
    fields = ("month", "available_place_days", "occupied_place_days", "occupancy_rate", "stays", "entries", "exits")
    rows = [tuple(m[f] for f in fields) for m in body["months"]]
    assert rows == [
        # January: 31 × 10 places; Martin's nights of the 1st to the 9th (9) and Leroy's of
        # the 25th to the 31st (7).
        ("2010-01", 310, 16, "5.2", 2, 1, 1),
        # February: 14 days × 10 + 14 days × 12; Leroy 28 nights, Petit from the 10th (19).
        ("2010-02", 308, 47, "15.3", 2, 1, 0),
        # March: 31 × 12; Leroy until the 4th (4), Petit all month (31).
        ("2010-03", 372, 35, "9.4", 2, 0, 1),
    ]
    assert (body["months"][1]["start"], body["months"][1]["end"]) == ("2010-02-01", "2010-02-28")
    # Aggregates: not in the access log.
    assert not AccessLog.objects.exists()


def test_occupancy_months_default_and_bounds(api, structure):
    url = f"/api/accommodation/structures/{structure.pk}/occupancy/"
    months = [m["month"] for m in api.get(url).json()["months"]]
    this_month = Month.of(timezone.localdate())
    assert months[-1] == str(this_month) and months[0] == str(this_month.plus(-11)) and len(months) == 12
    assert [m["occupancy_rate"] for m in api.get(url, {"month_to": "2010-02"}).json()["months"]] == [None] * 12
    reversed_ = api.get(url, {"month_from": "2010-03", "month_to": "2010-01"})
    assert reversed_.status_code == 400 and "inversez-les" in reversed_.content.decode()
    too_long = api.get(url, {"month_from": "2005-01", "month_to": "2010-12"})
    assert too_long.status_code == 400 and "60 mois au plus" in too_long.content.decode()
    malformed = api.get(url, {"month_from": "mars 2010"})
    assert malformed.status_code == 400 and "AAAA-MM" in malformed.content.decode()
    far = api.get(url, {"month_from": "9999-01", "month_to": "9999-12"})  # December's end is no date
    assert far.status_code == 400 and "1900 à 2999" in far.content.decode()
    assert api.get("/api/accommodation/structures/999999/occupancy/").status_code == 404
    huge = api.get("/api/accommodation/stays/", {"structure": 10**30})
    assert huge.status_code == 400


def test_a_month_without_stays_is_read_from_the_summary(api, structure, org):
    from toit.accommodation.records import record_summary

    CapacityPeriodFactory(structure=structure, valid_from=D(2011, 1, 1), places=10)
    record_summary(structure, member_of(org), month=D(2011, 1, 1), occupied_place_days=250, entries=2, exits=1)
    StayFactory(structure=structure, entry_on=D(2011, 2, 1))
    url = f"/api/accommodation/structures/{structure.pk}/occupancy/"
    months = api.get(url, {"month_from": "2011-01", "month_to": "2011-02"}).json()["months"]
    assert [(m["source"], m["occupied_place_days"], m["occupancy_rate"], m["stays"], m["entries"]) for m in months] == [
        ("synthese", 250, "80.6", None, 2),
        ("sejours", 28, "10.0", 1, 1),
    ]
