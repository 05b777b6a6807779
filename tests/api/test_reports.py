"""Reports of unpaid rent sent by partners' systems: intake.record_report, the candidate
files of find_matches, attaching and opening a file."""

import datetime

import pytest

from tests.api.conftest import client_for, make_file
from tests.api.factories import make_key
from tests.api.test_auth import assert_problem
from tests.eviction.factories import ReportFactory, social_landlord
from tests.organisations.factories import OrganisationFactory
from toit.api.enums import Scope
from toit.eviction import access
from toit.eviction.enums import EventKind, ParticipantReason
from toit.eviction.models import Event, PreventionFile, Report
from toit.organisations.enums import OrganisationKind

D = datetime.date


@pytest.fixture
def caf():
    return OrganisationFactory(code="CAF72", name="CAF de la Sarthe", kind=OrganisationKind.CAF_MSA)


@pytest.fixture
def caf_api(caf, le_mans):
    return client_for(make_key(caf, scopes=[Scope.REPORTS_WRITE, Scope.REPORTS_READ]).token)


def payload(**overrides):
    return {
        "source": "caf_msa",
        "reported_on": "2010-03-01",
        "debt_amount": "1200.00",
        "months_unpaid": 3,
        "last_name": "DUPONT",
        "first_name": "sylvie",
        "birth_date": "1975-04-12",
        "street": "12 rue de la Gare",
        "commune": "72181",
        "sector": "parc_prive",
        **overrides,
    }


@pytest.fixture
def shared(file, caf):
    """The file, which the CAF follows (shared with it)."""
    access.grant(file, caf, ParticipantReason.SHARING)
    return file


def test_submission_records_the_report_and_proposes_the_matching_files(caf_api, caf, shared, org, le_mans):
    response = caf_api.post("/api/reports/", payload())
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.reporting_organisation == caf and report.recorded_by.api_key.organisation == caf
    assert (report.last_name, report.commune, str(report.debt_amount)) == ("DUPONT", le_mans, "1200.00")
    assert report.file is None  # Toit never attaches on its own
    body = response.json()
    assert response["Location"] == body["url"]
    [match] = body["matches"]
    assert match["reference"] == shared.reference and match["same_person"] is True
    assert match["opened_by"] == {"code": org.code, "name": org.name}
    assert match["visible"] is True and match["url"].endswith(f"/api/files/{shared.reference}/")
    assert body["status"] == "a_rattacher"


def test_a_file_the_caf_does_not_follow_is_not_proposed(caf_api, file):
    body = caf_api.post("/api/reports/", payload()).json()
    assert body["matches"] == [] and body["status"] == "transmis"
    assert file.reference not in str(body)


def test_attach_to_a_proposed_file(caf_api, caf, shared):
    report_id = caf_api.post("/api/reports/", payload()).json()["id"]
    response = caf_api.post(f"/api/reports/{report_id}/attach/", {"file": shared.reference})
    assert response.status_code == 200, response.content
    assert response.json()["file"] == shared.reference and response.json()["status"] == "rattache"
    report = Report.objects.get()
    assert report.file == shared and report.matched_by.api_key.organisation == caf
    assert not shared.participants.filter(organisation=caf, reason=ParticipantReason.REPORT).exists()
    assert Event.objects.get(file=shared).kind == EventKind.UNPAID_REPORTED


def test_attach_only_to_a_proposed_file(caf_api, org):
    unrelated = make_file(org, last_name="Martin", first_name="Paul")
    report_id = caf_api.post("/api/reports/", payload()).json()["id"]
    body = assert_problem(
        caf_api.post(f"/api/reports/{report_id}/attach/", {"file": unrelated.reference}), 422, "regle-metier"
    )
    assert body["errors"][0]["pointer"] == "/file" and "rapprochements proposés" in body["detail"]
    assert Report.objects.get().file is None


def test_attach_twice(caf_api, shared):
    report_id = caf_api.post("/api/reports/", payload()).json()["id"]
    caf_api.post(f"/api/reports/{report_id}/attach/", {"file": shared.reference})
    body = assert_problem(
        caf_api.post(f"/api/reports/{report_id}/attach/", {"file": shared.reference}), 422, "regle-metier"
    )
    assert "déjà rattaché" in body["detail"] or "rapprochements" in body["detail"]


def test_open_a_file_from_the_report(caf_api, caf, le_mans):
    report_id = caf_api.post("/api/reports/", payload()).json()["id"]
    response = caf_api.post(f"/api/reports/{report_id}/open-file/", {"phone": "02 43 00 00 00"})
    assert response.status_code == 201, response.content
    file = PreventionFile.objects.get()
    assert response.json()["reference"] == file.reference
    assert file.opened_by == caf and file.household.commune == le_mans and file.household.phone == "02 43 00 00 00"
    assert Report.objects.get().file == file


def test_open_a_file_needs_the_address(caf_api):
    report_id = caf_api.post("/api/reports/", payload(street="", commune=None)).json()["id"]
    body = assert_problem(caf_api.post(f"/api/reports/{report_id}/open-file/", {}), 422, "regle-metier")
    assert {e["pointer"] for e in body["errors"]} == {"/street", "/commune"}


