"""Files through the API: the same visibility as the web pages, filters, the timeline,
adding events through procedure.add_event."""

import datetime

import pytest

from tests.api.conftest import client_for, make_file
from tests.api.factories import make_key
from tests.api.test_auth import assert_problem
from tests.eviction.factories import EventFactory, prefecture
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory
from toit.eviction import access
from toit.eviction.enums import EventKind, JudgmentOutcome, ParticipantReason
from toit.eviction.models import Event

D = datetime.date


def references(response):
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_unrelated_organisation_gets_404_like_a_file_that_does_not_exist(api, other_api, file):
    missing = other_api.get("/api/files/PX-2222-2222/")
    hidden = other_api.get(f"/api/files/{file.reference}/")
    assert_problem(missing, 404, "introuvable")
    assert_problem(hidden, 404, "introuvable")
    assert missing.json()["detail"] == hidden.json()["detail"]
    assert api.get(f"/api/files/{file.reference}/").status_code == 200


def test_unrelated_organisation_never_sees_the_file_in_lists(other_api, file):
    assert references(other_api.get("/api/files/")) == []
    assert references(other_api.get("/api/files/", {"commune": file.household.commune.insee_code})) == []
    assert references(other_api.get("/api/files/", {"stage": "ouvert"})) == []


def test_unrelated_organisation_cannot_add_events(other_api, file):
    response = other_api.post(
        f"/api/files/{file.reference}/events/", {"kind": "commandement_payer", "date": "2010-02-01"}
    )
    assert_problem(response, 404, "introuvable")
    assert not Event.objects.exists()


def test_a_participant_sees_a_file_shared_with_it(other_org, other_api, file, org, key):
    access.share_file(file, other_org, key.key.user, org)
    assert references(other_api.get("/api/files/")) == [file.reference]


def test_reference_written_loosely(api, file):
    loose = file.reference.lower().replace("-", " ")
    assert api.get(f"/api/files/{loose}/").json()["reference"] == file.reference


def test_filters(api, org, le_mans):
    other_commune = CommuneFactory()
    old = make_file(org, commune=le_mans, opened_on=D(2009, 5, 1))
    recent = make_file(org, commune=other_commune, opened_on=D(2011, 3, 1))
    EventFactory(file=recent, kind=EventKind.SUMMONS, date=D(2011, 4, 1), hearing_date=D(2011, 6, 1))
    assert references(api.get("/api/files/")) == [recent.reference, old.reference]
    assert references(api.get("/api/files/", {"commune": "72181"})) == [old.reference]
    assert references(api.get("/api/files/", {"opened_from": "2010-01-01"})) == [recent.reference]
    assert references(api.get("/api/files/", {"opened_to": "2010-01-01"})) == [old.reference]
    assert references(api.get("/api/files/", {"stage": "assignation"})) == [recent.reference]
    assert references(api.get("/api/files/", {"stage": "ouvert,assignation"})) == [recent.reference, old.reference]
    assert references(api.get("/api/files/?stage=ouvert&stage=jugement")) == [old.reference]


@pytest.mark.parametrize(
    ("params", "parameter", "words"),
    [
        ({"stage": "fini"}, "stage", "valeurs admises"),
        ({"commune": "72999"}, "commune", "code INSEE"),
        ({"opened_from": "01/02/2010"}, "opened_from", "format"),
        ({"opened_from": "2010-05-01", "opened_to": "2010-01-01"}, "opened_to", "inversez"),
        ({"limit": "0"}, "limit", "entre 1 et 100"),
        ({"limit": "1000"}, "limit", "entre 1 et 100"),
        ({"offset": "-1"}, "offset", "supérieur ou égal à 0"),
        ({"sort": "name"}, "sort", "paramètres admis"),
    ],
)
def test_invalid_parameters_say_which_and_how_to_fix(api, params, parameter, words):
    body = assert_problem(api.get("/api/files/", params), 400, "parametre-invalide")
    assert [e["parameter"] for e in body["errors"]] == [parameter]
    assert words in body["errors"][0]["detail"]


