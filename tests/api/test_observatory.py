"""Aggregates through the API: indicator values with the disclosure control of the open
data, and the observatory's published reports for the plans the organisation is part of."""

import hashlib

import pytest

from tests.api.conftest import client_for
from tests.api.factories import make_key
from tests.api.test_auth import assert_problem
from tests.observatory.conftest import metrics, plan, territory  # noqa: F401 - fixtures
from tests.organisations.factories import OrganisationFactory, member_of
from toit.api.enums import Scope
from toit.metrics.periods import Period
from toit.observatory import engine, opendata
from toit.observatory.enums import ReportKind
from toit.observatory.models import PublishedReport
from toit.organisations.enums import Role
from toit.organisations.models import Organisation

Q3 = Period.parse("2010T3")


@pytest.fixture
def computed(plan):  # noqa: F811
    engine.compute(plan, periods=[Q3], everywhere=True)
    return plan


@pytest.fixture
def caf_api(plan):  # noqa: F811
    caf = Organisation.objects.get(code="CAF72")
    return client_for(make_key(caf, scopes=[Scope.INDICATORS_READ, Scope.PUBLICATIONS_READ]).token)


def rows(client, **params):
    response = client.get("/api/indicators/", {"limit": 100, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_small_counts_below_the_department_are_secret(computed, caf_api, settings):
    """4B-3 counts one commune per commune: below the threshold everywhere. The same
    figures with no threshold show the 1s the control hides."""
    summons = rows(caf_api, indicator="4B-3", period="2010T3")
    communes = [r for r in summons if r["territory"]["level"] == "commune"]
    assert len(communes) == 6
    assert all(r["value"] is None and r["status"] == "secret" for r in summons)
    settings.TOIT_DISCLOSURE_THRESHOLD = 1
    exposed = rows(caf_api, indicator="4B-3", period="2010T3", level="commune")
    assert {r["value"] for r in exposed} == {"1"} and {r["status"] for r in exposed} == {"publie"}


def test_large_counts_are_published(computed, caf_api):
    population = rows(caf_api, indicator="4B-2", period="2010T3")
    assert population and all(r["status"] == "publie" and r["value"] for r in population)
    department = next(r for r in population if r["territory"]["level"] == "departement")
    assert department["value"] == "154150"
    assert department["indicator"] == {
        "code": "4B-2",
        "label": "Ordonnance et jugement d'expulsion",
        "action": "4B",
        "unit": "count",
    }
    assert department["period"] == {"code": "2010T3", "kind": "quarter", "start": "2010-07-01", "end": "2010-09-30"}


def test_same_decisions_as_the_open_data(computed, caf_api):
    published = {
        (r["indicateur"], r["periode"], r["type_territoire"], r["code_territoire"]): r["statut"]
        for r in opendata.rows(computed)
    }
    api_rows = rows(caf_api) + rows(caf_api, offset=100)
    assert {
        (r["indicator"]["code"], r["period"]["code"], r["territory"]["kind"], r["territory"]["code"]): r["status"]
        for r in api_rows
    } == published


def test_filters_and_latest(plan, caf_api):  # noqa: F811
    engine.compute(plan, periods=[Q3, Period.parse("2010T4")], everywhere=True)
    assert {r["period"]["code"] for r in rows(caf_api, indicator="4B-2", level="departement")} == {"2010T3", "2010T4"}
    latest = rows(caf_api, indicator="4B-2", level="departement", latest="true")
    assert [r["period"]["code"] for r in latest] == ["2010T4"]
    assert {r["territory"]["level"] for r in rows(caf_api, level="epci")} == {"epci"}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"plan": "pdalpd-1999"}, "plan"), ({"period": "2010T5"}, "period"), ({"level": "region"}, "level")],
)
def test_invalid_indicator_parameters(computed, caf_api, params, parameter):
    body = assert_problem(caf_api.get("/api/indicators/", params), 400, "parametre-invalide")
    assert [e["parameter"] for e in body["errors"]] == [parameter]


def test_indicators_need_the_scope(computed):
    client = client_for(make_key(Organisation.objects.get(code="CAF72"), scopes=[Scope.FILES_READ]).token)
    assert_problem(client.get("/api/indicators/"), 403, "permission-manquante")


def publish(plan, period="2010T3", version=1):  # noqa: F811
    pdf, xlsx = b"%PDF-1.7 rapport", b"PK\x03\x04 classeur"
    parsed = Period.parse(period)
    return PublishedReport.objects.create(
        plan=plan,
        kind=ReportKind.QUARTERLY,
        period_code=parsed.code,
        period_start=parsed.start,
        period_end=parsed.end,
        version=version,
        data_version="abc",
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        xlsx=xlsx,
        xlsx_sha256=hashlib.sha256(xlsx).hexdigest(),
    )


def test_published_reports_of_the_plans_the_organisation_is_part_of(plan, caf_api):  # noqa: F811
    report = publish(plan)
    publish(plan, version=2)
    body = caf_api.get("/api/publications/").json()
    assert body["count"] == 2
    assert caf_api.get("/api/publications/", {"latest": "true"}).json()["count"] == 1
    item = caf_api.get(f"/api/publications/{report.pk}/").json()
    assert item["plan"] == plan.code and item["kind"] == "trimestriel" and item["period"] == "2010T3"
    pdf = caf_api.get(item["downloads"]["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == item["pdf_sha256"]
    xlsx = caf_api.get(item["downloads"]["xlsx"])
    assert xlsx.status_code == 200 and xlsx.content == bytes(report.xlsx)
    assert 'filename="toit-trimestriel-2010T3-v1.xlsx"' in xlsx["Content-Disposition"]


def test_published_reports_are_hidden_outside_the_plan(plan):  # noqa: F811
    report = publish(plan)
    outsider = client_for(make_key(OrganisationFactory(), scopes=[Scope.PUBLICATIONS_READ, Scope.FILES_READ]).token)
    assert outsider.get("/api/publications/").json()["count"] == 0
    for url in (f"/api/publications/{report.pk}/", f"/api/publications/{report.pk}/pdf/"):
        assert_problem(outsider.get(url), 404, "introuvable")


def test_observatory_role_sees_every_plan(client, plan):  # noqa: F811
    publish(plan)
    client.force_login(member_of(OrganisationFactory(), role=Role.OBSERVATORY))
    assert client.get("/api/publications/", HTTP_ACCEPT="application/json").json()["count"] == 1


def test_text_is_given_as_it_is(computed, caf_api):
    """The open-data CSV neutralises formula-like text for spreadsheets; JSON carries it
    unchanged."""
    from toit.plans.models import Indicator

    Indicator.objects.filter(code="4B-2").update(label="-Ordonnances (=jugements)")
    [row] = rows(caf_api, indicator="4B-2", period="2010T3", level="departement")
    assert row["indicator"]["label"] == "-Ordonnances (=jugements)"
