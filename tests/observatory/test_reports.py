import csv
import datetime
import hashlib
import io

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from python_calamine import CalamineWorkbook

from tests.observatory.conftest import LMM
from tests.pdf import numbers_in, pdf_text
from tests.territory.factories import CommuneFactory
from toit.metrics.periods import Period
from toit.observatory import engine
from toit.observatory.enums import ReportKind
from toit.observatory.models import AppendOnlyError, PublishedReport
from toit.observatory.opendata import csv_text
from toit.observatory.reports.build import NOT_AVAILABLE, build_report
from toit.observatory.reports.pdf import render_document, render_pdf, report_html
from toit.observatory.reports.publish import publish_report
from toit.observatory.reports.xlsx import render_xlsx
from toit.plans.measurements import record_measurement
from toit.plans.models import Indicator

Q3 = Period.parse("2010T3")


def population_by_sql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(c.population) FROM territory_commune c "
            "JOIN territory_department d ON d.id = c.department_id WHERE d.code = %s",
            ["72"],
        )
        return cursor.fetchone()[0]


def table(report, key):
    return next(t for t in report.tables if t.key == key)


def row(tbl, start):
    return next(r for r in tbl.rows if r.label.startswith(start))


@pytest.fixture
def computed(plan):
    engine.compute(plan, periods=[Q3, *Period.parse("2010").quarters()], everywhere=True)
    return plan


def test_quarterly_figures_come_from_snapshots_measurements_or_say_unavailable(computed):
    record_measurement(
        user=None, indicator=Indicator.objects.get(code="4B-1"), period="2010T3", value="1234", source="SNE"
    )
    report = build_report(computed, ReportKind.QUARTERLY, Q3, limit=2)
    quarterly = table(report, "Suivi trimestriel")
    assert quarterly.columns == ["", "Le Mans Métropole", "Reste du département", "Département"]
    demand = row(quarterly, "Demande locative")
    assert [c.source for c in demand.cells] == [NOT_AVAILABLE, NOT_AVAILABLE, "saisie"]
    assert demand.cells[2].value == 1234
    orders = row(quarterly, "Ordonnances")
    assert [c.value for c in orders.cells] == [151_700, 2_450, population_by_sql()]
    assert {c.source for c in orders.cells} == {"calcul"}


def test_small_counts_are_secret_with_their_complement(plan):
    engine.compute(plan, periods=[Q3])  # département and plan territories only
    report = build_report(plan, ReportKind.QUARTERLY, Q3, limit=11)
    summons = row(table(report, "Suivi trimestriel"), "Assignations")
    # 3 communes in LMM and 3 elsewhere: both below 11, each hidden with the other; the
    # département total stays (each part could be anything from 1 to 5).
    assert [c.display for c in summons.cells] == ["s", "s", "6"]
    trend = table(report, "Suivi trimestriel evolution")
    assert row(trend, "Assignations").cells[-1].display == "6"


def test_report_and_open_data_hide_the_same_cells(computed):
    """With every commune computed, each of the 6 communes holds 1: publishing 6 for the
    département would say that each holds exactly 1. Both outputs hide it."""
    report = build_report(computed, ReportKind.QUARTERLY, Q3, limit=11)
    summons = row(table(report, "Suivi trimestriel"), "Assignations")
    assert [c.display for c in summons.cells] == ["s", "s", "s"]
    assert row(table(report, "Suivi trimestriel evolution"), "Assignations").cells[-1].display == "s"
    assert row(table(report, "Indicateurs du plan"), "4B-3").cells[1].display == "s"
    open_rows = {
        (r["type_territoire"], r["code_territoire"]): r["valeur"]
        for r in csv.DictReader(io.StringIO(csv_text(computed, limit=11)))
        if r["indicateur"] == "4B-3" and r["periode"] == "2010T3"
    }
    assert [open_rows[("epci", LMM)], open_rows[("hors_epci", LMM)], open_rows[("departement", "72")]] == ["s"] * 3


def test_indicator_table_lists_every_indicator_with_target_and_status(computed):
    report = build_report(computed, ReportKind.QUARTERLY, Q3)
    indicators = table(report, "Indicateurs du plan")
    assert len(indicators.rows) == Indicator.objects.filter(plan=computed).count()
    first = row(indicators, "1B-1")
    assert "au moins 3 chaque année" in first.cells[3]
    summons = row(indicators, "4B-3")
    # The LMM target is judged on a sum of quarters: a figure no table publishes.
    assert "(Le Mans Métropole) : non publié" in summons.cells[3]


def test_pdf_xlsx_and_sql_agree(computed, settings):
    settings.TOIT_DISCLOSURE_THRESHOLD = 2
    report = build_report(computed, ReportKind.QUARTERLY, Q3)
    expected = population_by_sql()
    html = numbers_in(report_html(report))
    assert expected in html and 151700 in html
    assert expected in numbers_in(pdf_text(render_document(report).write_pdf()))
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(render_xlsx(report)))
    assert "Présentation" in workbook.sheet_names
    sheet = workbook.get_sheet_by_name("Suivi trimestriel").to_python()
    orders = next(r for r in sheet if str(r[0]).startswith("Ordonnances"))
    assert orders[1:4] == [151_700, 2_450, expected]
    trend = workbook.get_sheet_by_name("Suivi trimestriel evolution").to_python()
    assert trend[2][1:] == ["4e trimestre 2009", "1er trimestre 2010", "2e trimestre 2010", "3e trimestre 2010"]
    orders = next(r for r in trend if str(r[0]).startswith("Ordonnances"))
    assert orders[1:] == [NOT_AVAILABLE, expected, expected, expected]  # 2009T4 was never computed


