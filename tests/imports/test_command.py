from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, domain_counts
from tests.imports.world import SAMPLES
from toit.eviction.models import Report
from toit.imports.enums import JobStatus
from toit.imports.models import ImportJob


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("toit_import", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "signalements.csv"
    path.write_bytes(csv_bytes([CAF_HEADER, caf_row("A1"), caf_row("A2", born="31/02/1975"), caf_row("A3", last="X")]))
    return path


def test_prints_detection_progress_and_result(world):
    out, err = run("impayes_caf_msa", str(SAMPLES / "impayes-caf-msa.csv"), organisation="caf72", user="agent-caf72")
    assert "Encodage détecté : Windows-1252 ; séparateur : point-virgule ; lignes lues : 5 ; valides : 5" in out
    assert "Importé : 5 ligne(s) ; rattachées à un dossier existant : 1 ; à rattacher par un agent : 4" in out
    assert "Vérification : 100 %" in err and "Import : 100 %" in err


def test_all_or_nothing_by_default_prints_the_report_and_imports_nothing(world, broken):
    before = domain_counts()
    with pytest.raises(CommandError, match=r"Rien n'a été importé : 1 erreur\(s\) ; avec --valid-only"):
        _out, _ = run("impayes_caf_msa", str(broken), organisation="CAF72", user="agent-caf72")
    assert domain_counts() == before
    assert ImportJob.objects.get().status == JobStatus.CANCELLED


def test_valid_only(world, broken, tmp_path):
    report = tmp_path / "erreurs.csv"
    out, _ = run(
        "impayes_caf_msa",
        str(broken),
        organisation="CAF72",
        user="agent-caf72",
        valid_only=True,
        error_report=str(report),
    )
    assert "Ligne 3, colonne « Date de naissance », valeur « 31/02/1975 » : Cette date n'existe pas. Attendu :" in out
    assert "Importé : 2 ligne(s)" in out
    assert Report.objects.count() == 2
    assert report.read_text(encoding="utf-8").splitlines()[1].startswith("3;Date de naissance;31/02/1975;")


def test_refuses_what_it_cannot_do(world, tmp_path):
    with pytest.raises(CommandError, match=r"Indiquez --user .*membres qui le peuvent : agent-caf72"):
        run("impayes_caf_msa", str(SAMPLES / "impayes-caf-msa.csv"), organisation="CAF72")
    with pytest.raises(CommandError, match="Organisation inconnue : « CAF99 »"):
        run("impayes_caf_msa", str(SAMPLES / "impayes-caf-msa.csv"), organisation="CAF99", user="agent-caf72")
    with pytest.raises(CommandError, match="Vous n'agissez pas au nom de « FSL de la Sarthe »"):
        run("decisions_fsl", str(SAMPLES / "decisions-fsl.csv"), organisation="FSL72", user="agent-caf72")
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run("impayes_caf_msa", str(tmp_path / "absent.csv"), organisation="CAF72", user="agent-caf72")
    assert not ImportJob.objects.exists()
