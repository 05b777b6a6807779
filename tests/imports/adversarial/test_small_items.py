"""The smaller traps of issue 18: Excel's text guard around a key, NUL bytes past the
part of the file the sniffer reads, old-Mac line endings, a title line above the header."""

import pytest

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, issues, upload
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
