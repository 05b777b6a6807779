import csv
import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toit.utils.spreadsheets import SafeCsvWriter, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 6 00 00 00 00", "'+33 6 00 00 00 00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Dupont", "Dupont"),
        ("", ""),
        (None, ""),
        (-12, -12),
        (Decimal("-3.5"), Decimal("-3.5")),
        (datetime.date(2010, 7, 1), datetime.date(2010, 7, 1)),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@given(st.text())
def test_no_text_cell_starts_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.removeprefix("'") == text or cell == text


def test_csv_writer_round_trip():
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerows([["nom", "montant"], ["=1+1", 12]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert rows == [["nom", "montant"], ["'=1+1", "12"]]
