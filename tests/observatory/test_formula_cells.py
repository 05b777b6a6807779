"""Spreadsheets leaving Toit never carry a formula a partner typed: a territory or an
indicator named « =… » comes out as text in the report's XLSX and in the open-data CSV."""

import csv
import io
import zipfile

from python_calamine import CalamineWorkbook

from toit.metrics.periods import Period
from toit.observatory import engine
from toit.observatory.enums import ReportKind
from toit.observatory.opendata import csv_text
from toit.observatory.reports.build import build_report
from toit.observatory.reports.xlsx import render_xlsx
from toit.plans.models import Indicator, PlanTerritory

Q3 = Period.parse("2010T3")
TERRITORY = '=HYPERLINK("http://exemple.test/?vol","Le Mans Métropole")'
INDICATOR = "=1+2 Assignations"


def test_report_xlsx_and_open_data_write_formula_like_names_as_text(plan):
    PlanTerritory.objects.filter(plan=plan, code="LMM").update(label=TERRITORY)
    Indicator.objects.filter(plan=plan, code="4B-3").update(label=INDICATOR)
    engine.compute(plan, periods=[Q3])
    content = render_xlsx(build_report(plan, ReportKind.QUARTERLY, Q3, limit=1))

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    cells = {
        str(value)
        for name in workbook.sheet_names
        for line in workbook.get_sheet_by_name(name).to_python()
        for value in line
    }
    assert "'" + TERRITORY in cells
    assert any(INDICATOR in c for c in cells)  # « 4B-3 — =1+2 … »: not at the start, harmless
    assert not any(c.startswith("=") for c in cells)

    rows = list(csv.DictReader(io.StringIO(csv_text(plan, limit=1))))
    labels = {r["territoire"] for r in rows if (r["type_territoire"], r["code_territoire"]) == ("epci", "247200132")}
    assert labels == {"'" + TERRITORY}
    assert {r["libelle"] for r in rows if r["indicateur"] == "4B-3"} == {"'" + INDICATOR}
