"""A tripwire over the source: every module that writes CSV or XLSX itself uses
toit.utils.spreadsheets (safe_cell, safe_row, SafeCsvWriter), so that text a partner typed
cannot run as a formula in the spreadsheet of whoever opens the file. The behaviour of each
export is tested next to it (observatory, imports, API); this test catches a new writer."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "toit"
WRITER = re.compile(r"csv\.(?:writer|DictWriter)\(|xlsxwriter\.Workbook\(|\.add_worksheet\(")
HELPERS = ROOT / "utils" / "spreadsheets.py"
# Being changed by their owners; strict: the mark must go once the module complies.
PENDING: dict[str, str] = {}


def writing_modules():
    return sorted(
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if path != HELPERS and "migrations" not in path.parts and WRITER.search(path.read_text(encoding="utf-8"))
    )


def test_the_known_exports_are_found():
    assert {"observatory/opendata.py", "observatory/reports/xlsx.py", "imports/report.py"} <= set(writing_modules())


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(m, marks=pytest.mark.xfail(strict=True, reason=PENDING[m])) if m in PENDING else m
        for m in writing_modules()
    ],
)
def test_every_writer_goes_through_the_spreadsheet_helpers(module):
    text = (ROOT / module).read_text(encoding="utf-8")
    assert "toit.utils.spreadsheets" in text, (
        f"toit/{module} écrit un CSV ou un XLSX sans toit.utils.spreadsheets : passez chaque cellule de texte par "
        "safe_cell (ou utilisez SafeCsvWriter), pour qu'un texte commençant par « = » reste du texte."
    )
