"""List endpoints read a page in a fixed number of queries, whatever its length: the
count with one row and with many is the same, and stays under a small bound."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import client_for, make_file
from tests.api.factories import ImportIssueFactory, ImportJobFactory, make_key
from tests.api.test_observatory import publish
from tests.eviction.factories import EventFactory, ReportFactory
from tests.observatory.conftest import metrics, plan, territory  # noqa: F401 - fixtures
from toit.eviction.enums import EventKind
from toit.organisations.models import Organisation

D = datetime.date


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(context), response.json()


def assert_flat(client, url, add_rows, bound, params=None):
    """`bound` includes the request's count for the rate limit (one upsert)."""
    client.get("/api/me/")  # the key's last use is written once a minute: not in the counts
    add_rows(1)
    one, first = queries(client, url, params)
    add_rows(9)
    many, second = queries(client, url, params)
    assert len(second["results"]) > len(first["results"])
    assert one == many, f"{url}: {one} queries for one row, {many} for {len(second['results'])}"
    assert many <= bound, f"{url}: {many} queries"


def _files(org):
    def add(count):
        for _ in range(count):
            file = make_file(org)
            EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 2, 1))
            EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2010, 3, 1), hearing_date=D(2010, 5, 1))

    return add


def test_file_list(api, org):
    # key, roles, count, ids, files, members, events, access log
    assert_flat(api, "/api/files/", _files(org), bound=9)


def test_file_list_by_stage(api, org):
    # key, roles, ids, events of all of them, files, members, events, access log
    assert_flat(api, "/api/files/", _files(org), bound=9, params={"stage": "assignation"})


def test_report_list(api, org):
    def add(count):
        for _ in range(count):
            ReportFactory(reporting_organisation=org)

    # key, roles, count, page, access log
    assert_flat(api, "/api/reports/", add, bound=6)


def test_import_lists(api, org):
    job = ImportJobFactory(organisation=org)

    def add_jobs(count):
        ImportJobFactory.create_batch(count, organisation=org)

    def add_issues(count):
        ImportIssueFactory.create_batch(count, job=job)

    # key, roles, count, page, access log
    assert_flat(api, "/api/imports/", add_jobs, bound=6)
    # key, roles, job, count, page, access log
    assert_flat(api, f"/api/imports/{job.pk}/errors/", add_issues, bound=7)


def test_publication_list(plan):  # noqa: F811
    client = client_for(make_key(Organisation.objects.get(code="CAF72")).token)
    periods = iter(f"{year}T{q}" for year in range(2008, 2013) for q in range(1, 5))

    def add(count):
        for _ in range(count):
            publish(plan, next(periods))

    # key, plans, access to the plan (memberships, plan organisations), count, page
    assert_flat(client, "/api/publications/", add, bound=7)


def test_indicator_list_is_bounded(plan):  # noqa: F811
    from toit.metrics.periods import Period
    from toit.observatory import engine

    client = client_for(make_key(Organisation.objects.get(code="CAF72")).token)
    engine.compute(plan, periods=[Period.parse("2010T3")], everywhere=True)
    client.get("/api/me/")
    few, _ = queries(client, "/api/indicators/")
    engine.compute(plan, periods=[Period.parse(f"2011T{q}") for q in range(1, 5)], everywhere=True)
    more, body = queries(client, "/api/indicators/")
    # Computed: the figures' queries, two for the cache's stamp, one for the rate limit and
    # one for the plans open to the key (issue 14: never the instance's most recent plan).
    assert body["count"] > 0 and few == more <= 11