@pytest.mark.parametrize(
    ("overrides", "pointer", "words"),
    [
        ({"source": "voisin"}, "/source", "valeurs admises"),
        ({"debt_amount": "mille"}, "/debt_amount", "nombre"),
        ({"commune": "72000"}, "/commune", "code INSEE"),
        ({"last_name": ""}, "/last_name", ""),
        ({"reported_on": "2010-13-01"}, "/reported_on", "format"),
        ({"social_landlord": "INCONNU"}, "/social_landlord", "Organisation inconnue"),
        ({"nom": "x"}, "/nom", "Champ inconnu"),
    ],
)
def test_malformed_report_is_a_400_with_the_field(caf_api, le_mans, overrides, pointer, words):
    body = assert_problem(caf_api.post("/api/reports/", payload(**overrides)), 400, "requete-invalide")
    assert pointer in {e["pointer"] for e in body["errors"]}
    assert words in " ".join(e["detail"] for e in body["errors"])
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "pointer", "words"),
    [
        ({"reported_on": "2999-01-01"}, "/reported_on", "futur"),
        ({"debt_amount": "-5"}, "", "négatif"),
        ({"social_landlord": "ADIL72"}, "/social_landlord", "pas un bailleur social"),
    ],
)
def test_report_refused_by_the_domain_is_a_422(caf_api, le_mans, org, overrides, pointer, words):
    body = assert_problem(caf_api.post("/api/reports/", payload(**overrides)), 422, "regle-metier")
    assert any(e["pointer"] == pointer and words in e["detail"] for e in body["errors"]), body
    assert not Report.objects.exists()


def test_social_landlord_by_code(caf_api, le_mans):
    landlord = social_landlord()
    response = caf_api.post("/api/reports/", payload(sector="parc_social", social_landlord=landlord.code.lower()))
    assert response.status_code == 201, response.content
    assert Report.objects.get().social_landlord == landlord


def test_reports_of_another_organisation_are_not_visible(caf_api, other_api):
    report_id = caf_api.post("/api/reports/", payload()).json()["id"]
    assert_problem(other_api.get(f"/api/reports/{report_id}/"), 404, "introuvable")
    assert other_api.get("/api/reports/").json()["count"] == 0
    assert_problem(other_api.post(f"/api/reports/{report_id}/attach/", {"file": "PX-2222-2222"}), 404, "introuvable")
    assert caf_api.get("/api/reports/").json()["count"] == 1


def test_report_list_filters(caf_api, caf, file):
    ReportFactory(reporting_organisation=caf, reported_on=D(2009, 1, 1))
    ReportFactory(reporting_organisation=caf, reported_on=D(2010, 6, 1))
    assert caf_api.get("/api/reports/", {"reported_from": "2010-01-01"}).json()["count"] == 1
    assert caf_api.get("/api/reports/", {"matched": "false"}).json()["count"] == 2
    assert caf_api.get("/api/reports/", {"matched": "true"}).json()["count"] == 0
    assert_problem(caf_api.get("/api/reports/", {"matched": "peut-être"}), 400, "parametre-invalide")


def test_report_detail_proposes_matches_until_attached(caf_api, shared):
    report_id = caf_api.post("/api/reports/", payload()).json()["id"]
    assert [m["reference"] for m in caf_api.get(f"/api/reports/{report_id}/").json()["matches"]] == [shared.reference]
    caf_api.post(f"/api/reports/{report_id}/attach/", {"file": shared.reference})
    assert caf_api.get(f"/api/reports/{report_id}/").json()["matches"] == []


def test_writing_reports_needs_the_scope(caf, file):
    reader = client_for(make_key(caf, scopes=[Scope.REPORTS_READ]).token)
    assert_problem(reader.post("/api/reports/", payload()), 403, "permission-manquante")


def test_the_lease_given_with_the_report_becomes_the_files(caf_api):
    lease = {"lease_signed_on": "2019-03-01", "landlord_kind": "sci_familiale", "monthly_rent": "450.50"}
    response = caf_api.post("/api/reports/", payload(**lease))
    assert response.status_code == 201, response.content
    body = response.json()
    assert {name: body[name] for name in lease} == lease
    caf_api.post(f"/api/reports/{body['id']}/open-file/", {})
    file = PreventionFile.objects.get()
    assert (str(file.lease_signed_on), file.landlord_kind, str(file.monthly_rent)) == tuple(lease.values())


@pytest.mark.parametrize(
    ("overrides", "pointer", "words"),
    [
        ({"monthly_rent": "-1.00"}, "/monthly_rent", "Le loyer mensuel ne peut pas être négatif"),
        ({"lease_signed_on": "2030-01-01"}, "/lease_signed_on", "Date dans le futur"),
        ({"lease_signed_on": "1850-01-01"}, "/lease_signed_on", "antérieure à 1900"),
        ({"landlord_kind": "bailleur_inconnu"}, "/landlord_kind", "valeurs admises"),
        ({"monthly_rent": "beaucoup"}, "/monthly_rent", "nombre"),
    ],
)
def test_an_impossible_lease_is_a_400_in_french_and_nothing_is_written(caf_api, overrides, pointer, words):
    body = assert_problem(caf_api.post("/api/reports/", payload(**overrides)), 400, "requete-invalide")
    assert pointer in {e["pointer"] for e in body["errors"]}
    assert words in " ".join(e["detail"] for e in body["errors"])
    assert not Report.objects.exists()
