"""Vocabularies of sheets 2D to 2G. Groups (frozensets) are what the plan's indicators
select with a metric parameter: « maisons relais » covers pensions de famille and
résidences accueil, sheet 2G's « moyens d'accueil » the accommodation of emergency,
insertion and stabilisation."""

from django.db import models


class StructureKind(models.TextChoices):
    MAISON_RELAIS = "maison_relais", "Maison relais / pension de famille"
    RESIDENCE_ACCUEIL = "residence_accueil", "Résidence accueil (personnes en souffrance psychique)"
    RESIDENCE_SOCIALE = "residence_sociale", "Résidence sociale"
    FJT = "fjt", "Foyer de jeunes travailleurs"
    FJT_SOLEIL = "fjt_soleil", "Antenne de FJT (foyer « Soleil »)"
    HOTEL_SOCIAL = "hotel_social", "Hôtel social"
    CHRS = "chrs", "CHRS"
    STABILISATION = "stabilisation", "Hébergement de stabilisation"
    ALT = "alt", "Logements ALT"
    EMERGENCY = "urgence", "Places d'urgence"


class Public(models.TextChoices):
    ALL = "tous", "Tout public"
    YOUTH = "jeunes", "Jeunes de 18 à 25 ans"
    FAMILIES = "familles", "Familles"
    MENTAL_HEALTH = "souffrance_psychique", "Personnes en souffrance psychique"


class FundingBasis(models.TextChoices):
    PER_PLACE_DAY = "place_jour", "par place et par jour"
    PER_PLACE_MONTH = "place_mois", "par place et par mois"


class PartnershipKind(models.TextChoices):
    MOBILE_PSYCHIATRY = "psychiatrie_mobile", "Équipe mobile psychiatrie / précarité"
    SOCIAL_WATCH = "veille_sociale", "Réseau local de veille sociale"
    HEALTH = "sante", "Établissement de santé"
    SOCIAL_LANDLORD = "bailleur", "Bailleur social"
    OTHER = "autre", "Autre partenariat"


class EntryOrigin(models.TextChoices):
    STREET = "rue", "Rue, sans abri"
    EMERGENCY = "urgence", "Hébergement d'urgence"
    OTHER_STRUCTURE = "structure", "Autre structure d'hébergement ou de logement adapté"
    HOSPITAL = "hopital", "Hôpital, soins psychiatriques"
    PRISON = "prison", "Sortie de prison"
    FAMILY = "famille", "Hébergé par la famille ou des tiers"
    LOST_HOUSING = "perte_logement", "Perte du logement (expulsion, rupture)"
    UNKNOWN = "inconnue", "Non renseignée"


class ExitDestination(models.TextChoices):
    SOCIAL_HOUSING = "logement_social", "Logement social ordinaire"
    PRIVATE_HOUSING = "logement_prive", "Logement privé"
    OTHER_STRUCTURE = "structure", "Autre structure d'hébergement ou de logement adapté"
    FAMILY = "famille", "Famille ou tiers"
    HOSPITAL = "hopital", "Hôpital, établissement de soins"
    DEATH = "deces", "Décès"
    EXCLUSION = "exclusion", "Exclusion"
    UNKNOWN = "inconnue", "Inconnue"


class CommissionDecision(models.TextChoices):
    PENDING = "en_attente", "En attente de la commission"
    ACCEPTED = "admis", "Admission prononcée"
    REFUSED = "refus", "Refus"
    ADJOURNED = "ajourne", "Ajourné"
    WITHDRAWN = "retire", "Demande retirée"


class ProjectKind(models.TextChoices):
    ISOLATED_HOUSE = "maison_isolee", "Maison isolée (acquisition-amélioration ou bail à réhabilitation)"
    TRAVELLERS_SITE = "gens_du_voyage", "Lieu d'installation de gens du voyage sédentarisés"
    RESIDENCE_SOCIALE = "residence_sociale", "Résidence sociale"
    MAISON_RELAIS = "maison_relais", "Maison relais / résidence accueil"
    HOTEL_SOCIAL = "hotel_social", "Hôtel social"
    FJT_SOLEIL = "fjt_soleil", "Antenne de FJT (foyer « Soleil »)"


class ProjectStage(models.TextChoices):
    """The method of the « habitat adapté » guide, in order. A project's stage is the last
    one it has a date for (never typed)."""

    SPOTTED = "repere", "Repéré"
    STUDIED = "etudie", "Étudié"
    SETTING_UP = "montage", "En montage"
    FUNDED = "finance", "Financé"
    DELIVERED = "livre", "Livré"


class YouthOfferKind(models.TextChoices):
    ALT = "alt", "Logement ALT (hébergement)"
    FJT_PLACES = "fjt", "Places de FJT (hébergement)"
    FJT_SOLEIL = "fjt_soleil", "Antenne de FJT « Soleil » (hébergement)"
    EMERGENCY = "urgence", "Hébergement d'urgence ou temporaire"
    SMALL_DWELLING = "petit_logement", "Petit logement conventionné (logement)"
    SOCIAL_T2 = "t2_social", "T2 dans le parc social (logement)"


# 2E distinguishes « hébergements » and « logements ».
YOUTH_ACCOMMODATION = frozenset(
    {YouthOfferKind.ALT, YouthOfferKind.FJT_PLACES, YouthOfferKind.FJT_SOLEIL, YouthOfferKind.EMERGENCY}
)
YOUTH_HOUSING = frozenset({YouthOfferKind.SMALL_DWELLING, YouthOfferKind.SOCIAL_T2})

MAISONS_RELAIS = frozenset({StructureKind.MAISON_RELAIS, StructureKind.RESIDENCE_ACCUEIL})
# Sheet 2G: the means of accommodation (residence sociale and its antennas, hôtels sociaux,
# FJT antennas, stabilisation, CHRS, emergency).
ACCOMMODATION_2G = frozenset(
    {
        StructureKind.RESIDENCE_SOCIALE,
        StructureKind.FJT_SOLEIL,
        StructureKind.HOTEL_SOCIAL,
        StructureKind.CHRS,
        StructureKind.STABILISATION,
        StructureKind.EMERGENCY,
        StructureKind.ALT,
    }
)
STRUCTURE_GROUPS = {
    "maisons_relais": MAISONS_RELAIS,
    "accueil_2g": ACCOMMODATION_2G,
    "jeunes": frozenset({StructureKind.FJT, StructureKind.FJT_SOLEIL}),
}

ORIGIN_GROUPS = {
    "sans_abri": frozenset({EntryOrigin.STREET, EntryOrigin.EMERGENCY}),
    "institution": frozenset({EntryOrigin.HOSPITAL, EntryOrigin.PRISON}),
    "logement": frozenset({EntryOrigin.FAMILY, EntryOrigin.LOST_HOUSING}),
    "parcours": frozenset({EntryOrigin.OTHER_STRUCTURE, EntryOrigin.UNKNOWN}),
}
ORDINARY_HOUSING = frozenset({ExitDestination.SOCIAL_HOUSING, ExitDestination.PRIVATE_HOUSING})
DESTINATION_GROUPS = {
    "logement_ordinaire": ORDINARY_HOUSING,
    "structure": frozenset({ExitDestination.OTHER_STRUCTURE, ExitDestination.FAMILY}),
    "soins_deces": frozenset({ExitDestination.HOSPITAL, ExitDestination.DEATH}),
    "rupture": frozenset({ExitDestination.EXCLUSION, ExitDestination.UNKNOWN}),
}
