"""The XLSX of a report: one sheet per table, figures as numbers (« s » and « non
disponible » as text), and a native Excel chart beside each trend table, reading the
very cells of the table. Text cells go through toit.utils.spreadsheets.safe_cell."""

import io

import xlsxwriter
from django.utils.timezone import localtime
from xlsxwriter.utility import xl_rowcol_to_cell

from toit.metrics.enums import Unit
from toit.observatory.reports.charts import COLOURS
from toit.utils.spreadsheets import safe_cell

FORMATS = {Unit.COUNT: "#,##0", Unit.EUR: '#,##0 "€"', Unit.PERCENT: "0.0", Unit.RATIO: "0.00", Unit.DAYS: "0"}


def render_xlsx(report, published=None):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {"title": report.title, "author": "Toit", "comments": f"Empreinte des données : {report.data_version}"}
    )
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#000091", "text_wrap": True})
    title = workbook.add_format({"bold": True, "font_size": 14, "font_color": "#000091"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    muted = workbook.add_format({"font_color": "#666666", "align": "right"})
    numbers = {unit: workbook.add_format({"num_format": fmt}) for unit, fmt in FORMATS.items()}

    cover = workbook.add_worksheet("Présentation")
    cover.set_column(0, 0, 28)
    cover.set_column(1, 1, 90)
    # write() would store a text starting with "=" as a formula: text goes through write_string.
    cover.write_string(0, 0, safe_cell(report.title), title)
    rows = [
        ("Plan", report.plan.title),
        *([("Fiche", f"{report.action.code} — {report.action.title}")] if report.action else []),
        *([("Contenu", report.note)] if report.note else []),
        ("Période", f"du {report.period.start:%d/%m/%Y} au {report.period.end:%d/%m/%Y}"),
        ("Édité le", f"{localtime(report.generated_at):%d/%m/%Y %H:%M}"),
        ("Données arrêtées au", f"{localtime(report.inputs_at):%d/%m/%Y %H:%M}" if report.inputs_at else "—"),
        ("Version", str(published.version) if published else "aperçu (non publié)"),
        ("Empreinte des données", report.data_version),
        (
            "Secret statistique",
            f"Effectif inférieur à {report.threshold} pour une commune, un EPCI ou un territoire infra-départemental : "
            "« s », ainsi que les cases qui permettraient de le retrouver par différence.",
        ),
        ("non disponible", "Aucune donnée calculée ni saisie : aucune valeur n'est estimée."),
    ]
    for index, (label, value) in enumerate(rows, start=2):
        cover.write_string(index, 0, safe_cell(label), bold)
        cover.write_string(index, 1, safe_cell(value), wrap)

    for table in report.tables:
        sheet = workbook.add_worksheet(table.key[:31])
        sheet.write_string(0, 0, safe_cell(table.title), title)
        sheet.set_column(0, 0, 60)
        sheet.set_column(1, len(table.columns), 18)
        for col, name in enumerate(table.columns):
            sheet.write_string(2, col, safe_cell(name), header)
        for r, row in enumerate(table.rows, start=3):
            sheet.write_string(r, 0, safe_cell(row.label), wrap)
            for c, cell in enumerate(row.cells, start=1):
                _write(sheet, r, c, cell, numbers, muted, wrap)
        if table.chart:
            _chart(workbook, sheet, table)
    workbook.close()
    return buffer.getvalue()


def _write(sheet, r, c, cell, numbers, muted, wrap):
    if not hasattr(cell, "display"):
        sheet.write_string(r, c, safe_cell(cell), wrap)
    elif cell.number is not None and cell.unit != Unit.TEXT:
        sheet.write_number(r, c, float(cell.number), numbers.get(cell.unit))
    else:
        sheet.write_string(r, c, safe_cell(cell.display), muted if cell.unit != Unit.TEXT else wrap)


def _chart(workbook, sheet, table):
    chart = workbook.add_chart({"type": "column"})
    name = sheet.get_name()
    last_col = len(table.columns) - 1
    for index, row in enumerate(table.rows):
        if row.unit != Unit.COUNT:
            continue
        r = 3 + index
        chart.add_series(
            {
                "name": [name, r, 0],
                "categories": [name, 2, 1, 2, last_col],
                "values": [name, r, 1, r, last_col],
                "fill": {"color": COLOURS[index % len(COLOURS)]},
            }
        )
    chart.set_title({"name": table.title})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(xl_rowcol_to_cell(4 + len(table.rows), 0), chart, {"x_scale": 1.6, "y_scale": 1.2})
