import codecs

import pytest

from tests.imports.xlsx import write_xlsx
from toit.imports.headers import header_key, match_header
from toit.imports.mappings import SOURCE_KINDS
from toit.imports.problems import FileProblem
from toit.imports.reading import open_table, sniff_format

CAF = SOURCE_KINDS["impayes_caf_msa"]
TEXT = "N° allocataire;Nom;Prénom;Date du signalement;Montant de la dette\r\n1;Lefèvre;Noël;01/02/2010;1 234,56\r\n"


def read(path, file_format="csv"):
    with open_table(path, file_format) as table:
        rows = [row for batch in table.batches(2) for row in batch]
        return table, rows


@pytest.mark.parametrize(
    "data, label, codec",
    [
        (TEXT.encode("utf-8"), "UTF-8", "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8 (avec BOM)", "utf-8-sig"),
        ((TEXT + "2;Cœur;Ève;01/02/2010;12 €\r\n").encode("cp1252"), "Windows-1252", "cp1252"),
        (TEXT.encode("latin-1"), "ISO-8859-1", "cp1252"),
    ],
)
def test_encodings_are_detected_and_shown(tmp_path, data, label, codec):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    table, rows = read(path)
    assert (table.encoding, table.codec) == (label, codec)
    assert table.header[0] == "N° allocataire"
    assert rows[0][1][1:3] == ["Lefèvre", "Noël"]


def test_utf16_is_refused_with_a_fix(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(TEXT.encode("utf-16"))
    with pytest.raises(FileProblem) as error:
        read(path)
    assert "UTF-16" in error.value.problems[0].message
    assert "CSV UTF-8" in error.value.problems[0].expected


@pytest.mark.parametrize("separator, label", [(";", "point-virgule"), (",", "virgule"), ("\t", "tabulation")])
def test_separators(tmp_path, separator, label):
    path = tmp_path / "f.csv"
    path.write_text(f'a{separator}b{separator}c\n1{separator}"2{separator}5"{separator}3\n', encoding="utf-8")
    table, rows = read(path)
    assert table.separator_label == label
    assert rows == [(2, ["1", f"2{separator}5", "3"])]


def test_comma_separated_file_with_decimal_commas_in_quotes(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('nom,montant,date\nDurand,"1 234,56",01/02/2010\nPetit,"12,50",02/02/2010\n', encoding="utf-8")
    table, rows = read(path)
    assert table.separator == ","
    assert rows[1][1] == ["Petit", "12,50", "02/02/2010"]


def test_row_numbers_are_those_of_the_spreadsheet(tmp_path):
    """Blank lines count, as the spreadsheet shows them; a quoted line break does not make
    two rows."""
    path = tmp_path / "f.csv"
    path.write_text('\na;b\n1;2\n\n;\n3;"x\ny"\n4;5\n', encoding="utf-8")
    table, rows = read(path)
    assert table.header_line == 2
    assert [number for number, _ in rows] == [3, 6, 7]


def test_truncated_quote_refuses_the_file(tmp_path):
    """A quote open to the end of the file swallowed the lines after it: the file is
    refused as a whole rather than read without them."""
    path = tmp_path / "f.csv"
    path.write_text('a;b\n1;2\n3;"4\n5;6\n', encoding="utf-8")
    with pytest.raises(FileProblem) as caught:
        read(path)
    [problem] = caught.value.problems
    assert problem.line == 3
    assert problem.message.startswith("Guillemet non fermé à la ligne 3 du fichier")


def test_xlsx_rows_keep_their_types_and_numbers(tmp_path):
    import datetime

    path = write_xlsx(
        tmp_path / "f.xlsx", [["a", "b"], [], ["x", datetime.date(2010, 3, 5)], ["y", 12.5]], extra_sheets=["Notes"]
    )
    table, rows = read(path, "xlsx")
    assert table.header == ["a", "b"]
    assert rows == [(3, ["x", datetime.date(2010, 3, 5)]), (4, ["y", 12.5])]
    assert table.other_sheets == ["Notes"]


@pytest.mark.parametrize(
    "head, extension, message",
    [
        (b"", ".csv", "vide (0 octet)"),
        (b"a;b\n1;2\n", ".xlsx", "n'est pas un classeur Excel"),
        (b"PK\x03\x04rest", ".csv", "archive ou un classeur Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls", "97-2003"),
        (b"%PDF-1.4", ".csv", "PDF"),
        (b"a\x00b\x00", ".csv", "octets nuls"),
    ],
)
def test_sniffing_says_what_the_file_really_is(head, extension, message):
    with pytest.raises(FileProblem) as error:
        sniff_format(head, extension)
    assert message in error.value.problems[0].message


def test_headers_match_ignoring_accents_case_spacing_and_punctuation():
    assert header_key("Date de naissance") == header_key("DATE_DE_NAISSANCE") == header_key(" date-de  naissance ")
    assert header_key("\ufeffN° allocataire") == header_key("n allocataire")
    layout = match_header(
        ["NUMERO ALLOCATAIRE", "nom", "PRENOM", "Né(e) le", "date signalement", "Dette", "Colonne inconnue"], CAF
    )
    assert {column.field for _, column, _ in layout.positions} == {
        "beneficiary_number", "last_name", "first_name", "birth_date", "reported_on", "debt_amount",
    }  # fmt: skip
    assert layout.ignored == ["Colonne inconnue"]


def test_missing_and_doubled_columns_are_all_listed():
    with pytest.raises(FileProblem) as error:
        match_header(["Nom", "NOM", "Prénom", "Date du signalement"], CAF)
    messages = [p.message for p in error.value.problems]
    assert "Deux colonnes donnent « Nom » : « Nom » et « NOM »" in messages
    assert "Colonne obligatoire absente : « Numéro d'allocataire »" in messages
    assert "Colonne obligatoire absente : « Montant de la dette »" in messages
    missing = next(p for p in error.value.problems if "Montant" in p.message)
    assert "« dette »" in missing.expected  # the aliases that would have been understood
