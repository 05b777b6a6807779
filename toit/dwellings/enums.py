from django.db import models


class PoleService(models.TextChoices):
    """The services a pôle départemental de lutte contre l'habitat indigne brings together."""

    STATE_HOUSING = "etat_logement", "Service de l'État chargé du logement (DDE, DDT)"
    STATE_HEALTH = "etat_sante", "Service de l'État chargé de la santé (DDASS, ARS)"
    PREFECTURE = "prefecture", "Préfecture"
    CAF = "caf", "Caisse d'allocations familiales"
    MSA = "msa", "Mutualité sociale agricole"
    DEPARTMENT = "conseil_general", "Conseil général (département)"
    SCHS = "schs", "Service communal d'hygiène et de santé"
    EPCI = "epci", "EPCI concerné"
    OTHER = "autre", "Autre membre désigné par le pôle"


class BuildingType(models.TextChoices):
    INDIVIDUAL = "individuel", "Individuel"
    COLLECTIVE = "collectif", "Collectif"


class Sector(models.TextChoices):
    PRIVATE = "prive", "Parc privé"
    SOCIAL = "social", "Parc social"


class Tenure(models.TextChoices):
    OWNER_OCCUPIED = "po", "Propriétaire occupant (PO)"
    LET = "pb", "Loué par un propriétaire bailleur (PB)"
    VACANT = "vacant", "Vacant"


class OwnerKind(models.TextChoices):
    PERSON = "personne", "Personne physique"
    COMPANY = "societe", "Personne morale (société, SCI…)"


class MergeStatus(models.TextChoices):
    PENDING = "a_decider", "À décider"
    ACCEPTED = "fusionne", "Fusionnés"
    REJECTED = "distincts", "Logements distincts"


class ReportSource(models.TextChoices):
    OCCUPANT = "occupant", "Occupant"
    MAYOR = "maire", "Maire"
    CAF = "caf", "CAF"
    MSA = "msa", "MSA"
    SOCIAL_WORKER = "travailleur_social", "Travailleur social"
    SCHS = "schs", "Service communal d'hygiène et de santé"
    HEALTH = "sante", "Service de santé (DDASS, ARS, médecin)"
    OPERATOR = "operateur", "Opérateur (MOUS, OPAH, PIG)"
    NEIGHBOUR = "voisin", "Voisin, tiers"
    OTHER = "autre", "Autre"


class Qualification(models.TextChoices):
    NON_DECENCY = "non_decence", "Non-décence"
    RSD = "rsd", "Infraction au règlement sanitaire départemental"
    REMEDIABLE = "insalubrite_remediable", "Insalubrité remédiable"
    IRREMEDIABLE = "insalubrite_irremediable", "Insalubrité irrémédiable"
    DANGER = "peril", "Péril / mise en sécurité"
    LEAD = "saturnisme", "Risque saturnin (saturnisme)"
    OVERCROWDING = "suroccupation", "Suroccupation"
    UNFIT = "impropre", "Local impropre à l'habitation"
    NOT_SUBSTANDARD = "non_indigne", "Pas d'indignité constatée"


class Regime(models.TextChoices):
    """The code in force: the ordonnance n° 2020-1144 of 16 September 2020 (in force on
    1 January 2021) made one police of safety and salubrity of dwellings (docs/habitat-indigne-rules.md)."""

    BEFORE_2021 = "avant_2021", "Avant l'ordonnance 2020-1144 (CSP L. 1331-26 s., CCH L. 511-1 s. ancien)"
    FROM_2021 = "depuis_2021", "Police de la sécurité et de la salubrité (CCH L. 511-1 s.)"
    ANY = "toutes", "Hors de la réforme (non-décence, RSD, saturnisme)"


