"""Checking rows, a batch at a time: each column read by its type, then the rows staged by
the sink. Everything here is row-local and writes nothing; what needs the whole file
(duplicates) or the database's current state (already imported, the procedure of a file)
is checked afterwards on the staging table (toit.imports.validation).

Work goes column by column rather than cell by cell: a million-row file is a few hundred
batches, and per-cell Python overhead is what would otherwise dominate."""

from operator import itemgetter
from typing import NamedTuple

from toit.imports import packing
from toit.imports.cells import ENCODING_HINT, MISDECODED, NOT_TEXT, REPLACEMENT, CellError, clean_text
from toit.imports.enums import RowStatus
from toit.imports.problems import Problem, shown_value


class Staged(NamedTuple):
    line: int
    key_hash: str
    row_hash: str
    packed: str
    # REFUSED: a row the sink refused but could stage, for its rules on the whole file
    # (Sink.check_set) to report their errors too; never imported.
    status: str = RowStatus.VALID.value


def _clean_strings(raw):
    """clean_text over a column of strings, with fast paths for the usual clean column (one
    scan of the whole column) and the usual clean cell."""
    texts = list(map(str.strip, raw))
    joined = "".join(texts)
    if joined.isprintable() and "  " not in joined and '="' not in joined:
        return texts  # what clean_text leaves of each stripped, printable, single-spaced cell
    if not joined.isprintable() and _CELL_BREAK not in joined:
        # Spaces other than the plain one (a narrow no-break space in most amounts) make
        # whole columns unprintable: turn them into plain spaces in one pass over the
        # column rather than one clean_text call per cell, then clean only the cells
        # that still need it.
        texts = list(map(str.strip, NOT_TEXT.sub(" ", _CELL_BREAK.join(texts)).split(_CELL_BREAK)))
    return [t if t.isprintable() and "  " not in t and not t.startswith('="') else clean_text(t) for t in texts]


# Between the cells of a column cleaned in one pass: a private-use character, which
# NOT_TEXT leaves alone (a column that holds it is cleaned cell by cell).
_CELL_BREAK = "\ue000"


NUL_MESSAGE = "Octet nul (0x00) dans la cellule : le fichier est binaire ou endommagé à cet endroit"
NUL_EXPECTED = "du texte : exportez le fichier à nouveau depuis le logiciel d'origine"


