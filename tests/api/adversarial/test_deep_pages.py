"""Deep pages: the `next` link of the reports, files and imports lists carries a keyset
cursor, so that page 100 000 costs what page 2 costs; offsets stop at MAX_OFFSET;
forged cursors are a 400."""

import datetime

import pytest

from tests.api.test_auth import assert_problem
from tests.api.test_reports import caf, caf_api, payload  # noqa: F401 - fixtures
from toit.api import pagination
from toit.eviction.models import Report

pytestmark = pytest.mark.django_db
D = datetime.date


def test_walking_the_reports_by_cursor_reads_each_once(caf_api):  # noqa: F811
    for day in (1, 1, 1, 2, 2, 3, 5):
        assert caf_api.post("/api/reports/", payload(reported_on=f"2010-03-0{day}")).status_code == 201
    expected = list(Report.objects.order_by("-reported_on", "-pk").values_list("pk", flat=True))
    seen, url, pages = [], "/api/reports/?limit=2", 0
    while url:
        body = caf_api.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url, pages = body["next"], pages + 1
        if url:
            assert "apres=" in url and "offset=" not in url
        assert body["count"] == 7
    assert seen == expected and pages == 4


def test_the_cursor_page_uses_the_index_not_an_offset(caf_api):  # noqa: F811
    for day in (1, 2, 3):
        caf_api.post("/api/reports/", payload(reported_on=f"2010-03-0{day}"))
    second = caf_api.get("/api/reports/?limit=1").json()["next"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert caf_api.get(second).status_code == 200
    page = [q["sql"] for q in context.captured_queries if "LIMIT" in q["sql"] and "OFFSET" not in q["sql"]]
    assert any('"reported_on" <' in sql for sql in page), [q["sql"] for q in context.captured_queries]


def test_deep_offsets_are_refused_with_the_way_to_go(caf_api):  # noqa: F811
    body = assert_problem(
        caf_api.get("/api/reports/", {"offset": pagination.MAX_OFFSET + 1}), 400, "parametre-invalide"
    )
    assert body["errors"][0]["parameter"] == "offset" and "apres" in body["errors"][0]["detail"]


@pytest.mark.parametrize(
    "cursor", ["x", "%00", "bm9wZQ", "WyIyMDEwLTEzLTAxIiwxXQ", "WzEsMl0", "WyIyMDEwLTAxLTAxIiwidHJ1ZSJd", "W10"]
)
def test_forged_cursors_are_a_400(caf_api, cursor):  # noqa: F811
    response = caf_api.get(f"/api/reports/?apres={cursor}")
    assert response.status_code == 400, response.content


def test_cursor_and_offset_do_not_mix(caf_api):  # noqa: F811
    cursor = pagination._encode(D(2010, 1, 1), 1)
    assert_problem(caf_api.get("/api/reports/", {"apres": cursor, "offset": 2}), 400, "parametre-invalide")


def test_walking_the_files_by_cursor_reads_each_once(api, org, other_org):
    from tests.api.conftest import make_file
    from toit.eviction.models import PreventionFile

    for day in (4, 4, 4, 5, 5, 6, 9):
        make_file(org, opened_on=D(2010, 1, day))
    make_file(other_org, opened_on=D(2010, 1, 4))  # not visible: never listed
    expected = list(
        PreventionFile.objects.filter(opened_by=org).order_by("-opened_on", "-pk").values_list("reference", flat=True)
    )
    seen, url, pages = [], "/api/files/?limit=2", 0
    while url:
        body = api.get(url).json()
        seen += [f["reference"] for f in body["results"]]
        url, pages = body["next"], pages + 1
        if url:
            assert "apres=" in url and "offset=" not in url
        assert body["count"] == 7
    assert seen == expected and len(seen) == 7 and pages == 4


def test_deep_offsets_on_the_files_are_refused(api):
    body = assert_problem(api.get("/api/files/", {"offset": pagination.MAX_OFFSET + 1}), 400, "parametre-invalide")
    assert body["errors"][0]["parameter"] == "offset" and "apres" in body["errors"][0]["detail"]


def test_the_file_cursor_page_uses_the_index_not_an_offset(api, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.api.conftest import make_file

    for day in (4, 5, 6):
        make_file(org, opened_on=D(2010, 1, day))
    second = api.get("/api/files/?limit=1").json()["next"]
    with CaptureQueriesContext(connection) as context:
        assert api.get(second).status_code == 200
    sql = [q["sql"] for q in context.captured_queries]
    assert not any("OFFSET" in s for s in sql), sql
    assert any('"opened_on" <' in s for s in sql), sql
