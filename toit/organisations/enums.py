from django.db import models


class OrganisationKind(models.TextChoices):
    STATE = "etat", "Service de l'État"
    LOCAL_AUTHORITY = "collectivite", "Collectivité territoriale"
    CAF_MSA = "caf_msa", "CAF / MSA"
    FSL = "fsl", "Fonds de solidarité pour le logement"
    SOCIAL_LANDLORD = "bailleur_social", "Bailleur social"
    PRIVATE_LANDLORDS = "bailleurs_prives", "Représentant des bailleurs privés"
    ASSOCIATION = "association", "Association"
    COURT = "juridiction", "Juridiction"
    BANQUE_DE_FRANCE = "banque_de_france", "Banque de France"
    OPERATOR = "operateur", "Opérateur"
    FUNDER = "financeur", "Financeur (ANAH, CDC, Action Logement…)"
    OTHER = "autre", "Autre"


class Role(models.TextChoices):
    AGENT = "agent", "Agent"
    MANAGER = "responsable", "Responsable"
    OBSERVATORY = "observatoire", "Observatoire (agrégats uniquement)"
    ADMIN = "administrateur", "Administrateur"


# Roles that may read nominative data (household files). The observatory sees aggregates only.
NOMINATIVE_ROLES = frozenset({Role.AGENT, Role.MANAGER, Role.ADMIN})
