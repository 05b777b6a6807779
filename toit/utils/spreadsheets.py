"""Cells leaving Toit in CSV or XLSX files. A value that a spreadsheet would read as a
formula (=, +, -, @, or a leading tab / carriage return, per OWASP's CSV injection advice)
is prefixed with an apostrophe so it is shown as text and never evaluated."""

import csv
import datetime
from decimal import Decimal

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return the value ready for a CSV/XLSX cell: numbers, dates and booleans unchanged,
    text neutralised when it could start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | datetime.date | datetime.datetime):
        return value
    text = str(value)
    if text.startswith(_TRIGGERS):
        return "'" + text
    return text


def safe_row(values):
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """csv.writer whose every row is neutralised; `;` and UTF-8 with BOM by default, which
    is what French spreadsheet users open without an import dialog."""

    def __init__(self, stream, delimiter=";"):
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")

    def writerow(self, values):
        return self._writer.writerow(safe_row(values))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
