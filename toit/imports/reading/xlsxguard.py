"""Measuring a workbook before anyone decodes it. An XLSX is a ZIP of XML parts: a 5 KB
file can declare a sheet from A1 to XFD1048576 (a dense reader allocates its 17 billion
cells), and a few MB can inflate to gigabytes. calamine trusts both, and a worker that
runs out of memory dies with the job.

So the parts are inflated here first, as a stream and within a budget of bytes, and the
worksheets are scanned with expat (no tree, no DTD) for the cells they really hold: how
many, and the rectangle from A1 to the farthest one, which is what calamine will
allocate. The declared dimension is never read. Only a workbook within every limit is
handed to calamine. Limits are settings, with defaults that leave a 30 MB workbook of
real data room (it inflates to about 10 times its size, a few cells per byte)."""

import re
import zipfile
from xml.parsers import expat

from django.conf import settings

from toit.imports.problems import file_problem

MB = 1024 * 1024
CHUNK = 256 * 1024
_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)$")
MAX_COLUMN = 16384  # XFD, the last column a workbook may have
MAX_ROW = 1048576
EXPECTED = "un classeur .xlsx ordinaire ; pour de gros volumes, un fichier CSV (enregistrez sous « CSV UTF-8 »)"


def max_uncompressed():
    return int(getattr(settings, "TOIT_IMPORT_XLSX_MAX_UNCOMPRESSED", 400 * MB))


def max_cells():
    """Cells of the rectangle calamine decodes (A1 to the farthest filled cell)."""
    return int(getattr(settings, "TOIT_IMPORT_XLSX_MAX_CELLS", 5_000_000))


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


class _SheetScan:
    """Cells of one worksheet's XML, fed in chunks; positions follow the `r` attributes, or
    come after the previous ones when a writer leaves them out, as readers do."""

    def __init__(self, name, cell_budget):
        self.name = name
        self.cell_budget = cell_budget
        self.cells = 0
        self.rows = 0  # farthest row and column holding a cell
        self.columns = 0
        self._row = 0
        self._column = 0
        parser = expat.ParserCreate()
        parser.StartElementHandler = self._start
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        self.parser = parser

    @staticmethod
    def _doctype(*args):
        raise _Refused(
            "Classeur invalide : une feuille déclare un DTD ou des entités XML, qu'un tableur n'écrit jamais"
        )

    def _start(self, tag, attributes):
        tag = tag.rpartition(":")[2]
        if tag == "row":
            r = attributes.get("r")
            self._row = int(r) if r and r.isdigit() else self._row + 1
            self._column = 0
        elif tag == "c":
            match = _REFERENCE.match(attributes.get("r", ""))
            if match:
                self._column = _column_number(match.group(1))
                self._row = int(match.group(2))
            else:
                self._column += 1
            if self._row > MAX_ROW or self._column > MAX_COLUMN:
                raise _Refused(f"Classeur invalide : la feuille « {self.name} » a une cellule hors des limites d'Excel")
            self.cells += 1
            self.rows = max(self.rows, self._row)
            self.columns = max(self.columns, self._column)
            if self.cells > self.cell_budget:
                raise _Refused(
                    f"Classeur trop grand : plus de {self.cell_budget:,} cellules".replace(",", " ")
                    + " remplies dans ses feuilles"
                )

    def feed(self, data, final=False):
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            # expat says what in English: where is enough to find it.
            raise _Refused(
                f"Classeur endommagé : le contenu de la feuille est illisible (ligne {exc.lineno}, position "
                f"{exc.offset + 1} de son XML)"
            ) from None


class _Refused(Exception):
    pass


def check_workbook(path):
    """FileProblem unless the workbook at `path` inflates within max_uncompressed() bytes
    and its worksheets span at most max_cells() cells from A1."""
    budget, cell_budget = max_uncompressed(), max_cells()
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            declared = sum(entry.file_size for entry in entries)
            if declared > budget:
                raise _Refused(
                    f"Classeur trop volumineux une fois décompressé ({declared / MB:.0f} Mo annoncés, limite "
                    f"{budget / MB:.0f} Mo)"
                )
            inflated, cells = 0, 0
            for entry in entries:
                sheet = entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
                scan = _SheetScan(entry.filename.rpartition("/")[2][:-4], cell_budget - cells) if sheet else None
                # zipfile never inflates past the declared size, and checks the CRC at the end: a
                # part that lies about its size is refused rather than trusted.
                with archive.open(entry) as stream:
                    while chunk := stream.read(CHUNK):
                        inflated += len(chunk)
                        if inflated > budget:
                            raise _Refused(
                                f"Classeur trop volumineux une fois décompressé (plus de {budget / MB:.0f} Mo)"
                            )
                        if scan is not None:
                            scan.feed(chunk)
                if scan is not None:
                    scan.feed(b"", final=True)
                    cells += scan.cells
                    area = scan.rows * scan.columns
                    if area > cell_budget:
                        raise _Refused(
                            f"Classeur démesuré : la feuille « {scan.name} » s'étend jusqu'à la ligne {scan.rows} "
                            f"et la colonne {scan.columns}, soit {area:,} cases à lire".replace(",", " ")
                            + f" (limite {cell_budget:,})".replace(",", " ")
                            + ". Une cellule isolée loin des données suffit : supprimez les lignes et colonnes vides "
                            "sous et à droite du tableau"
                        )
    except _Refused as exc:
        raise file_problem(str(exc), EXPECTED) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        raise file_problem(
            "Classeur illisible : le fichier est tronqué, endommagé ou protégé par un mot de passe",
            "un classeur .xlsx complet et sans mot de passe : enregistrez-le à nouveau depuis le tableur",
        ) from None
