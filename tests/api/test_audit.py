"""Every read of nominative data through the API is in the access log, as an API read by
the key (its service account) on behalf of its organisation."""

import pytest

from tests.api.conftest import make_file
from tests.api.factories import ImportIssueFactory, ImportJobFactory
from tests.api.test_reports import payload
from tests.eviction.factories import ReportFactory
from tests.organisations.factories import member_of
from toit.audit.enums import AccessAction
from toit.audit.models import AccessLog


def entries():
    return list(AccessLog.objects.order_by("pk").values_list("action", "object_type", "object_ref", "view"))


def test_file_list_logs_every_file_shown(api, org, key):
    files = [make_file(org) for _ in range(3)]
    api.get("/api/files/", {"limit": 2})
    logged = AccessLog.objects.order_by("pk")
    assert [e.object_ref for e in logged] == [f.reference for f in reversed(files)][:2]
    entry = logged[0]
    assert entry.action == AccessAction.API and entry.view == "api:files"
    assert entry.user == key.key.user and entry.username == f"api-{key.key.prefix}"
    assert entry.organisation == org
    assert entry.path == "/api/files/?limit=2"


def test_file_detail_is_logged(api, file):
    api.get(f"/api/files/{file.reference}/")
    assert entries() == [(AccessAction.API, "eviction.preventionfile", file.reference, "api:file")]


def test_nothing_read_is_logged_when_nothing_is_shown(other_api, file):
    other_api.get(f"/api/files/{file.reference}/")
    other_api.get("/api/files/")
    # The refused reference is logged as a refusal (issue 10), and nothing as a read.
    assert entries() == [(AccessAction.REFUSED, "api:file", file.reference, "api:file")]


def test_report_reads_and_match_candidates_are_logged(api, org, file, le_mans):
    response = api.post("/api/reports/", payload())
    assert response.status_code == 201
    # Recording writes no read, but the caller learnt which files may be the household's.
    assert entries() == [(AccessAction.API, "eviction.preventionfile", file.reference, "api:reports")]
    report_id = response.json()["id"]
    api.get(f"/api/reports/{report_id}/")
    api.get("/api/reports/")
    assert entries()[1:] == [
        (AccessAction.API, "eviction.report", "", "api:report"),
        (AccessAction.API, "eviction.preventionfile", file.reference, "api:report"),
        (AccessAction.API, "eviction.report", "", "api:reports"),
    ]


def test_import_reads_are_logged(api, org):
    job = ImportJobFactory(organisation=org)
    ImportIssueFactory(job=job)
    api.get("/api/imports/")
    api.get(f"/api/imports/{job.pk}/")
    api.get(f"/api/imports/{job.pk}/errors/")
    b"".join(api.get(f"/api/imports/{job.pk}/errors.csv").streaming_content)
    assert [e[3] for e in entries()] == ["api:imports", "api:import", "api:import_errors", "api:import_errors_csv"]
    assert {e[1] for e in entries()} == {"imports.importjob"}


def test_session_reads_are_logged_without_organisation(client, org, file):
    person = member_of(org)
    client.force_login(person)
    client.get(f"/api/files/{file.reference}/", HTTP_ACCEPT="application/json")
    entry = AccessLog.objects.get()
    assert entry.user == person and entry.action == AccessAction.API and entry.organisation is None


@pytest.mark.parametrize("path", ["/api/indicators/", "/api/publications/", "/api/me/"])
def test_aggregates_are_not_logged(api, path):
    assert api.get(path).status_code == 200
    assert entries() == []


def test_report_list_logs_each_report(api, org):
    reports = [ReportFactory(reporting_organisation=org) for _ in range(2)]
    api.get("/api/reports/")
    assert sorted(AccessLog.objects.values_list("object_id", flat=True)) == sorted(str(r.pk) for r in reports)
