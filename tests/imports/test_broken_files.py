"""Broken files get French errors that say where, what and how to fix, and leave the
database as it was: the check writes nothing, and « ne rien importer » neither."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, domain_counts, issues, upload
from tests.imports.xlsx import write_xlsx
from toit.imports import jobs
from toit.imports.enums import Decision, JobStatus, RowStatus
from toit.imports.models import ImportJob, StagedRow

CAF = "impayes_caf_msa"


@pytest.fixture
def caf(world):
    return world.users["CAF72"], world.caf


def check(caf, data, name="fichier.csv"):
    """Upload and check `data`; the database must not move, nor after « ne rien importer »."""
    before = domain_counts()
    job = upload(*caf, CAF, data, name=name)
    assert job.status == JobStatus.VALIDATED
    assert domain_counts() == before
    return job


def abandon(job, caf):
    before = domain_counts()
    job = jobs.decide(job, caf[0], Decision.NOTHING)
    assert job.status == JobStatus.CANCELLED
    assert domain_counts() == before
    assert not StagedRow.objects.filter(job=job).exists()


def test_mixed_encodings_in_a_large_file(caf):
    """The sample says UTF-8; a Windows-1252 row further down is named, not misread."""
    rows = [CAF_HEADER] + [caf_row(f"A{i}", last="LEFÈBVRE") for i in range(6000)]
    data = csv_bytes(rows)  # about 370 kB of UTF-8, more than the sample read to detect the encoding
    data += csv_bytes([caf_row("B1", last="GUÉRIN")], encoding="cp1252")
    data += csv_bytes([caf_row(f"C{i}") for i in range(3000)])
    job = check(caf, data)
    assert job.encoding == "UTF-8" and job.valid_rows == 9000
    [(line, column, value, message)] = issues(job)
    assert (line, column, value) == (6002, "Nom", "GU�RIN")
    assert "octet invalide pour l'encodage détecté" in message
    abandon(job, caf)


def test_utf8_and_windows_1252_mixed_in_a_small_file(caf):
    data = csv_bytes([CAF_HEADER, caf_row("A1", last="LEFÈBVRE")], encoding="cp1252")
    data += csv_bytes([caf_row("A2", last="GUÉRIN")])
    job = check(caf, data)
    assert job.encoding == "Windows-1252"
    [(line, column, value, message)] = issues(job)
    assert (line, column, value) == (3, "Nom", "GUÃ‰RIN")
    assert "mal décodés" in message


def test_utf16_is_refused_for_the_whole_file(caf):
    job = check(caf, "\n".join(";".join(r) for r in [CAF_HEADER, caf_row("A1")]).encode("utf-16"))
    assert job.valid_rows == 0
    [(line, _column, _value, message)] = issues(job)
    assert line is None and "UTF-16" in message
    with pytest.raises(Exception, match="Aucune ligne valide"):
        jobs.decide(job, caf[0], Decision.VALID_ONLY)
    abandon(job, caf)


def test_missing_column(caf):
    job = check(caf, csv_bytes([["Nom", "Prénom", "Date du signalement"], ["DURAND", "Sylvie", "03/03/2010"]]))
    assert job.valid_rows == 0 and job.total_rows == 0
    found = issues(job)
    assert found == [(1, "Numéro d'allocataire", "", "Colonne obligatoire absente : « Numéro d'allocataire »"),
            (1, "Montant de la dette", "", "Colonne obligatoire absente : « Montant de la dette »")]  # fmt: skip
    expected = job.issues.get(column="Montant de la dette").expected
    assert "« dette »" in expected and "en-têtes lus : Nom, Prénom, Date du signalement" in expected


def test_bad_dates_name_row_column_value_and_the_expected_form(caf):
    rows = [caf_row("A1"), caf_row("A2", born="31/02/1975"), caf_row("A3", reported="mars 2010")]
    job = check(caf, csv_bytes([CAF_HEADER, *rows, caf_row("A4", reported="03/03/2031")]))
    assert (job.total_rows, job.valid_rows, job.rejected_rows) == (4, 1, 3)
    found = issues(job)
    assert found[0] == (3, "Date de naissance", "31/02/1975", "Cette date n'existe pas")
    assert found[1] == (4, "Date du signalement", "mars 2010", "Format de date non reconnu")
    assert found[2][:3] == (5, "Date du signalement", "03/03/2031") and "Date dans le futur" in found[2][3]
    assert "jj/mm/aaaa" in job.issues.get(line_number=4).expected


def test_duplicated_rows(caf):
    job = check(caf, csv_bytes([CAF_HEADER, caf_row("A1"), caf_row("A2"), caf_row("A1"), caf_row("A2", debt="99,00")]))
    assert (job.valid_rows, job.rejected_rows) == (2, 2)
    found = issues(job)
    assert found[0] == (4, "", "", "Ligne en double : identique à la ligne 2")
    assert found[1][:3] == (5, "", "") and "que la ligne 3, mais d'autres valeurs" in found[1][3]
    assert "« Numéro d'allocataire », « Date du signalement »" in found[1][3]


def test_truncated_file(caf):
    data = csv_bytes([CAF_HEADER, caf_row("A1"), caf_row("A2")])
    job = check(caf, data[:-25])  # cut in the middle of the last row
    assert job.valid_rows == 1
    found = issues(job)
    assert found[0][0] == 3 and found[0][3] == "Ligne incomplète : 5 cellule(s) pour 7 colonnes d'en-tête"
    assert "tronqué" in job.issues.filter(line_number=3).first().expected
    assert job.rejected_rows == 1 and (3, "Montant de la dette", "", "Valeur manquante") in found


def test_truncated_inside_quotes(caf):
    data = csv_bytes([CAF_HEADER, caf_row("A1")]) + b'A2;"DURAND;Syl'
    job = check(caf, data)
    [(line, _, _, message)] = issues(job)
    assert line == 3 and "Guillemet ouvert jamais refermé" in message


def test_header_only(caf):
    job = check(caf, csv_bytes([CAF_HEADER]))
    [(line, _, _, message)] = issues(job)
    assert (line, message) == (1, "Aucune ligne de données après l'en-tête")


def test_zero_byte_file_is_refused_at_the_door(client, caf):
    user, organisation = caf
    client.force_login(user)
    before = domain_counts()
    response = client.post(
        reverse("imports:new"),
        {"organisation": organisation.pk, "source_kind": CAF, "file": StringIO("")},
    )
    assert response.status_code == 200
    assert "Le fichier soumis est vide" in response.text or "vide (0 octet)" in response.text
    assert not ImportJob.objects.exists() and domain_counts() == before


def test_zero_byte_file_on_the_command_line(world, tmp_path):
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match=r"Le fichier est vide \(0 octet\)"):
        call_command("toit_import", CAF, str(empty), organisation="CAF72", user="agent-caf72", stdout=StringIO())
    assert not ImportJob.objects.exists()


def test_xlsx_that_is_really_a_csv(client, caf, tmp_path):
    user, organisation = caf
    client.force_login(user)
    fake = tmp_path / "signalements.xlsx"
    fake.write_bytes(csv_bytes([CAF_HEADER, caf_row("A1")]))
    with fake.open("rb") as handle:
        response = client.post(
            reverse("imports:new"), {"organisation": organisation.pk, "source_kind": CAF, "file": handle}
        )
    assert "porte l&#x27;extension .xlsx mais n&#x27;est pas un classeur Excel" in response.text
    assert "renommé en .csv" in response.text
    assert not ImportJob.objects.exists()


def test_damaged_xlsx(caf, tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [CAF_HEADER, caf_row("A1")])
    job = check(caf, path.read_bytes()[:600], name="f.xlsx")
    [(line, _, _, message)] = issues(job)
    assert line is None and message.startswith("Classeur illisible")


def test_unknown_extension_and_size_limit(caf, settings):
    with pytest.raises(Exception, match=r"Extension « \.pdf » non acceptée"):
        upload(*caf, CAF, b"%PDF-1.4", name="f.pdf")
    settings.TOIT_IMPORT_MAX_BYTES = 10
    with pytest.raises(Exception, match=r"Fichier trop volumineux .* la limite est de 0 Mo"):
        upload(*caf, CAF, csv_bytes([CAF_HEADER]))


def test_errors_and_valid_rows_then_import_nothing(caf):
    job = check(caf, csv_bytes([CAF_HEADER, caf_row("A1"), caf_row("A2", debt="-5")]))
    assert (job.valid_rows, job.error_count) == (1, 1)
    with pytest.raises(Exception, match="tout ou rien"):
        jobs.decide(job, caf[0], Decision.ALL_OR_NOTHING)
    abandon(job, caf)


def test_many_errors_between_valid_rows(caf, settings):
    """Errors are written between stretches of staged rows (on PostgreSQL, between COPYs):
    every row ends up either staged or reported, once."""
    settings.TOIT_IMPORT_BATCH_ROWS = 10
    rows = [caf_row(f"A{i}", debt="-1" if i % 3 == 0 else "12,50") for i in range(95)]
    job = check(caf, csv_bytes([CAF_HEADER, *rows]))
    assert (job.total_rows, job.valid_rows, job.rejected_rows, job.error_count) == (95, 63, 32, 32)
    assert sorted(StagedRow.objects.filter(job=job).values_list("line_number", flat=True)) == [
        i + 2 for i in range(95) if i % 3
    ]
    assert [line for line, *_ in issues(job)] == [i + 2 for i in range(95) if i % 3 == 0]


def test_a_row_with_a_bad_cell_lists_its_other_errors_too(caf):
    """A cell that cannot be read does not hide the row's other rules: the partner fixes
    the row in one go."""
    rows = [
        caf_row("A1"),
        caf_row("A2", born="05/05/2010", debt="beaucoup"),  # born after the report, and no amount
        caf_row("A3", born="31/02/1975", reported="mars 2010"),  # two cells, no rule to compare
        caf_row("A4", born="05/05/2010"),  # the rule alone
    ]
    job = check(caf, csv_bytes([CAF_HEADER, *rows]))
    assert (job.total_rows, job.valid_rows, job.rejected_rows) == (4, 1, 3)
    found = issues(job)
    assert [(line, column) for line, column, *_ in found] == [
        (3, "Montant de la dette"),
        (3, "Date de naissance"),
        (4, "Date de naissance"),
        (4, "Date du signalement"),
        (5, "Date de naissance"),
    ]
    assert found[1][3] == found[4][3] == "Date de naissance postérieure à la date du signalement (03/03/2010)"
    # A row with a cell error is never staged, whatever the sink could read of it (a row
    # that only breaks a rule is, as refused, for the rules on the whole file).
    staged = StagedRow.objects.filter(job=job).order_by("line_number").values_list("line_number", "status")
    assert list(staged) == [(2, RowStatus.VALID), (5, RowStatus.REFUSED)]