class RowChecker:
    def __init__(self, source, layout, ctx, native=False):
        """`native`: cells may hold typed values (XLSX) rather than strings (CSV)."""
        self.source = source
        self.sink = source.sink_object
        self.ctx = ctx
        self.native = native
        self.slots = [(index, column, column.type, header) for index, column, header in layout.positions]
        self.width = layout.width
        self.headers = {column.field: header for _, column, header in layout.positions}
        self.key_types = [(f, source.column(f).type) for f in source.natural_key]

    def header(self, field):
        if not field:
            return ""
        if field in self.headers:
            return self.headers[field]
        column = next((c for c in self.source.columns if c.field == field), None)
        return column.name if column else field

    def _shape(self, line, cells):
        if len(cells) < self.width:
            return Problem(
                f"Ligne incomplète : {len(cells)} cellule(s) pour {self.width} colonnes d'en-tête",
                "autant de cellules que de colonnes : un séparateur manque, ou le fichier est tronqué",
                line=line,
            )
        if any(clean_text(c) for c in cells[self.width :]):
            return Problem(
                f"Cellules en trop : {len(cells)} cellules pour {self.width} colonnes d'en-tête",
                "une valeur contenant le séparateur s'écrit entre guillemets ; sinon, retirez les cellules en trop",
                line=line,
            )
        return None

    def _column(self, rows, index, kind, shortest):
        """(cleaned texts, values, [(position, CellError)]) of one column."""
        if shortest > index:
            raw = list(map(itemgetter(index), rows))
        else:
            raw = [r[index] if index < len(r) else "" for r in rows]
        if not self.native:
            texts = _clean_strings(raw)
            values, errors = kind.parse_column(texts, self.ctx)
            if "\x00" in "".join(raw):
                # Never turned into a space silently (the sniffer only sees the first 4 KB).
                nul = [p for p, cell in enumerate(raw) if "\x00" in cell]
                errors = [e for e in errors if e[0] not in nul] + [
                    (p, CellError(NUL_MESSAGE, NUL_EXPECTED)) for p in nul
                ]
                values = list(values)
                for position in nul:
                    values[position] = None
            return texts, values, errors
        texts, values, errors = [], [], []
        for position, cell in enumerate(raw):
            text = clean_text(cell)
            texts.append(text)
            try:
                if not text:
                    values.append(None)
                elif cell.__class__ is str:
                    values.append(kind.parse(text, self.ctx))
                else:
                    values.append(kind.parse_native(cell, self.ctx))
            except CellError as exc:
                values.append(None)
                errors.append((position, exc))
        return texts, values, errors

    def check_batch(self, batch):
        """`batch`: [(row number, cells or Problem)]. Returns ([Staged], [[Problem…] per
        rejected row])."""
        rows, lines, rejected, problems, misshapen = [], [], [], {}, set()
        for line, cells in batch:
            if cells.__class__ is Problem:
                rejected.append([cells.at(line)])
                continue
            if len(cells) != self.width and (shape := self._shape(line, cells)):
                problems[len(rows)] = [shape]
                misshapen.add(len(rows))
            rows.append(cells)
            lines.append(line)
        values, texts = {}, {}
        shortest = min(map(len, rows), default=0)
        for index, column, kind, header in self.slots:
            column_texts, column_values, errors = self._column(rows, index, kind, shortest)
            for position, exc in errors:
                problem = Problem(
                    exc.message, exc.expected, header, shown_value(column_texts[position]), lines[position]
                )
                problems.setdefault(position, []).append(problem)
            if column.required and "" in column_texts:
                for position in [p for p, t in enumerate(column_texts) if not t]:
                    problem = Problem(
                        "Valeur manquante", f"une valeur : {kind.description}", header, "", lines[position]
                    )
                    problems.setdefault(position, []).append(problem)
            joined = "".join(column_texts)
            # MISDECODED starts with Â, Ã or â: three substring tests (memchr) spare the
            # regular expression's scan of the whole column in the usual clean file.
            if REPLACEMENT in joined or (
                ("Ã" in joined or "Â" in joined or "â" in joined) and MISDECODED.search(joined)
            ):
                for position, text in enumerate(column_texts):
                    if REPLACEMENT in text:
                        message = "Caractère illisible (�) : octet invalide pour l'encodage détecté"
                    elif MISDECODED.search(text):
                        message = "Caractères mal décodés (« Ã© » pour « é ») : le fichier mêle UTF-8 et Windows-1252"
                    else:
                        continue
                    problem = Problem(message, ENCODING_HINT, header, shown_value(text), lines[position])
                    problems.setdefault(position, []).append(problem)
            values[column.field] = column_values
            texts[column.field] = column_texts
        for field in {c.field for c in self.source.columns} - values.keys():
            values[field] = [None] * len(rows)
        if self.sink.stage_despite_cell_errors:
            # The row's own rules too, on the cells that could be read: the report then
            # lists every error of the row, and the partner fixes it in one go.
            staging = [p for p in range(len(rows)) if p not in misshapen]
        else:
            staging = [p for p in range(len(rows)) if p not in problems]
        packed, refused = self.sink.stage_batch(values, staging, self.source, self.ctx)
        positions = [p for p in staging if p not in problems]
        if len(positions) < len(staging):
            packed = [text for p, text in zip(staging, packed, strict=True) if p not in problems]
        blank = [""] * len(rows)
        for position, exc in refused.items():
            # Every rule the row breaks, each on its own line of the report.
            problems.setdefault(position, []).extend(
                Problem(
                    r.message,
                    r.expected,
                    self.header(r.field),
                    shown_value(texts.get(r.field, blank)[position]),
                    lines[position],
                )
                for r in exc.refusals
            )
        statuses = [RowStatus.VALID.value] * len(positions)
        if refused:
            # A refused row the sink could still stage is staged REFUSED (see Staged).
            kept = [(p, text) for p, text in zip(positions, packed, strict=True) if p not in refused or text]
            positions, packed = [p for p, _ in kept], [text for _, text in kept]
            statuses = [RowStatus.REFUSED.value if p in refused else RowStatus.VALID.value for p in positions]
        keys = [kind.key_column(values[field], self.ctx) for field, kind in self.key_types]
        key_texts = map(packing.SEPARATOR.join, zip(*[[k[p] for p in positions] for k in keys], strict=True))
        staged = list(
            map(
                Staged,
                [lines[p] for p in positions],
                packing.digests(key_texts),
                packing.digests(packed),
                packed,
                statuses,
            )
        )
        rejected.extend(problems[p] for p in sorted(problems))
        return staged, rejected
