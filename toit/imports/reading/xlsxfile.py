"""Reading the first sheet of an XLSX workbook with calamine. Cells keep their type (dates,
numbers), which the cell types read natively. calamine decodes a sheet whole, so the
upload limit for XLSX (toit.imports.storage) is what bounds memory: large volumes come as
CSV."""

from python_calamine import CalamineError, CalamineWorkbook

from toit.imports.problems import file_problem


class XlsxTable:
    file_format = "xlsx"
    encoding = ""
    separator = ""
    separator_label = ""

    def __init__(self, path):
        self.path = path
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            names = workbook.sheet_names
            if not names:
                raise file_problem("Le classeur ne contient aucune feuille", "un classeur avec une feuille de données")
            sheet = workbook.get_sheet_by_index(0)
            self.sheet_name = names[0]
            self.other_sheets = names[1:]
            self._rows = sheet.to_python(skip_empty_area=False)
            workbook.close()
        except (CalamineError, OSError, ValueError) as exc:
            raise file_problem(
                f"Classeur illisible ({type(exc).__name__}) : le fichier est tronqué, endommagé ou protégé par un "
                "mot de passe",
                "un classeur .xlsx complet et sans mot de passe : enregistrez-le à nouveau depuis le tableur",
            ) from None
        self.total = len(self._rows)
        self._index = 0
        self.header_line, self.header = self._read_header()

    def done(self):
        return self._index

    @staticmethod
    def _blank(row):
        return not any(str(c).strip() for c in row if c is not None)

    def _read_header(self):
        while self._index < self.total:
            row = self._rows[self._index]
            self._index += 1
            if not self._blank(row):
                return self._index, row
        raise file_problem(
            "La première feuille du classeur est vide",
            "une feuille avec une ligne d'en-têtes puis une ligne par signalement, événement ou décision",
        )

    def batches(self, size):
        batch = []
        while self._index < self.total:
            row = self._rows[self._index]
            self._rows[self._index] = None  # let what is read go
            self._index += 1
            if not self._blank(row):
                batch.append((self._index, row))
                if len(batch) >= size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def close(self):
        self._rows = []
