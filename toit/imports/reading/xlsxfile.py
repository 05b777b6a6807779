"""Reading the first sheet of an XLSX workbook with calamine. Cells keep their type (dates,
numbers), which the cell types read natively.

calamine decodes a sheet into a dense rectangle from A1 to its farthest cell, and trusts
the ZIP's sizes: a workbook is first measured by toit.imports.reading.xlsxguard, which
refuses a zip bomb or a sheet spread over millions of empty cells before calamine sees
it. Rows are then handed over one at a time (iter_rows), never copied into one list."""

from python_calamine import CalamineError, CalamineWorkbook

from toit.imports.problems import file_problem
from toit.imports.reading.xlsxguard import check_workbook


def _unreadable(exc):
    return file_problem(
        "Classeur illisible : le fichier est tronqué, endommagé ou protégé par un mot de passe",
        "un classeur .xlsx complet et sans mot de passe : enregistrez-le à nouveau depuis le tableur",
    )


class XlsxTable:
    file_format = "xlsx"
    encoding = ""
    separator = ""
    separator_label = ""

    def __init__(self, path):
        self.path = path
        check_workbook(path)
        try:
            self._workbook = CalamineWorkbook.from_path(str(path))
            names = self._workbook.sheet_names
            if not names:
                raise file_problem("Le classeur ne contient aucune feuille", "un classeur avec une feuille de données")
            sheet = self._workbook.get_sheet_by_index(0)
            self.sheet_name = names[0]
            self.other_sheets = names[1:]
            # iter_rows starts at row 1 but at the first used column: pad back to column A.
            start = sheet.start
            self._pad = [""] * (start[1] if start else 0)
            self.total = sheet.total_height if start else 0
            self._rows = sheet.iter_rows()
        except (CalamineError, OSError, ValueError) as exc:
            raise _unreadable(exc) from None
        self._index = 0
        self.header_line, self.header = self._read_header()

    def done(self):
        return self._index

    @staticmethod
    def _blank(row):
        return not any(str(c).strip() for c in row if c is not None)

    def _next(self):
        try:
            row = next(self._rows)
        except StopIteration:
            return None
        except (CalamineError, ValueError) as exc:
            raise _unreadable(exc) from None
        self._index += 1
        return self._pad + row if self._pad else row

    def _read_header(self):
        while (row := self._next()) is not None:
            if not self._blank(row):
                return self._index, row
        raise file_problem(
            "La première feuille du classeur est vide",
            "une feuille avec une ligne d'en-têtes puis une ligne par signalement, événement ou décision",
        )

    def batches(self, size):
        batch = []
        while (row := self._next()) is not None:
            if not self._blank(row):
                batch.append((self._index, row))
                if len(batch) >= size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def close(self):
        self._rows = iter(())
        workbook, self._workbook = getattr(self, "_workbook", None), None
        if workbook is not None:
            workbook.close()
