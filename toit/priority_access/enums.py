from django.db import models


class DaloDecision(models.TextChoices):
    PENDING = "", "En attente de décision"
    PRIORITY = "prioritaire", "Prioritaire et urgent (logement)"
    ACCOMMODATION = "hebergement", "Réorienté vers un hébergement"
    REJECTED = "rejet", "Rejeté"


class DaloEndReason(models.TextChoices):
    """Why the State's obligation to rehouse a priority household ended without a rehousing
    through the appeal (« sortie du dispositif sans relogement »)."""

    REFUSED_OFFER = "offre_refusee", "Offre adaptée refusée sans motif légitime"
    OWN_MEANS = "reloge_par_ses_moyens", "Relogé par ses propres moyens ou hors du dispositif"
    UNREACHABLE = "injoignable", "Ménage injoignable"
    WITHDRAWN = "desistement", "Désistement du ménage"
    LEFT = "depart_departement", "Départ du département"


class MousEndReason(models.TextChoices):
    """Why a MOUS mediation stopped without a rehousing in the private stock."""

    GAVE_UP = "abandon", "Abandon du ménage"
    LOST_CONTACT = "perte_contact", "Perte de contact"
    OTHER_SOLUTION = "autre_solution", "Autre solution trouvée (parc social, hébergement…)"


class AllocationChannel(models.TextChoices):
    COMMON = "droit_commun", "Droit commun"
    ACD = "acd", "Accord collectif départemental"
    CONTINGENT = "contingent", "Contingent préfectoral"
    DALO = "dalo", "Relogement DALO"
    EMPLOYERS = "action_logement", "Réservation Action Logement (1 %)"
    MUNICIPAL = "communal", "Contingent communal"


class PriorityGround(models.TextChoices):
    """Motifs de priorité (article L. 441-1 du CCH, rédaction de la loi DALO)."""

    HOMELESS = "sans_logement", "Sans logement"
    EVICTION = "expulsion", "Menacé d'expulsion sans relogement"
    ACCOMMODATED = "heberge", "Hébergé ou logé temporairement"
    UNFIT = "insalubre", "Logement insalubre ou dangereux"
    OVERCROWDED = "suroccupe", "Logement sur-occupé ou non décent avec personne handicapée ou enfant mineur"
    LONG_WAIT = "delai", "Délai anormalement long"
    DISABILITY = "handicap", "Handicap"
    VIOLENCE = "violences", "Violences conjugales"


class ProposalOutcome(models.TextChoices):
    PENDING = "attente", "En attente de réponse"
    ACCEPTED = "accepte", "Acceptée par le ménage"
    REFUSED = "refuse", "Refusée par le ménage"
    LANDLORD_REFUSED = "refus_bailleur", "Refusée par la commission d'attribution"


class ProjectOutcome(models.TextChoices):
    ONGOING = "en_cours", "En cours"
    REHOUSED = "reloge", "Relogé"
    ENDED = "arret", "Arrêt de l'accompagnement"


class ProjectPriority(models.TextChoices):
    HIGH = "1", "Priorité 1"
    MEDIUM = "2", "Priorité 2"
    LOW = "3", "Priorité 3"


class LeaseOutcome(models.TextChoices):
    ONGOING = "en_cours", "En cours"
    GLIDED = "glisse", "Bail glissé au ménage"
    ENDED = "fin", "Fin de la sous-location sans glissement"
    DISPUTE = "litige", "Litige"


class CharterKind(models.TextChoices):
    COORDINATION = "coordination", "Charte de coordination de l'attribution prioritaire (3A)"
    SLIDING_LEASE = "bail_glissant", "Charte d'utilisation des baux glissants (3C)"


class Channel(models.TextChoices):
    """The partners' files a household may appear in (sources of toit.linkage)."""

    DEMAND = "demande", "Demande de logement social"
    DALO = "dalo", "Recours DALO"
    CONTINGENT = "contingent", "Contingent préfectoral"
    PROJECT = "demarche_projet", "Démarche projet"
    SLIDING_LEASE = "bail_glissant", "Bail glissant"
    MOUS = "mous", "MOUS relogement"
