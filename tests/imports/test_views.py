import re

import pytest
from django.urls import reverse

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, upload
from tests.imports.world import SAMPLES
from tests.organisations.factories import OrganisationFactory, member_of
from toit.imports import jobs
from toit.imports.enums import Decision, JobStatus
from toit.imports.runs import Run
from toit.organisations.enums import Role


@pytest.fixture
def caf_job(world):
    return upload(
        world.users["CAF72"],
        world.caf,
        "impayes_caf_msa",
        csv_bytes([CAF_HEADER, caf_row("A1"), caf_row("A2", debt="-3")]),
    )


def no_inline_code(html):
    """Strict CSP: no inline script, style or handler in what the pages send."""
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_menu_entry_for_nominative_roles_only(client, world):
    client.force_login(world.users["CAF72"])
    assert reverse("imports:list") in client.get(reverse("organisations:list")).text
    client.force_login(member_of(world.caf, Role.OBSERVATORY))
    assert reverse("imports:list") not in client.get(reverse("organisations:list")).text


def test_outsiders_get_404(client, world, caf_job):
    client.force_login(world.users["FSL72"])
    for name in ("detail", "progress", "errors"):
        assert client.get(reverse(f"imports:{name}", args=[caf_job.pk])).status_code == 404
    assert client.post(reverse("imports:decide", args=[caf_job.pk]), {"decision": "rien"}).status_code == 404
    client.force_login(member_of(world.caf, Role.OBSERVATORY))
    assert client.get(reverse("imports:detail", args=[caf_job.pk])).status_code == 404
    assert caf_job.original_name not in client.get(reverse("imports:list")).text


def test_login_required(client, caf_job):
    response = client.get(reverse("imports:detail", args=[caf_job.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_list_page_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    user = world.users["CAF72"]
    client.force_login(user)
    upload(user, world.caf, "impayes_caf_msa", SAMPLES / "impayes-caf-msa.csv")
    # 10 with the access-log insert: a deposited file's name may carry a household's name.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("imports:list"))
    assert "impayes-caf-msa.csv" in response.text
    for number in range(5):
        upload(user, world.caf, "impayes_caf_msa", csv_bytes([CAF_HEADER, caf_row(f"B{number}")]))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("imports:list"))
    assert response.text.count("fichier.csv") == 5
    no_inline_code(response.text)


def test_detail_shows_the_check_the_errors_and_the_choice(client, world, caf_job, django_assert_max_num_queries):
    client.force_login(world.users["CAF72"])
    # 9 with the access-log insert: the error report's first lines quote the file's cells.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("imports:detail", args=[caf_job.pk]))
    text = response.text
    assert "Encodage détecté" in text and "UTF-8" in text and "point-virgule" in text
    assert "Montant négatif" in text and "-3" in text
    assert 'data-fr-current-step="3"' in text
    assert "Importer la ligne valide" in text and "Ne rien importer" in text
    assert reverse("imports:errors", args=[caf_job.pk]) in text
    no_inline_code(text)


def test_error_report_csv(client, world, caf_job):
    client.force_login(world.users["CAF72"])
    response = client.get(reverse("imports:errors", args=[caf_job.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="erreurs-import-{caf_job.pk}.csv"'
    lines = b"".join(response.streaming_content).decode("utf-8").splitlines()
    assert lines[0] == "\ufeffLigne;Colonne;Valeur;Erreur;Attendu"
    # A value a spreadsheet would take for a formula is neutralised.
    assert lines[1].startswith("3;Montant de la dette;'-3;Montant négatif;")


def test_decide_from_the_page(client, world, caf_job):
    client.force_login(world.users["CAF72"])
    response = client.post(reverse("imports:decide", args=[caf_job.pk]), {"decision": Decision.VALID_ONLY})
    assert response.status_code == 302
    caf_job.refresh_from_db()
    assert caf_job.status == JobStatus.DONE and caf_job.imported_rows == 1
    text = client.get(reverse("imports:detail", args=[caf_job.pk])).text
    assert "Import terminé" in text and "Rattachées à un dossier existant : 1" in text
    response = client.post(reverse("imports:decide", args=[caf_job.pk]), {"decision": Decision.NOTHING}, follow=True)
    assert "n&#x27;attend plus de choix" in response.text


def test_progress_partial_polls_while_running_then_reloads(client, world, caf_job):
    client.force_login(world.users["CAF72"])
    jobs.record_decision(caf_job, world.users["CAF72"], Decision.VALID_ONLY)
    type(caf_job).objects.filter(pk=caf_job.pk).update(status=JobStatus.IMPORTING)
    url = reverse("imports:progress", args=[caf_job.pk])
    with Run(caf_job.pk, "import") as run:
        run.progress(250, 1000, force=True)
        response = client.get(url, headers={"HX-Request": "true"})
        assert 'hx-get="' + url in response.text and 'hx-trigger="every 2s"' in response.text
        assert '<progress max="100" value="25">' in response.text and "Import des lignes" in response.text
        assert "HX-Refresh" not in response
        page = client.get(reverse("imports:detail", args=[caf_job.pk])).text
        assert 'id="progression-import"' in page and 'data-fr-current-step="4"' in page
    response = client.get(url, headers={"HX-Request": "true"})  # the worker is gone
    assert response["HX-Refresh"] == "true"
    caf_job.refresh_from_db()
    assert caf_job.status == JobStatus.FAILED


def test_rerun_button(client, world, caf_job):
    user = world.users["CAF72"]
    client.force_login(user)
    jobs.record_decision(caf_job, user, Decision.VALID_ONLY)
    type(caf_job).objects.filter(pk=caf_job.pk).update(status=JobStatus.IMPORTING)
    page = client.get(reverse("imports:detail", args=[caf_job.pk])).text
    assert "Relancer" in page and "processus interrompu" in page
    client.post(reverse("imports:rerun", args=[caf_job.pk]))
    caf_job.refresh_from_db()
    assert caf_job.status == JobStatus.DONE


def test_upload_form_offers_the_users_organisations_and_checks_the_kind(client, world):
    other = OrganisationFactory(code="AUTRE", name="Autre organisation")
    client.force_login(world.users["CAF72"])
    page = client.get(reverse("imports:new")).text
    assert "CAF de la Sarthe" in page and "Autre organisation" not in page
    assert "Numéro d&#x27;allocataire" in page and reverse("imports:sample", args=["impayes_caf_msa"]) in page
    no_inline_code(page)
    with (SAMPLES / "evenements.csv").open("rb") as handle:
        response = client.post(
            reverse("imports:new"), {"organisation": other.pk, "source_kind": "evenements", "file": handle}
        )
    assert "Sélectionnez un choix valide" in response.text
    with (SAMPLES / "assignations.csv").open("rb") as handle:
        response = client.post(
            reverse("imports:new"), {"organisation": world.caf.pk, "source_kind": "assignations", "file": handle}
        )
    assert "ce fichier est déposé par une organisation de type Service de l&#x27;État" in response.text


def test_sample_download(client, world):
    client.force_login(world.users["CAF72"])
    response = client.get(reverse("imports:sample", args=["impayes_bailleur"]))
    assert response["Content-Disposition"] == 'attachment; filename="impayes-bailleur.xlsx"'
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert client.get(reverse("imports:sample", args=["inconnu"])).status_code == 404