def test_pagination(api, org):
    files = [make_file(org, opened_on=D(2010, 1, day)) for day in range(1, 6)]
    expected = [f.reference for f in reversed(files)]
    first = api.get("/api/files/", {"limit": 2}).json()
    assert first["count"] == 5 and [r["reference"] for r in first["results"]] == expected[:2]
    second = api.get(first["next"]).json()
    assert [r["reference"] for r in second["results"]] == expected[2:4]
    assert api.get("/api/files/", {"limit": 2, "offset": 4}).json()["next"] is None


def test_detail_has_household_participants_stage_deadlines_and_timeline(api, file):
    EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2010, 3, 1), hearing_date=D(2099, 5, 1))
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 2, 1), amount="1500.00")
    body = api.get(f"/api/files/{file.reference}/").json()
    assert body["household"]["members"][0]["last_name"] == "Dupont"
    assert body["participants"][0]["reason"] == ParticipantReason.OPENING
    assert body["stage"]["code"] == "assignation" and body["stage"]["since"] == "2010-03-01"
    assert [e["kind"] for e in body["events"]] == ["commandement_payer", "assignation"]
    assert body["events"][0]["amount"] == "1500.00" and body["events"][1]["hearing_date"] == "2099-05-01"
    assert "hearing" in {d["code"] for d in body["deadlines"]}
    assert body["cancelled_at"] is None and body["cancellation_reason"] == ""
    assert {n: body[n] for n in ("lease_signed_on", "landlord_kind", "monthly_rent")} == {
        "lease_signed_on": None,
        "landlord_kind": file.landlord_kind,
        "monthly_rent": None if file.monthly_rent is None else str(file.monthly_rent),
    }


def test_a_cancelled_file_says_so_to_its_participants_and_refuses_events(api, file, org):
    """Cancelled, a file leaves the lists; its participants reading it by reference are told
    when and why, rather than handed a file that looks active, and it takes no new event."""
    from toit.eviction.corrections import cancel_file

    cancel_file(file, member_of(org), "Doublon du dossier ouvert la veille par erreur")
    assert references(api.get("/api/files/")) == []
    body = api.get(f"/api/files/{file.reference}/").json()
    assert body["cancelled_at"] and body["cancellation_reason"] == "Doublon du dossier ouvert la veille par erreur"
    response = api.post(f"/api/files/{file.reference}/events/", {"kind": "commandement_payer", "date": "2010-02-01"})
    assert response.status_code in (409, 422), response.content
    assert not Event.objects.filter(file=file).exists()


def test_add_event(api, file, org):
    response = api.post(
        f"/api/files/{file.reference}/events/",
        {"kind": "commandement_payer", "date": "2010-02-01", "amount": "1200.50", "note": "Huissier X"},
    )
    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert (event.kind, event.date, str(event.amount), event.note) == (
        "commandement_payer",
        D(2010, 2, 1),
        "1200.50",
        "Huissier X",
    )
    assert event.organisation == org and event.recorded_by.api_key.organisation == org
    assert response.json()["id"] == event.pk and response.json()["organisation"]["code"] == org.code


def test_chronology_error_is_a_422_that_names_the_conflicting_event(api, file):
    response = api.post(
        f"/api/files/{file.reference}/events/",
        {"kind": "jugement", "date": "2010-02-01", "judgment_outcome": JudgmentOutcome.TERMINATION},
    )
    body = assert_problem(response, 422, "regle-metier")
    assert body["errors"] == [{"pointer": "/date", "detail": body["errors"][0]["detail"]}]
    assert "jugement du 01/02/2010" in body["errors"][0]["detail"]
    assert "assignation" in body["errors"][0]["detail"]
    assert not Event.objects.exists()