class ActKind(models.TextChoices):
    # Outside the 2021 reform: same bases before and after.
    RSD_NOTICE = "mise_en_demeure_rsd", "Mise en demeure au titre du RSD"
    NON_DECENCY_NOTICE = "mise_en_demeure_non_decence", "Mise en demeure de mise en conformité (non-décence)"
    LEAD_WORKS = "saturnisme_travaux", "Injonction de travaux (saturnisme)"
    # Before 1 January 2021.
    UNFIT_REMEDIABLE = "insalubrite_remediable", "Arrêté d'insalubrité remédiable (CSP L. 1331-28 II)"
    UNFIT_IRREMEDIABLE = "insalubrite_irremediable", "Arrêté d'insalubrité irrémédiable (CSP L. 1331-28 I)"
    UNFIT_URGENT = (
        "insalubrite_urgence",
        "Arrêté de danger sanitaire ponctuel ou imminent (CSP L. 1331-26-1, L. 1311-4)",
    )
    DANGER_ORDINARY = "peril_ordinaire", "Arrêté de péril ordinaire (CCH L. 511-2 ancien)"
    DANGER_IMMINENT = "peril_imminent", "Arrêté de péril imminent (CCH L. 511-3 ancien)"
    # From 1 January 2021.
    SAFETY = "mise_en_securite", "Arrêté de mise en sécurité ou de traitement de l'insalubrité (CCH L. 511-11)"
    SAFETY_URGENT = "mise_en_securite_urgence", "Arrêté de mise en sécurité d'urgence (CCH L. 511-19)"
    # Any date: lifts an earlier act, under that act's regime.
    LIFTING = "mainlevee", "Arrêté de mainlevée"


class Interdiction(models.TextChoices):
    NONE = "", "Aucune"
    TEMPORARY = "temporaire", "Interdiction temporaire d'habiter"
    DEFINITIVE = "definitive", "Interdiction définitive d'habiter"


class WorksDoneBy(models.TextChoices):
    OWNER = "proprietaire", "Par le propriétaire"
    EX_OFFICIO = "office", "D'office (aux frais du propriétaire)"


class RehousingKind(models.TextChoices):
    TEMPORARY = "hebergement", "Hébergement temporaire"
    DEFINITIVE = "relogement", "Relogement définitif"


class ExitMode(models.TextChoices):
    WORKS_OWNER = "travaux_proprietaire", "Travaux réalisés par le propriétaire"
    WORKS_EX_OFFICIO = "travaux_office", "Travaux réalisés d'office"
    WORKS_SUBSIDISED = "travaux_subventionnes", "Travaux subventionnés (ANAH, OPAH, PIG)"
    DEMOLITION = "demolition", "Démolition"
    CHANGE_OF_USE = "changement_usage", "Changement d'usage, sortie du parc"
    NOT_SUBSTANDARD = "non_indigne", "Indignité non confirmée"


class Stage(models.TextChoices):
    """Where a case stands, read from what it holds (Case.objects.with_stage)."""

    REPORTED = "signale", "Signalé"
    VISITED = "visite", "Visité"
    QUALIFIED = "qualifie", "Qualifié"
    ACT = "arrete", "Arrêté pris"
    WORKS = "travaux", "Travaux réalisés"
    EXITED = "sorti", "Sorti de l'indignité"
    CLOSED = "clos", "Clos sans sortie"


class Convention(models.TextChoices):
    VERY_SOCIAL = "tres_social", "Loyer conventionné très social"
    SOCIAL = "social", "Loyer conventionné social"


class EnergyClass(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"


class DpeMethod(models.TextChoices):
    """The DPE's method: the reform of 1 July 2021 (décret 2020-1609, arrêtés of 31 March
    2021) replaced the old 3CL-DPE and the invoice method; the two scales do not compare."""

    BEFORE_JULY_2021 = "avant_juillet_2021", "Méthode antérieure au 1er juillet 2021"
    FROM_JULY_2021 = "3cl_2021", "Méthode 3CL-DPE 2021 (depuis le 1er juillet 2021)"


class DpeStage(models.TextChoices):
    BEFORE = "avant", "Avant travaux"
    AFTER = "apres", "Après travaux"


class ReviewOutcome(models.TextChoices):
    MAINTAINED = "maintenue", "Décision maintenue"
    WITHDRAWN = "levee", "Décision levée"
