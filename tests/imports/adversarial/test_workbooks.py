"""Hostile workbooks, built here: a sheet spread to the last cell Excel allows, a zip bomb,
numbers typed in date columns. Each is refused in French before calamine decodes it, or
read cell by cell as documented; the check never dies on them."""

import datetime
import resource
import zipfile

import pytest

from tests.imports.helpers import CAF_HEADER, caf_row, domain_counts, issues, upload
from tests.imports.xlsx import write_xlsx
from toit.imports.enums import JobStatus
from toit.imports.problems import FileProblem
from toit.imports.reading.xlsxguard import check_workbook

CAF = "impayes_caf_msa"
D = datetime.date
pytestmark = pytest.mark.django_db


def _checked(caf, path):
    before = domain_counts()
    job = upload(*caf, CAF, path.read_bytes(), name="signalements.xlsx")
    assert job.status == JobStatus.VALIDATED
    assert (job.total_rows, job.valid_rows) == (0, 0)
    assert domain_counts() == before
    [(_line, _column, _value, message)] = issues(job)
    return message


def test_dimension_bomb_is_refused_before_decoding(caf, tmp_path):
    """A1 and XFD1048576: 5 KB on disk, 17 billion cells for a dense reader."""
    import xlsxwriter

    path = tmp_path / "bombe.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write(0, 0, "N° allocataire")
    sheet.write(1048575, 16383, "x")
    workbook.close()
    assert path.stat().st_size < 10_000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    message = _checked(caf, path)
    assert "Classeur démesuré" in message and "ligne 1048576 et la colonne 16384" in message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 100 * 1024  # kB: nothing allocated


def test_declared_dimension_is_not_trusted(caf, tmp_path, settings):
    """A workbook whose <dimension> says A1:B2 while its cells go farther is measured by its
    cells; one that declares a huge dimension over two real cells is read normally."""
    path = write_xlsx(tmp_path / "f.xlsx", [CAF_HEADER, caf_row("A1")])
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert b"<dimension " in sheet
    start = sheet.index(b"<dimension ")
    end = sheet.index(b"/>", start) + 2
    parts["xl/worksheets/sheet1.xml"] = sheet[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    lying = tmp_path / "ment.xlsx"
    with zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    job = upload(*caf, CAF, lying.read_bytes(), name="ment.xlsx")
    assert (job.total_rows, job.valid_rows) == (1, 1), issues(job)


def test_zip_bomb_is_refused_while_inflating(caf, tmp_path, settings):
    """Parts that inflate past the budget: refused from the sizes, and, when the sizes are
    within it, while inflating, never read whole."""
    settings.TOIT_IMPORT_XLSX_MAX_UNCOMPRESSED = 8 * 1024 * 1024
    path = write_xlsx(tmp_path / "f.xlsx", [CAF_HEADER, caf_row("A1")])
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    bomb = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        target.writestr("xl/media/image1.bin", b"\0" * (40 * 1024 * 1024))
    assert bomb.stat().st_size < 200_000
    message = _checked(caf, bomb)
    assert "Classeur trop volumineux une fois décompressé (40 Mo annoncés, limite 8 Mo)" in message

    # Two parts of 6 MB each: each within the budget, together past it.
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        target.writestr("xl/media/a.bin", b"\0" * (6 * 1024 * 1024))
        target.writestr("xl/media/b.bin", b"\0" * (6 * 1024 * 1024))
    assert "trop volumineux" in _checked(caf, bomb)


def test_too_many_cells_are_refused_while_scanning(tmp_path, settings):
    settings.TOIT_IMPORT_XLSX_MAX_CELLS = 50
    path = write_xlsx(tmp_path / "f.xlsx", [CAF_HEADER] + [caf_row(f"A{i}") for i in range(10)])
    with pytest.raises(FileProblem, match="Classeur trop grand : plus de 50 cellules"):
        check_workbook(path)
    settings.TOIT_IMPORT_XLSX_MAX_CELLS = 100
    check_workbook(path)  # 77 cells, 11 rows x 7 columns


def test_xml_entities_are_refused(tmp_path):
    """The billion laughs: a DTD in a sheet, which no spreadsheet writes."""
    path = write_xlsx(tmp_path / "f.xlsx", [CAF_HEADER, caf_row("A1")])
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    declaration = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    head = sheet.index(b"?>") + 2
    parts["xl/worksheets/sheet1.xml"] = sheet[:head] + declaration + sheet[head:]
    hostile = tmp_path / "entites.xlsx"
    with zipfile.ZipFile(hostile, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    with pytest.raises(FileProblem, match="DTD ou des entités"):
        check_workbook(hostile)


def test_numbers_in_a_date_column_are_not_serials(caf, tmp_path):
    """A birth year typed 1975 is not 1905-05-28; a date-formatted cell still is a date."""
    rows = [
        CAF_HEADER,
        ["A1", "DURAND", "Sylvie", 1975, "72181", D(2010, 3, 3), 100.0],
        ["A2", "DURAND", "Paul", 27500, "72181", D(2010, 3, 3), 100.0],
        ["A3", "DURAND", "Marc", D(1975, 4, 12), "72181", D(2010, 3, 3), 100.0],
    ]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    job = upload(*caf, CAF, path.read_bytes(), name="f.xlsx")
    assert (job.total_rows, job.valid_rows, job.rejected_rows) == (3, 1, 2)
    found = issues(job)
    assert [(line, column, value) for line, column, value, _ in found] == [
        (2, "Date de naissance", "1975"),
        (3, "Date de naissance", "27500"),
    ]
    assert all("n'est pas au format date" in message for *_, message in found)
