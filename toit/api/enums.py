"""Permissions (scopes) an organisation's API key may carry. Values are stable: partners'
configuration files and the command line use them."""

from django.db import models


class Scope(models.TextChoices):
    REPORTS_WRITE = "reports:write", "Déposer des signalements d'impayés, les rattacher à un dossier"
    REPORTS_READ = "reports:read", "Lire les signalements de l'organisation"
    FILES_READ = "files:read", "Lire les dossiers dont l'organisation est partie prenante"
    EVENTS_WRITE = "events:write", "Ajouter des événements à ces dossiers"
    INDICATORS_READ = "indicators:read", "Lire les indicateurs agrégés (secret statistique appliqué)"
    PUBLICATIONS_READ = "publications:read", "Lire et télécharger les rapports publiés de l'observatoire"
    IMPORTS_READ = "imports:read", "Lire les imports de fichiers de l'organisation et leurs rapports d'erreurs"
    DWELLINGS_READ = (
        "dwellings:read",
        "Lire le registre des logements (membres du pôle de lutte contre l'habitat indigne)",
    )
    STAYS_READ = (
        "stays:read",
        "Lire les séjours (résidents, entrées, sorties) et l'occupation mensuelle des structures que gère "
        "l'organisation",
    )
    PRIORITY_ACCESS_READ = (
        "priority_access:read",
        "Lire les fiches de l'accès prioritaire (demandes, recours DALO, contingent, démarche projet, baux "
        "glissants, MOUS) du fichier que détient l'organisation",
    )
    LINKAGE_READ = (
        "linkage:read",
        "Lire la file des liens à vérifier du rapprochement des fichiers, pour les seuls liens dont "
        "l'organisation voit les deux fiches",
    )
    LINKAGE_WRITE = (
        "linkage:write",
        "Trancher un lien à vérifier (même personne ou non), au nom de l'organisation et avec un motif",
    )


# Scopes that read or write nominative data: a key carrying one acts as an agent of its
# organisation; a key carrying none is given the observatory role (aggregates only).
NOMINATIVE_SCOPES = frozenset(
    {
        Scope.REPORTS_WRITE,
        Scope.REPORTS_READ,
        Scope.FILES_READ,
        Scope.EVENTS_WRITE,
        Scope.IMPORTS_READ,
        Scope.DWELLINGS_READ,
        Scope.STAYS_READ,
        Scope.PRIORITY_ACCESS_READ,
        Scope.LINKAGE_READ,
        Scope.LINKAGE_WRITE,
    }
)
