"""Streaming a CSV file: decoded with the detected encoding, split with the detected
separator, one record at a time. Memory stays bounded whatever the file's size."""

import csv
import io

from toit.imports.problems import Problem, file_problem
from toit.imports.reading.encoding import SAMPLE_BYTES, detect_encoding

SEPARATORS = [";", ",", "\t", "|"]
SEPARATOR_LABELS = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
csv.field_size_limit(1024 * 1024)  # one cell of a megabyte at most: beyond, the file is broken


def detect_separator(text, at_eof):
    """The separator that splits the header and the first records into the same number
    (at least two) of fields; ties go to ; then , then tab then |."""
    best, best_score = None, (0, 0)
    for separator in SEPARATORS:
        try:
            records = [r for r in csv.reader(io.StringIO(text), delimiter=separator) if any(c.strip() for c in r)]
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
        raise file_problem(
            "Séparateur de colonnes introuvable : la première ligne ne contient qu'une colonne",
            "des colonnes séparées par des points-virgules, des virgules ou des tabulations, avec une ligne d'en-tête",
        )
    return best


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

    def _read_header(self):
        self._number = 0
        while True:
            try:
                record = next(self._reader)
            except StopIteration:
                raise file_problem(
                    "Le fichier ne contient aucune ligne : ni en-tête ni données",
                    "une ligne d'en-têtes puis une ligne par signalement, événement ou décision",
                ) from None
            except csv.Error:
                raise file_problem(
                    f"En-tête illisible (ligne {self._number + 1}) : guillemet mal placé ou fichier tronqué",
                    "une première ligne d'en-têtes séparés par le séparateur du fichier",
                ) from None
            self._number += 1
            if any(map(str.strip, record)):
                return self._number, record

    def batches(self, size):
        """Lists of up to `size` (row number, cells) for the non-blank records after the
        header; a malformed record comes as (row number, Problem)."""
        reader, strip, number, batch = self._reader, str.strip, self._number, []
        while True:
            try:
                for record in reader:
                    number += 1
                    if (record and record[0] and not record[0].isspace()) or any(map(strip, record)):
                        batch.append((number, record))
                        if len(batch) >= size:
                            yield batch
                            batch = []
                break
            except csv.Error as exc:
                number += 1
                if "unexpected end of data" in str(exc):
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