def test_eviction_during_the_winter_truce(api, file):
    EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2010, 3, 1), hearing_date=D(2010, 5, 1))
    EventFactory(file=file, kind=EventKind.JUDGMENT, date=D(2010, 6, 1), judgment_outcome=JudgmentOutcome.TERMINATION)
    EventFactory(file=file, kind=EventKind.ORDER_TO_LEAVE, date=D(2010, 7, 1))
    body = assert_problem(
        api.post(f"/api/files/{file.reference}/events/", {"kind": "expulsion", "date": "2011-01-10"}),
        422,
        "regle-metier",
    )
    assert "trêve hivernale" in body["detail"]
    assert body["errors"][0]["pointer"] == "/truce_ground"
    # With its ground (the household is rehoused), the eviction is recorded.
    response = api.post(
        f"/api/files/{file.reference}/events/",
        {"kind": "expulsion", "date": "2011-01-10", "truce_ground": "relogement_assure"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["truce_ground"] == "relogement_assure"


def test_field_the_kind_requires(api, file):
    body = assert_problem(
        api.post(f"/api/files/{file.reference}/events/", {"kind": "assignation", "date": "2010-02-01"}),
        422,
        "regle-metier",
    )
    assert {e["pointer"] for e in body["errors"]} == {"/hearing_date"}


def test_event_in_the_future(api, file):
    body = assert_problem(
        api.post(f"/api/files/{file.reference}/events/", {"kind": "commandement_payer", "date": "2999-01-01"}),
        422,
        "regle-metier",
    )
    assert "dans le futur" in body["errors"][0]["detail"]


@pytest.mark.parametrize(
    ("payload", "pointer"),
    [
        ({"date": "2010-02-01"}, "/kind"),
        ({"kind": "diagnostic_demande", "date": "2010-02-01"}, "/kind"),
        ({"kind": "commandement_payer", "date": "1er février"}, "/date"),
        ({"kind": "commandement_payer", "date": "2010-02-01", "amount": "beaucoup"}, "/amount"),
        ({"kind": "commandement_payer", "date": "2010-02-01", "montant": "12"}, "/montant"),
    ],
)
def test_malformed_event_is_a_400_with_the_field(api, file, payload, pointer):
    body = assert_problem(api.post(f"/api/files/{file.reference}/events/", payload), 400, "requete-invalide")
    assert pointer in {e["pointer"] for e in body["errors"]}


def test_key_acts_only_for_its_organisation(api, file, other_org):
    response = api.post(
        f"/api/files/{file.reference}/events/",
        {"kind": "commandement_payer", "date": "2010-02-01", "organisation": other_org.code},
    )
    body = assert_problem(response, 403, "acces-refuse")
    assert "ADIL72" in body["detail"]


def test_a_person_in_two_participating_organisations_names_one(client, org, file):
    second = OrganisationFactory(code="CAF72")
    access.grant(file, second, ParticipantReason.SHARING)
    person = member_of(org)
    from toit.organisations.models import Membership

    Membership.objects.create(user=person, organisation=second, role="agent")
    client.force_login(person)
    url = f"/api/files/{file.reference}/events/"
    payload = {"kind": "commandement_payer", "date": "2010-02-01"}
    body = assert_problem(client.post(url, payload, content_type="application/json"), 422, "regle-metier")
    assert body["errors"][0]["pointer"] == "/organisation" and "CAF72" in body["detail"]
    response = client.post(url, {**payload, "organisation": "caf72"}, content_type="application/json")
    assert response.status_code == 201 and Event.objects.get().organisation == second


def test_prefecture_joins_the_file_from_the_summons(api, file):
    office = prefecture()
    response = api.post(
        f"/api/files/{file.reference}/events/",
        {"kind": "assignation", "date": "2010-03-01", "hearing_date": "2010-05-01"},
    )
    assert response.status_code == 201
    office_api = client_for(make_key(office).token)
    assert office_api.get(f"/api/files/{file.reference}/").status_code == 200
