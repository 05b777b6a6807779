"""Requests as a hostile or careless client sends them, built here: NUL characters in
every text field and parameter, deeply nested JSON, oversized bodies, requests with no
key or a wrong one. Each gets a problem detail (400, 413, 429), never a 500."""

import json

import pytest
from django.test import Client

from tests.api.conftest import client_for
from tests.api.factories import make_key
from tests.api.test_auth import assert_problem
from tests.api.test_reports import payload
from tests.organisations.factories import OrganisationFactory
from toit.api.enums import Scope
from toit.api.models import RequestCount
from toit.eviction.models import Report
from toit.organisations.enums import OrganisationKind

pytestmark = pytest.mark.django_db
TEXT_FIELDS = ["source", "reported_on", "debt_amount", "last_name", "first_name", "birth_date", "street", "commune"]


@pytest.fixture
def caf_api(le_mans):
    caf = OrganisationFactory(code="CAF72", name="CAF de la Sarthe", kind=OrganisationKind.CAF_MSA)
    return client_for(make_key(caf, scopes=[Scope.REPORTS_WRITE, Scope.REPORTS_READ]).token)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_nul_in_every_text_field_of_a_report_is_a_400(caf_api, field):
    body = assert_problem(caf_api.post("/api/reports/", payload(**{field: "72\x00181"})), 400, "requete-invalide")
    assert body["errors"] == [
        {"pointer": f"/{field}", "detail": "Caractère nul (U+0000) interdit : retirez-le de la valeur."}
    ]
    assert not Report.objects.exists()


def test_nul_in_a_key_of_the_body_and_in_open_file(caf_api):
    assert_problem(caf_api.post("/api/reports/", {**payload(), "x\x00": "1"}), 400, "requete-invalide")
    report = caf_api.post("/api/reports/", payload()).json()["id"]
    for body in ({"phone": "02\x0043"}, {"street": "\x00", "commune": "72181"}, {"members": [{"last_name": "\x00"}]}):
        response = caf_api.post(f"/api/reports/{report}/open-file/", body)
        assert response.status_code == 400, (body, response.content)


@pytest.mark.parametrize(
    "url",
    [
        "/api/files/?commune=%00",
        "/api/files/?commune=72%00181",
        "/api/files/?%00=1",
        "/api/reports/?commune=%00",
        "/api/files/%00/",
        "/api/files/PX-%00/events/",
        "/api/imports/?status=%00",
    ],
)
def test_nul_in_the_address_is_a_400(api, url):
    response = api.get(url)
    assert response.status_code in (400, 404), response.content
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("depth", [33, 10_000, 100_000])
def test_deeply_nested_json_is_a_400(caf_api, depth):
    body = "[" * depth + "]" * depth
    response = caf_api.post("/api/reports/", body, content_type="application/json")
    problem = assert_problem(response, 400, "json-invalide")
    assert "imbriqué" in problem["detail"]


def test_a_body_past_the_limit_is_a_413_on_its_announced_length(caf_api, settings):
    big = json.dumps({**payload(), "street": "x" * 2_700_000})
    response = caf_api.post("/api/reports/", big, content_type="application/json")
    problem = assert_problem(response, 413, "corps-trop-volumineux")
    assert "2.7 Mo annoncés" in problem["detail"] or "2,7" in problem["detail"] or "annoncés" in problem["detail"]
    assert not Report.objects.exists()


def test_a_body_is_never_read_past_the_limit(caf_api):
    """A client that announces a small length but sends more (chunked, or lying): the
    parser stops reading at the limit."""
    from io import BytesIO

    from rest_framework.exceptions import APIException

    from toit.api.parsers import JSONParser

    class Request:
        META = {"CONTENT_LENGTH": "10"}

    stream = BytesIO(b"[" + b" " * 3_000_000 + b"]")
    with pytest.raises(APIException) as caught:
        JSONParser().parse(stream, parser_context={"request": Request()})
    assert caught.value.status_code == 413
    assert stream.tell() == 2_621_441  # the limit and one byte, never the rest


def test_requests_with_no_key_or_a_bad_key_are_throttled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api_anonyme": "3/min"},
    }
    anonymous, guessing = Client(), client_for("toit_abcdefgh_" + "x" * 40)
    statuses = [anonymous.get("/api/me/").status_code for _ in range(2)]
    statuses += [guessing.get("/api/files/").status_code for _ in range(3)]
    assert statuses == [401, 401, 401, 429, 429]
    response = guessing.get("/api/me/")
    body = assert_problem(response, 429, "trop-de-requetes")
    assert int(response["Retry-After"]) == body["retry_after"] > 0


def test_the_counts_are_shared_by_every_process(api, key, settings):
    """The count is a row of the database, not a process's memory: a request counted by
    another process (here, a row written directly) counts against the same limit."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "5/min"}}
    assert api.get("/api/me/").status_code == 200
    [row] = RequestCount.objects.filter(ident=f"toit-api:cle:{key.key.prefix}")
    assert row.hits == 1
    RequestCount.objects.filter(pk=row.pk).update(hits=5)  # four more, from another worker
    assert_problem(api.get("/api/me/"), 429, "trop-de-requetes")
    # A new window starts the count again, in the same row.
    RequestCount.objects.filter(pk=row.pk).update(window_start=row.window_start - 60)
    assert api.get("/api/me/").status_code == 200
    assert RequestCount.objects.get(pk=row.pk).hits == 1
