"""Recognising the columns of a file: a header matches a declared column or one of its
aliases when they agree once accents, case, spaces and punctuation are ignored
("Date de naissance", "DATE_NAISSANCE" and "date naissance" are one name when the
mapping declares "date naissance" as an alias)."""

import unicodedata
from dataclasses import dataclass, field

from toit.imports.problems import FileProblem, Problem

# A UTF-8 BOM read as Windows-1252 ("ï»¿") at the start of the first header.
_MISREAD_BOM = "ï»¿"


def header_key(text):
    text = str(text or "").replace(_MISREAD_BOM, "").replace("\ufeff", "")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text if c.isascii() and c.isalnum())


@dataclass
class Layout:
    """Which position of a row holds which column."""

    positions: list = field(default_factory=list)  # [(index, Column, header as written)]
    ignored: list = field(default_factory=list)  # headers matching no column
    width: int = 0  # number of header cells up to the last non-empty one

    def header_of(self, column):
        for _, candidate, written in self.positions:
            if candidate is column:
                return written
        return column.name


def match_header(cells, source):
    """The Layout of a header row for `source`, or FileProblem listing every column that
    is missing or named twice."""
    headers = [str(c if c is not None else "").strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()
    by_key = {}
    for column in source.columns:
        for name in (column.name, *column.aliases):
            by_key.setdefault(header_key(name), column)
    layout = Layout(width=len(headers))
    seen = {}
    problems = []
    for index, written in enumerate(headers):
        if not written:
            continue
        column = by_key.get(header_key(written))
        if column is None:
            layout.ignored.append(written)
            continue
        if column.field in seen:
            problems.append(
                Problem(
                    f"Deux colonnes donnent « {column.name} » : « {seen[column.field]} » et « {written} »",
                    expected="une seule colonne par information : supprimez ou renommez l'une des deux",
                    column=written,
                    line=None,
                )
            )
            continue
        seen[column.field] = written
        layout.positions.append((index, column, written))
    missing = [c for c in source.columns if c.required and c.field not in seen]
    for column in missing:
        names = ", ".join(f"« {n} »" for n in (column.name, *column.aliases))
        problems.append(
            Problem(
                f"Colonne obligatoire absente : « {column.name} »",
                expected=f"une colonne intitulée {names} (en-têtes lus : {', '.join(headers) or 'aucun'})",
                column=column.name,
                line=None,
            )
        )
    if problems:
        raise FileProblem(problems)
    return layout
