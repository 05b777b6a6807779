import csv
import io
import json

from django.core.management import call_command
from frictionless import Package, validate

from tests.observatory.conftest import LMM
from tests.organisations.factories import member_of
from toit.metrics.periods import Period
from toit.observatory import engine
from toit.observatory.opendata import FIELDS, csv_text, write_package
from toit.organisations.models import Organisation
from toit.plans.measurements import record_measurement
from toit.plans.models import Indicator

Q3 = Period.parse("2010T3")


def read(plan, limit=None):
    return list(csv.DictReader(io.StringIO(csv_text(plan, limit))))


def test_package_validates_with_frictionless(plan, tmp_path):
    engine.compute(plan, everywhere=True)
    record_measurement(
        user=None, indicator=Indicator.objects.get(code="4B-7"), period="2010", value="42000", source="x"
    )
    write_package(plan, tmp_path)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(tmp_path / "datapackage.json")
    assert [f.name for f in package.get_resource("indicateurs").schema.fields] == [f["name"] for f in FIELDS]


def test_secret_applied_and_nothing_nominative(plan, django_assert_max_num_queries):
    engine.compute(plan, periods=[Q3], everywhere=True)
    agent = member_of(Organisation.objects.get(code="CG72"), username="agent.nominatif", last_name="Secret")
    record_measurement(
        user=agent,
        indicator=Indicator.objects.get(code="4B-1"),
        period="2010T3",
        value="3",
        source="Bilan",
        comment="Madame X relogée",
    )
    with django_assert_max_num_queries(6):
        rows = read(plan)
    text = json.dumps(rows, ensure_ascii=False)
    assert "Madame X" not in text and "Secret" not in text and "agent.nominatif" not in text
    summons = {(r["type_territoire"], r["code_territoire"]): r for r in rows if r["indicateur"] == "4B-3"}
    # Every commune holds one commune: 1 < 11, secret; so is every EPCI and the LMM/rest
    # split, and the département: 6 next to six hidden communes (each ≥ 1) gives them away.
    assert all(r["valeur"] == "s" and r["statut"] == "secret" for r in summons.values())
    assert summons[("epci", LMM)]["niveau"] == "territoire_plan"
    # Population (4B-2) is large everywhere: published as is.
    population = [r for r in rows if r["indicateur"] == "4B-2"]
    assert {r["statut"] for r in population} == {"publie"}


def test_epci_and_communes_only_at_the_indicator_periodicity(plan):
    engine.compute(plan, periods=[Q3, Period.parse("2010")], everywhere=True)
    rows = read(plan, limit=1)
    quarterly = [r for r in rows if r["indicateur"] == "4B-3"]
    assert {r["type_periode"] for r in quarterly if r["niveau"] in ("epci", "commune")} == {"quarter"}
    # The département and the plan's territories (what reports show) at every periodicity.
    assert {r["type_periode"] for r in quarterly if r["niveau"] == "departement"} == {"quarter", "year"}
    assert {r["type_periode"] for r in quarterly if r["niveau"] == "territoire_plan"} == {"quarter", "year"}


def test_command_writes_the_package(plan, tmp_path, capsys):
    engine.compute(plan, periods=[Q3])
    call_command("toit_observatory", "opendata", "--output", str(tmp_path))
    assert (tmp_path / "indicateurs.csv").exists() and (tmp_path / "datapackage.json").exists()
    assert "indicateurs.csv" in capsys.readouterr().out


def test_text_that_looks_like_a_formula_is_neutralised(plan):
    Indicator.objects.filter(code="4B-3").update(label='=HYPERLINK("http://x")')
    engine.compute(plan, periods=[Q3])
    labels = {r["libelle"] for r in read(plan) if r["indicateur"] == "4B-3"}
    assert labels == {'\'=HYPERLINK("http://x")'}


def test_the_spreadsheet_csv_has_the_same_rows_the_french_way(plan, client, monkeypatch):
    """Issue 15: « ; », decimal comma and a BOM, so that a double click opens it right."""
    from django.urls import reverse

    from toit.observatory import opendata
    from toit.observatory.opendata import spreadsheet_csv_text

    engine.compute(plan, periods=[Q3], everywhere=True)
    text = spreadsheet_csv_text(plan)
    assert text.startswith("\ufeffplan;indicateur;")
    french = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    standard = read(plan)
    assert len(french) == len(standard) > 0
    for ours, theirs in zip(french, standard, strict=True):
        assert ours == {**theirs, "valeur": theirs["valeur"].replace(".", ",")}
    response = client.get(reverse("observatory:opendata_spreadsheet_csv", args=[plan.code]))
    assert response.status_code == 200 and response.content.decode("utf-8") == text
    # A decimal value (a rate) and a secret one, as the standard file writes them.
    sample = {f["name"]: "" for f in FIELDS}
    monkeypatch.setattr(
        opendata, "rows", lambda plan, limit=None: [{**sample, "valeur": "12.5"}, {**sample, "valeur": "s"}]
    )
    values = [row["valeur"] for row in csv.DictReader(io.StringIO(spreadsheet_csv_text(plan)[1:]), delimiter=";")]
    assert values == ["12,5", "s"]
