"""Opening an uploaded file as a table: a header row, then (row number, cells) rows."""

from contextlib import contextmanager

from toit.imports.reading.csvfile import CsvTable
from toit.imports.reading.sniff import sniff_format
from toit.imports.reading.xlsxfile import XlsxTable

__all__ = ["open_table", "sniff_format"]


@contextmanager
def open_table(path, file_format):
    """CsvTable or XlsxTable; raises FileProblem when the file cannot be read."""
    table = XlsxTable(path) if file_format == "xlsx" else CsvTable(path)
    try:
        yield table
    finally:
        table.close()
