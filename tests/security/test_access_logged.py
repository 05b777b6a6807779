"""« A check over all views »: every GET of a nominative namespace (eviction, imports, api)
that answers 200 to someone who may read the data writes at least one access-log entry.
The routes come from the URL resolver, so a new view is checked the day it is added; a view
that shows no nominative data must be listed below, with the reason."""

import pytest
from django.test import Client

from tests.security.conftest import PARAMETERS
from tests.security.routes import all_routes, urls
from toit.audit.models import AccessLog

NOMINATIVE_NAMESPACES = {"eviction", "imports", "api", "dwellings", "accommodation", "priority_access"}

# View → why a 200 needs no access-log entry. Stale entries fail (see the last test).
SHOWS_NOTHING_NOMINATIVE = {
    "eviction:report_new": "formulaire vide d'un nouveau signalement",
    "eviction:break_glass": "formulaire vide ; la demande elle-même est journalisée (action bris de glace)",
    "eviction:event_fields": "champs d'un type d'événement (fragment htmx) : ni nom ni adresse",
    "dwellings:dwelling_new": "formulaire vide d'un nouveau logement (les doublons montrés sont journalisés)",
    "imports:new": "formulaire de dépôt",
    "imports:sample": "fichier d'exemple, données synthétiques de la documentation",
    "imports:progress": "pourcentage d'avancement, interrogé toutes les deux secondes",
    "accommodation:home": "liste des départements",
    "accommodation:structures": "structures et places : agrégats",
    "accommodation:projects": "projets : ni résident ni demandeur",
    "accommodation:stay_entry": "formulaire vide d'une entrée",
    "accommodation:capacity": "places datées d'une structure : agrégats",
    "accommodation:partnership_new": "formulaire vide d'une convention",
    "accommodation:partnership": "convention d'une structure : ni résident ni demandeur",
    "accommodation:funding_new": "formulaire vide d'un financement",
    "accommodation:funding": "financement d'une structure : ni résident ni demandeur",
    "accommodation:application_new": "formulaire vide d'une demande d'admission",
    "accommodation:project_new": "formulaire vide d'un projet",
    "accommodation:project_advance": "projet : ni résident ni demandeur",
    "accommodation:project_correct": "projet : ni résident ni demandeur",
    "api:me": "la clé ou la session elle-même, sans dossier",
    "api:indicators": "agrégats soumis au secret statistique",
    "api:publications": "rapports publiés : agrégats",
    "api:publication": "rapport publié : agrégats",
    "api:publication_pdf": "rapport publié : agrégats",
    "api:publication_xlsx": "rapport publié : agrégats",
    "api:accommodation_structures": "structures et places : agrégats",
    "api:accommodation_structure_occupancy": "occupation mensuelle d'une structure, pour son personnel : agrégats",
    "api:linkage_runs": "rapprochements des fichiers : des comptes, sans fiche",
    "api:schema": "description OpenAPI de l'API",
    "api:docs": "documentation de l'API",
}

# Who visits: the owning organisation's agent, except where only a responsable gets in.
VISITOR = {
    "eviction:break_glass": "manager",
    "dwellings:indelicacy_new": "dwellings_manager",
    "dwellings:indelicacy_review": "dwellings_manager",
    "accommodation:project_new": "partner",  # a State service (DDE72) records projects, not the CAF
    "accommodation:project_advance": "partner",
    "accommodation:project_correct": "partner",
}

ROUTES = [r for r in all_routes() if r.namespace in NOMINATIVE_NAMESPACES]


def test_the_walk_covers_the_nominative_pages():
    names = {r.view_name for r in ROUTES}
    assert {"eviction:file", "eviction:search", "eviction:report", "imports:errors", "api:file"} <= names
    assert not set(SHOWS_NOTHING_NOMINATIVE) - names, "vue inconnue dans la liste des exceptions"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_page_showing_nominative_data_is_logged(world, route):
    client = Client()
    visitor = world.users[VISITOR.get(route.view_name, "owner")]
    client.force_login(visitor)
    seen_200 = False
    for url in urls(route, PARAMETERS)(world):
        before = AccessLog.objects.count()
        response = client.get(url, HTTP_ACCEPT="*/*")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        if response.status_code != 200:
            continue
        seen_200 = True
        if route.view_name in SHOWS_NOTHING_NOMINATIVE:
            continue
        assert AccessLog.objects.count() > before, (
            f"{url} ({route.view_name}) répond 200 sans rien écrire au journal des accès : appelez log_access "
            "(toit.audit.log) avec ce que la page montre, ou, si elle ne montre aucune donnée nominative, ajoutez-la "
            "à SHOWS_NOTHING_NOMINATIVE avec la raison."
        )
        entry = AccessLog.objects.order_by("-pk").first()
        assert entry.user == visitor and entry.view == route.view_name
    if route.view_name in SHOWS_NOTHING_NOMINATIVE:
        assert seen_200, f"{route.view_name} est dans SHOWS_NOTHING_NOMINATIVE mais ne répond jamais 200"


def test_the_file_page_logs_the_file_on_behalf_of_the_reading_organisation(world):
    client = Client()
    client.force_login(world.users["partner"])
    client.get(f"/prevention/dossiers/{world.file.reference}/")
    entry = AccessLog.objects.get()
    assert (entry.object_type, entry.object_ref, entry.organisation.code) == (
        "eviction.preventionfile",
        world.file.reference,
        "DDE72",
    )


def test_search_results_are_logged_one_by_one_as_search(world):
    client = Client()
    client.force_login(world.users["owner"])
    client.get("/prevention/", {"q": "zqxmarq"})
    assert list(AccessLog.objects.values_list("action", "object_ref")) == [("recherche", world.file.reference)]
    # Nothing found, nothing logged.
    client.get("/prevention/", {"q": "personne"})
    assert AccessLog.objects.count() == 1


def test_the_import_error_report_is_logged_as_an_export(world):
    client = Client()
    client.force_login(world.users["owner"])
    response = client.get(f"/imports/{world.job.pk}/erreurs.csv")
    b"".join(response.streaming_content)
    assert list(AccessLog.objects.values_list("action", "object_type")) == [("export", "imports.importjob")]