def test_annual_report_has_the_dwelling_grid_and_says_unavailable(computed):
    engine.compute(computed, periods=[Period.parse("2010")])
    report = build_report(computed, ReportKind.ANNUAL, Period.parse("2010"))
    grid = table(report, "Offre supplementaire")
    assert grid.rows[-1].label == "Total de l'offre supplémentaire"
    assert all(c.display == NOT_AVAILABLE for r in grid.rows for c in r.cells)
    allocations = row(table(report, "Suivi annuel"), "Attributions")
    assert allocations.cells[2].display == NOT_AVAILABLE


def test_wrong_period_kind_is_refused(computed):
    with pytest.raises(ValueError, match="porte sur un trimestre"):
        build_report(computed, ReportKind.QUARTERLY, Period.parse("2010"))


def test_publication_is_frozen_and_versioned(computed, admin_user, territory):
    first = publish_report(computed, ReportKind.QUARTERLY, Q3, user=admin_user)
    assert first.created and first.report.version == 1
    assert first.report.pdf_sha256 == hashlib.sha256(bytes(first.report.pdf)).hexdigest()
    assert first.report.verify() and bytes(first.report.pdf).startswith(b"%PDF")
    again = publish_report(computed, ReportKind.QUARTERLY, Q3, user=admin_user)
    assert not again.created and again.report.pk == first.report.pk

    CommuneFactory(department=territory["department"], epci=None, population=5)
    engine.compute(computed, periods=[Q3])
    second = publish_report(computed, ReportKind.QUARTERLY, Q3, user=admin_user)
    assert second.created and second.report.version == 2
    old = PublishedReport.objects.get(version=1)
    assert old.pdf_sha256 == first.report.pdf_sha256 and old.verify()
    assert old.data_version != second.report.data_version
    assert list(PublishedReport.objects.latest_versions()) == [second.report]
    old.version = 3
    with pytest.raises(AppendOnlyError):
        old.save()
    with pytest.raises(AppendOnlyError):
        old.delete()


def test_report_command_publishes_with_progress(computed, capsys):
    call_command("toit_report", "--quarter", "2010T3")
    out = capsys.readouterr().out
    assert "[1/5] Calcul des indicateurs" in out and "Publié" in out
    assert PublishedReport.objects.get().period_code == "2010T3"
    call_command("toit_report", "--year", "2010", "--no-compute")
    assert PublishedReport.objects.filter(kind=ReportKind.ANNUAL).count() == 1
    with pytest.raises(CommandError, match="hors du plan"):
        call_command("toit_report", "--year", "2020")


def _struct_elements(node):
    """Every element of a PDF structure tree, depth first (pypdf objects)."""
    node = node.get_object()
    yield node
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, dict) and "/S" in kid:
            yield from _struct_elements(kid)


def test_the_published_pdf_is_tagged_for_screen_readers(computed, caplog):
    """PDF/UA-1: a structure tree (headings, tables, figures), marked content, the language
    (fr), the title shown by the reader, and the charts' alternative text."""
    report = build_report(computed, ReportKind.QUARTERLY, Q3, limit=2)
    with caplog.at_level("ERROR", logger="weasyprint"):
        pdf = render_pdf(report)
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "fr"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == report.title == "Suivi trimestriel du plan — 3e trimestre 2010"
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()
    elements = list(_struct_elements(catalog["/StructTreeRoot"]))
    tags = [e.get("/S") for e in elements]
    assert "/H1" in tags and "/Table" in tags and "/TH" in tags
    figures = [e for e in elements if e.get("/S") == "/Figure"]
    assert len(figures) == sum(t.chart for t in report.tables) >= 1
    assert all(str(f["/Alt"]).startswith("Graphique : ") for f in figures)


def test_the_workbook_gives_the_times_in_french_time_as_the_pdf_does(computed):
    """Stored in UTC, shown in Europe/Paris: the workbook wrote the stored hour, an hour or
    two before the PDF's, and on the next day's evening the day before."""
    report = build_report(computed, ReportKind.QUARTERLY, Q3)
    report.generated_at = datetime.datetime(2012, 12, 31, 23, 30, tzinfo=datetime.UTC)
    report.inputs_at = datetime.datetime(2012, 6, 30, 22, 15, tzinfo=datetime.UTC)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(render_xlsx(report)))
    cover = {row[0]: row[1] for row in workbook.get_sheet_by_name("Présentation").to_python() if len(row) > 1}
    assert cover["Édité le"] == "01/01/2013 00:30"
    assert cover["Données arrêtées au"] == "01/07/2012 00:15"
    text = pdf_text(render_document(report).write_pdf())
    assert "01/01/2013 à 00:30" in text and "01/07/2012 à 00:15" in text
