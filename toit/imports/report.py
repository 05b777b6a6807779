"""The error report: one line per error, in file order, in French. The page shows its
first lines, the CSV download and the command line give it whole; an API can stream the
same rows."""

import csv

from toit.imports.models import ImportIssue
from toit.utils.spreadsheets import safe_row

HEADER = ["Ligne", "Colonne", "Valeur", "Erreur", "Attendu"]


def rows(job):
    """[line, column, value, message, expected] of every error, file-level ones first."""
    issues = ImportIssue.objects.filter(job=job).order_by("line_number", "pk")
    for line, column, value, message, expected in issues.values_list(
        "line_number", "column", "value", "message", "expected"
    ).iterator(chunk_size=2000):
        yield ["" if line is None else line, column, value, message, expected]


class _Echo:
    def write(self, value):
        return value


# A cell starting with one of these is a formula for a spreadsheet: a partner's file must
# not be able to run one on the computer of the agent who opens the report.
def csv_lines(job):
    """The report as CSV text, line by line: UTF-8 with BOM and semicolons, which
    spreadsheets in French open as is."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(HEADER)
    for row in rows(job):
        yield writer.writerow(safe_row(row))


def describe(row):
    """One error as a sentence, for the command line."""
    line, column, value, message, expected = row
    where = f"Ligne {line}" if line != "" else "Fichier"
    if column:
        where += f", colonne « {column} »"
    if value:
        where += f", valeur « {value} »"
    text = f"{where} : {message}."
    if expected:
        text += f" Attendu : {expected}."
    return text
