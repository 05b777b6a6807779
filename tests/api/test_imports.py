"""Import jobs and their error reports, for the organisation's own jobs only."""

import csv
import io

import pytest

from tests.api.conftest import client_for
from tests.api.factories import ImportIssueFactory, ImportJobFactory, make_key
from tests.api.test_auth import assert_problem
from toit.api.enums import Scope
from toit.imports.enums import JobStatus


@pytest.fixture
def job(org):
    job = ImportJobFactory(organisation=org, error_count=3, rejected_rows=2)
    ImportIssueFactory(job=job, line_number=None, column="", value="", message="Colonne « Montant » absente")
    ImportIssueFactory(job=job, line_number=7, column="Nom", value='=HYPERLINK("http://x")', message="Nom suspect")
    ImportIssueFactory(job=job, line_number=3)
    return job


def test_list_and_detail(api, job, org):
    other = ImportJobFactory()  # another organisation's
    body = api.get("/api/imports/").json()
    assert [j["id"] for j in body["results"]] == [job.pk]
    detail = api.get(f"/api/imports/{job.pk}/").json()
    assert detail["organisation"]["code"] == org.code and detail["status"] == JobStatus.DONE
    assert detail["errors_csv_url"].endswith(f"/api/imports/{job.pk}/errors.csv")
    assert_problem(api.get(f"/api/imports/{other.pk}/"), 404, "introuvable")


def test_filters(api, org, job):
    ImportJobFactory(organisation=org, status=JobStatus.FAILED, failure="Fichier illisible")
    assert api.get("/api/imports/", {"status": "echec"}).json()["count"] == 1
    assert api.get("/api/imports/", {"created_to": "2000-01-01"}).json()["count"] == 0
    assert_problem(api.get("/api/imports/", {"status": "fini"}), 400, "parametre-invalide")


def test_error_report_in_file_order(api, job):
    body = api.get(f"/api/imports/{job.pk}/errors/").json()
    assert body["count"] == 3
    assert [e["line"] for e in body["results"]] == [None, 3, 7]
    assert body["results"][0]["message"] == "Colonne « Montant » absente"


def test_error_report_csv_neutralises_formulas(api, job):
    response = api.get(f"/api/imports/{job.pk}/errors.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffLigne;Colonne;Valeur;Erreur;Attendu")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [line[0] for line in lines[1:]] == ["", "3", "7"]
    assert lines[3][2] == '\'=HYPERLINK("http://x")'


def test_another_organisation_gets_404_on_everything(other_api, job):
    assert other_api.get("/api/imports/").json()["count"] == 0
    for url in (f"/api/imports/{job.pk}/", f"/api/imports/{job.pk}/errors/", f"/api/imports/{job.pk}/errors.csv"):
        assert_problem(other_api.get(url), 404, "introuvable")


def test_imports_need_the_scope(org, job):
    client = client_for(make_key(org, scopes=[Scope.FILES_READ]).token)
    assert_problem(client.get("/api/imports/"), 403, "permission-manquante")
    assert_problem(client.get(f"/api/imports/{job.pk}/errors.csv"), 403, "permission-manquante")
