"""Streaming a CSV file: decoded with the detected encoding, split with the detected
separator, one record at a time. Memory stays bounded whatever the file's size."""

import csv
import io

from toit.imports.problems import FileProblem, Problem, file_problem
from toit.imports.reading.encoding import SAMPLE_BYTES, detect_encoding

SEPARATORS = [";", ",", "\t", "|"]
SEPARATOR_LABELS = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
SEPARATOR_PLURALS = {";": "points-virgules", ",": "virgules", "\t": "tabulations", "|": "barres verticales"}
csv.field_size_limit(1024 * 1024)  # one cell of a megabyte at most: beyond, the file is broken


def detect_separator(text, at_eof):
    """The separator that splits the header and the first records into the same number
    (at least two) of fields; ties go to ; then , then tab then |."""
    best, best_score = None, (0, 0)
    for separator in SEPARATORS:
        try:
            records = [
                r for r in csv.reader(io.StringIO(text, newline=""), delimiter=separator) if any(c.strip() for c in r)
            ]
        except csv.Error:
            continue
        if not at_eof and len(records) > 1:
            records = records[:-1]  # the sample may cut the last record
        records = records[:50]
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        agreeing = sum(1 for r in records if len(r) == width or (len(r) > width and not any(r[width:])))
        score = (agreeing / len(records) >= 0.8, width)
        if score > best_score:
            best, best_score = separator, score
    if best is None:
        raise _no_separator(text)
    return best


def _file_problem_at(line, message, expected):
    return FileProblem(Problem(message, expected, line=line))


def _no_separator(text):
    """Why no separator splits the sample, said with what was found: a title line above
    the header, or a single column."""
    lines = [line for line in text.splitlines() if line.strip()]
    counted = [(line, {s: line.count(s) for s in SEPARATORS}) for line in lines[:50]]
    for position, (_line, counts) in enumerate(counted[:10]):
        separator, count = max(counts.items(), key=lambda item: item[1])
        if count and position:
            title = counted[0][0].strip()
            shown = title if len(title) <= 60 else title[:59] + "…"
            return file_problem(
                f"La première ligne (« {shown} ») n'a qu'une colonne, alors que la ligne {position + 1} en a "
                f"{count + 1} séparées par des {SEPARATOR_PLURALS[separator]} : une ligne de titre précède sans "
                "doute les en-têtes",
                "la ligne des en-têtes en première ligne : supprimez les lignes de titre au-dessus",
            )
    return file_problem(
        "Séparateur de colonnes introuvable : la première ligne ne contient qu'une colonne",
        "des colonnes séparées par des points-virgules, des virgules ou des tabulations, avec une ligne d'en-tête",
    )


class CsvTable:
    """Records of a CSV file as (row number, cells); the row number is the record's rank in
    the file, blank records included, which is the row number a spreadsheet shows."""

    file_format = "csv"

    def __init__(self, path):
        self.path = path
        self._raw = open(path, "rb")  # noqa: SIM115 - closed by close()
        try:
            sample = self._raw.read(SAMPLE_BYTES)
            at_eof = len(sample) < SAMPLE_BYTES
            self.codec, self.encoding = detect_encoding(sample, at_eof)
            text = sample.decode(self.codec, errors="replace")
            self.separator = detect_separator(text, at_eof)
            self.total = self._raw.seek(0, io.SEEK_END)
            self._raw.seek(0)
            self._text = io.TextIOWrapper(self._raw, encoding=self.codec, errors="replace", newline="")
            self._reader = csv.reader(self._text, delimiter=self.separator, strict=True)
            self.header_line, self.header = self._read_header()
        except BaseException:
            self._raw.close()
            raise

    @property
    def separator_label(self):
        return SEPARATOR_LABELS[self.separator]

    def done(self):
        """Bytes read so far, for the progress bar."""
        return self._raw.tell() if not self._raw.closed else self.total

    def _unclosed_quote(self, line, reason=""):
        return _file_problem_at(
            line,
            f"Guillemet non fermé à la ligne {line} du fichier : la cellule qui s'ouvre par ce guillemet "
            f"{reason or 'avale les lignes suivantes'} ; aucune ligne n'est lue plutôt que d'en perdre",
            'un guillemet fermant pour chaque guillemet ouvrant ("…"), ou pas de guillemet du tout : corrigez la '
            f"ligne {line} dans un éditeur de texte et déposez le fichier à nouveau",
        )

    def _swallows(self, record):
        """Whether a record spread over several physical lines holds, after a line break,
        what looks like another record (the separator): the sign of a stray quote rather
        than of an address written on two lines."""
        separator = self.separator
        for cell in record:
            if ("\n" in cell or "\r" in cell) and any(separator in part for part in cell.splitlines()[1:]):
                return True
        return False

    def _read_header(self):
        self._number = 0
        reader = self._reader
        while True:
            first = reader.line_num + 1  # the physical line the record starts on
            try:
                record = next(reader)
            except StopIteration:
                raise file_problem(
                    "Le fichier ne contient aucune ligne : ni en-tête ni données",
                    "une ligne d'en-têtes puis une ligne par signalement, événement ou décision",
                ) from None
            except csv.Error as exc:
                if reader.line_num > first or "unexpected end of data" in str(exc):
                    raise self._unclosed_quote(first) from None
                raise file_problem(
                    f"En-tête illisible (ligne {self._number + 1}) : guillemet mal placé ou fichier tronqué",
                    "une première ligne d'en-têtes séparés par le séparateur du fichier",
                ) from None
            self._number += 1
            if reader.line_num > first and self._swallows(record):
                raise self._unclosed_quote(first)
            if any(map(str.strip, record)):
                return self._number, record

    def batches(self, size):
        """Lists of up to `size` (row number, cells) for the non-blank records after the
        header; a malformed record comes as (row number, Problem).

        Every physical line is accounted for: a record read, a record refused, or the file
        refused as a whole when a quote left open swallows the lines after it (then no
        line of the file is read rather than some lost silently)."""
        reader, strip, number, batch = self._reader, str.strip, self._number, []
        previous = reader.line_num
        while True:
            try:
                for record in reader:
                    number += 1
                    if reader.line_num - previous > 1 and self._swallows(record):
                        raise self._unclosed_quote(previous + 1)
                    previous = reader.line_num
                    if (record and record[0] and not record[0].isspace()) or any(map(strip, record)):
                        batch.append((number, record))
                        if len(batch) >= size:
                            yield batch
                            batch = []
                break
            except csv.Error as exc:
                number += 1
                first, previous = previous + 1, reader.line_num
                if previous > first:
                    # The quoted cell ran over line breaks before the error: lines were swallowed.
                    raise self._unclosed_quote(first) from None
                if "unexpected end of data" in str(exc):
                    # On the last line: nothing swallowed, the line alone is refused.
                    problem = Problem(
                        "Guillemet ouvert jamais refermé : le fichier est sans doute tronqué",
                        "un fichier complet ; exportez-le à nouveau",
                    )
                else:
                    problem = Problem(
                        "Ligne illisible : guillemet mal placé dans une cellule",
                        'des cellules entourées de guillemets droits ("…") en entier, ou sans guillemets',
                    )
                batch.append((number, problem))
        self._number = number
        if batch:
            yield batch

    def close(self):
        self._text.close()
