"""The PDF of a report: WeasyPrint renders an HTML template, with the Marianne font shipped
by django-dsfr embedded and the charts drawn by matplotlib as SVG.

Published reports are tagged PDF/UA-1 (accessibility: a screen reader reads the headings,
the tables with their header cells, the charts' alternative text, in French): the
document's language and title come from the template's <html lang> and <title>."""

import base64
import logging
from pathlib import Path

import dsfr
from django.conf import settings
from django.template.loader import render_to_string

from toit.observatory.reports.charts import bar_chart_svg

# WeasyPrint logs each layout step, and fontTools each font it unpacks, at INFO: with
# Toit's INFO root logger, every command would print them. Keep their warnings only.
for _name in ("weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

FONTS = Path(dsfr.__file__).resolve().parent / "static" / "dsfr" / "dist" / "fonts"
STYLESHEET = Path(settings.BASE_DIR) / "toit" / "templates" / "observatory" / "report_pdf.css"


def _font_faces():
    faces = []
    for weight, name in ((400, "Marianne-Regular"), (700, "Marianne-Bold")):
        path = FONTS / f"{name}.woff2"
        if path.exists():  # without it, DejaVu Sans (Debian) takes over
            faces.append(f'@font-face {{ font-family: Marianne; font-weight: {weight}; src: url("{path.as_uri()}"); }}')
    return "\n".join(faces)


def report_html(report, published=None):
    tables = []
    for table in report.tables:
        svg = ""
        if table.chart:
            encoded = base64.b64encode(bar_chart_svg(table).encode()).decode()
            svg = f"data:image/svg+xml;base64,{encoded}"
        tables.append({"svg": svg, **table.__dict__})
    return render_to_string(
        "observatory/report_pdf.html",
        {"report": report, "tables": tables, "published": published, "BRAND": settings.TOIT_BRAND},
    )


PDF_VARIANT = "pdf/ua-1"


def render_document(report, published=None):
    # Imported here: weasyprint parses its default stylesheet on import, which costs every
    # process that merely loads this module (management commands, web workers).
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheets = [CSS(string=_font_faces(), font_config=fonts), CSS(filename=str(STYLESHEET), font_config=fonts)]
    return HTML(string=report_html(report, published), base_url=str(STYLESHEET.parent)).render(
        stylesheets=stylesheets, font_config=fonts, pdf_variant=PDF_VARIANT
    )


def render_pdf(report, published=None):
    return render_document(report, published).write_pdf(pdf_variant=PDF_VARIANT)
