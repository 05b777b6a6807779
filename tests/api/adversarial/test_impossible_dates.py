"""Dates no person or report can have (born in 2099, in the year 1, after being reported;
a report or an act dated before 1900) are refused through the API as the file import
refuses them, in the same words: both paths call toit.eviction.dates."""

import pytest

from tests.api.conftest import make_file
from tests.api.test_auth import assert_problem
from tests.api.test_reports import caf, caf_api, payload  # noqa: F401 - fixtures
from toit.eviction.models import Event, PreventionFile, Report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "pointer", "words"),
    [
        ({"birth_date": "2099-01-01"}, "/birth_date", "Date dans le futur (nous sommes le 06/12/2026)"),
        ({"birth_date": "0001-01-01"}, "/birth_date", "Date antérieure à 1900"),
        ({"birth_date": "1899-12-31"}, "/birth_date", "Date antérieure à 1900"),
        ({"birth_date": "2010-03-02"}, "/birth_date", "postérieure à la date du signalement (01/03/2010)"),
        ({"reported_on": "0001-01-01", "birth_date": None}, "/reported_on", "Date antérieure à 1900"),
        ({"reported_on": "2999-01-01"}, "/reported_on", "Date dans le futur"),
    ],
)
def test_impossible_dates_of_a_report_are_refused(caf_api, overrides, pointer, words):  # noqa: F811
    body = assert_problem(caf_api.post("/api/reports/", payload(**overrides)), 422, "regle-metier")
    assert [e["pointer"] for e in body["errors"]] == [pointer], body
    assert words in body["errors"][0]["detail"], body
    assert not Report.objects.exists()


def test_born_on_the_day_of_the_report_is_possible(caf_api):  # noqa: F811
    response = caf_api.post("/api/reports/", payload(birth_date="2010-03-01"))
    assert response.status_code == 201, response.content


def test_a_stored_report_with_an_impossible_birth_date_opens_no_file(caf_api):  # noqa: F811
    """A report written before the rule (or by hand in the database) cannot carry its
    impossible date into a household."""
    report_id = caf_api.post("/api/reports/", payload()).json()["id"]
    Report.objects.filter(pk=report_id).update(birth_date="2099-01-01")
    body = assert_problem(caf_api.post(f"/api/reports/{report_id}/open-file/", {}), 422, "regle-metier")
    assert body["errors"][0]["pointer"] == "/birth_date" and "Date dans le futur" in body["errors"][0]["detail"]
    assert not PreventionFile.objects.exists()


@pytest.mark.parametrize("field", ["date", "hearing_date", "prefect_notified_on"])
def test_acts_before_1900_are_refused(api, org, le_mans, field):
    file = make_file(org, commune=le_mans)
    body = {"kind": "assignation", "date": "2010-02-01", "hearing_date": "2010-04-01", field: "0001-01-01"}
    response = api.post(f"/api/files/{file.reference}/events/", body)
    problem = assert_problem(response, 422, "regle-metier")
    assert any(e["pointer"] == f"/{field}" and "Date antérieure à 1900" in e["detail"] for e in problem["errors"])
    assert not Event.objects.exists()
