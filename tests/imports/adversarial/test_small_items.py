"""The smaller traps of issue 18: Excel's text guard around a key, NUL bytes past the
part of the file the sniffer reads, old-Mac line endings, a title line above the header."""

import re
import zipfile

import pytest

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, import_file, issues, upload
from tests.imports.xlsx import write_xlsx
from toit.imports.models import ImportedRow

CAF = "impayes_caf_msa"
pytestmark = pytest.mark.django_db


def test_excel_text_guard_is_the_same_key(caf, world):
    """="0712345A" is how Excel keeps a text cell text in a CSV: the same allocataire."""
    user, organisation = caf
    first = upload(user, organisation, CAF, csv_bytes([CAF_HEADER, caf_row("0712345A")]))
    guarded = upload(user, organisation, CAF, csv_bytes([CAF_HEADER, caf_row('="0712345A"')]), name="g.csv")
    assert first.valid_rows == guarded.valid_rows == 1
    from toit.imports.models import StagedRow

    keys = set(StagedRow.objects.filter(job__in=[first, guarded]).values_list("key_hash", flat=True))
    assert len(keys) == 1
    assert not ImportedRow.objects.exists()


def test_nul_bytes_past_the_sniffed_part_are_errors_of_their_cells(caf):
    rows = [CAF_HEADER] + [caf_row(f"A{i}") for i in range(200)]  # well past 4 KB
    rows.append(caf_row("B1", last="DUR\x00AND"))
    job = upload(*caf, CAF, csv_bytes(rows))
    assert (job.total_rows, job.valid_rows, job.rejected_rows) == (201, 200, 1)
    [(line, column, _value, message)] = issues(job)
    assert (line, column) == (202, "Nom") and message.startswith("Octet nul (0x00)")


def test_old_mac_line_endings_are_read(caf):
    data = csv_bytes([CAF_HEADER, caf_row("A1"), caf_row("A2")], newline="\r")
    job = upload(*caf, CAF, data)
    assert (job.total_rows, job.valid_rows, job.separator) == (2, 2, ";"), issues(job)


def test_a_title_line_above_the_header_is_named(caf):
    data = b"Signalements CAF mars 2010\r\n" + csv_bytes([CAF_HEADER, caf_row("A1")])
    job = upload(*caf, CAF, data)
    [(_line, _column, _value, message)] = issues(job)
    assert message.startswith("La première ligne (« Signalements CAF mars 2010 ») n'a qu'une colonne")
    assert "7 séparées par des points-virgules" in message


FSL_HEADER = ["Numéro de décision", "Référence du dossier", "Objet", "Décision", "Forme de l'aide", "Montant accordé"]


@pytest.mark.parametrize(
    ("garantie", "expected"),
    [(None, None), ("", None), ("oui", True), ("non", False)],
    ids=["sans colonne", "vide", "oui", "non"],
)
def test_the_fsl_guarantee_is_unknown_unless_the_file_says_it(world, client, garantie, expected):
    """A file without the « Garantie » column (or an empty cell) does not say « non »: the
    decision's guarantee is unknown, counted neither with nor without the guarantee."""
    from django.urls import reverse

    from toit.eviction.models import FslDecision

    header = [*FSL_HEADER, "Date de la décision"] + (["Garantie"] if garantie is not None else [])
    row = [
        "FSL-1",
        world.benali_file.reference,
        "Maintien dans le logement",
        "Accordé",
        "Subvention",
        "800,00",
        "12/05/2010",
    ]
    row += [garantie] if garantie is not None else []
    job = import_file(world.users["FSL72"], world.fsl, "decisions_fsl", csv_bytes([header, row]))
    assert job.imported_rows == 1, issues(job)
    decision = FslDecision.objects.get()
    assert decision.under_guarantee is expected
    client.force_login(world.users["FSL72"])
    page = client.get(reverse("eviction:file", args=[world.benali_file.reference])).content.decode()
    assert ("garantie : non renseignée" in page) is (expected is None)


ENGLISH = re.compile(r"\b(the|is|not|well|formed|invalid|token|syntax|error|line|column|file|zip|bad)\b", re.I)


@pytest.mark.parametrize("damage", ["xml", "truncated"])
def test_a_damaged_workbook_is_explained_in_french(caf, tmp_path, damage):
    """Neither expat's « not well-formed (invalid token): line 2, column 5 » nor a Python
    class name (BadZipFile) reaches the depositor."""
    path = write_xlsx(tmp_path / "f.xlsx", [CAF_HEADER, caf_row("A1")])
    if damage == "xml":
        with zipfile.ZipFile(path) as source:
            parts = {info.filename: source.read(info) for info in source.infolist()}
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b"<sheetData>", b"<sheetData><<")
        with zipfile.ZipFile(path, "w") as target:
            for name, data in parts.items():
                target.writestr(name, data)
        data = path.read_bytes()
    else:
        data = path.read_bytes()[:-200]
    job = upload(*caf, CAF, data, name="signalements.xlsx")
    [(_line, _column, _value, message)] = issues(job)
    assert message.startswith("Classeur"), message
    assert not ENGLISH.findall(message), message
    expected = job.issues.get().expected
    assert not ENGLISH.findall(expected), expected
