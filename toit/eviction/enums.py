"""Choices of the eviction-prevention domain. Values are stable identifiers stored in the
database and in metric parameters; French legal terms keep their French name."""

from django.db import models


class HousingSector(models.TextChoices):
    PRIVATE = "parc_prive", "Parc privé"
    SOCIAL = "parc_social", "Parc social"
    HOMEOWNER = "accession", "Accession à la propriété"


class MemberRelationship(models.TextChoices):
    REFERENCE = "reference", "Personne de référence"
    PARTNER = "conjoint", "Conjoint ou conjointe"
    CHILD = "enfant", "Enfant"
    OTHER = "autre", "Autre personne du ménage"


class HousingBenefit(models.TextChoices):
    NONE = "", "Aucune"
    AL = "al", "Allocation de logement (ALF / ALS)"
    APL = "apl", "Aide personnalisée au logement (APL)"


class ReportSource(models.TextChoices):
    CAF_MSA = "caf_msa", "CAF / MSA (payeur de l'aide au logement)"
    LANDLORD = "bailleur", "Bailleur"
    FSL = "fsl", "Fonds de solidarité pour le logement"
    ACTION_LOGEMENT = "action_logement", "Action Logement (ex-CIL / Loca-pass)"
    OVER_INDEBTEDNESS = "surendettement", "Commission de surendettement"
    SOCIAL_WORKER = "travailleur_social", "Travailleur social"


class ParticipantReason(models.TextChoices):
    OPENING = "ouverture", "Ouverture du dossier"
    SHARING = "partage", "Partage par un participant"
    REPORT = "signalement", "Auteur d'un signalement"
    FSL = "fsl", "Décision du FSL"
    PREFECTURE = "prefecture", "Préfecture (à partir de l'assignation)"
    LANDLORD = "bailleur", "Bailleur social du ménage"
    OVER_INDEBTEDNESS = "surendettement", "Commission de surendettement"
    # Temporary (FileParticipant.expires_at): a responsable or administrateur who opened the
    # file outside their scope, stating a reason (toit.eviction.access.break_glass).
    BREAK_GLASS = "bris_de_glace", "Accès exceptionnel (bris de glace)"


class EventKind(models.TextChoices):
    UNPAID_REPORTED = "impaye_signale", "Impayé signalé"
    ORDER_TO_PAY = "commandement_payer", "Commandement de payer"
    CCAPEX = "saisine_ccapex", "Saisine ou signalement de la CCAPEX"
    SUMMONS = "assignation", "Assignation"
    DIAGNOSIS_REQUESTED = "diagnostic_demande", "Diagnostic social et financier demandé"
    DIAGNOSIS_DONE = "diagnostic_realise", "Diagnostic social et financier réalisé"
    JUDGMENT = "jugement", "Jugement"
    ORDER_TO_LEAVE = "commandement_quitter", "Commandement de quitter les lieux"
    REQUISITION = "requisition", "Réquisition du concours de la force publique"
    ASSISTANCE_GRANTED = "concours_accorde", "Concours de la force publique accordé"
    ASSISTANCE_REFUSED = "concours_refuse", "Concours de la force publique refusé"
    EVICTION = "expulsion", "Expulsion effectuée"
    COMPENSATION = "indemnisation", "Indemnisation du bailleur"
    OCCUPATION_INDEMNITY = "indemnite_occupation", "Indemnité d'occupation versée"
    DEBT_REMISSION = "remise_dette", "Remise de dette"
    RECOURSE = "action_recursoire", "Action récursoire"
    NEW_LEASE = "nouveau_bail", "Nouveau bail signé"
    PROTOCOL = "protocole", "Protocole signé"
    DEBT_CLEARED = "dette_apuree", "Dette apurée"
    STAYS = "maintien", "Maintien dans les lieux"
    REHOUSED = "relogement", "Relogement"
    LEFT = "depart_volontaire", "Départ volontaire"


class Stage(models.TextChoices):
    """Where a file stands, derived from its events (toit.eviction.timeline)."""

    OPENED = "ouvert", "Dossier ouvert"
    UNPAID = "impaye", "Impayé signalé"
    ORDER_TO_PAY = "commandement_payer", "Commandement de payer délivré"
    SUMMONS = "assignation", "Assignation"
    JUDGMENT = "jugement", "Jugement rendu"
    ORDER_TO_LEAVE = "commandement_quitter", "Commandement de quitter les lieux délivré"
    REQUISITION = "requisition", "Concours de la force publique demandé"
    ASSISTANCE_GRANTED = "concours_accorde", "Concours de la force publique accordé"
    ASSISTANCE_REFUSED = "concours_refuse", "Concours de la force publique refusé"
    CLOSED = "clos", "Procédure terminée"


class JudgmentOutcome(models.TextChoices):
    TERMINATION = "resiliation", "Résiliation du bail et expulsion"
    TIME_TO_PAY = "delais_paiement", "Délais de paiement (clause résolutoire suspendue)"
    PLAN = "plan", "Plan d'apurement homologué"
    DISMISSED = "rejet", "Demande du bailleur rejetée"


class SettlementMode(models.TextChoices):
    AMICABLE = "amiable", "Amiable"
    CONTENTIOUS = "contentieuse", "Contentieuse"


class ContactChannel(models.TextChoices):
    LETTER = "courrier", "Courrier"
    PHONE = "telephone", "Téléphone"
    HOME_VISIT = "visite", "Visite à domicile"
    APPOINTMENT = "rendez_vous", "Rendez-vous"
    EMAIL = "courriel", "Courriel"


class ContactOutcome(models.TextChoices):
    ESTABLISHED = "contact_etabli", "Contact établi"
    NO_ANSWER = "sans_reponse", "Sans réponse"
    REFUSED = "refus", "Refus du ménage"
    UNREACHABLE = "injoignable", "Injoignable (coordonnées erronées)"


class RepaymentPlanKind(models.TextChoices):
    AMICABLE = "amiable", "Accord amiable avec le bailleur"
    COURT = "judiciaire", "Délais de paiement accordés par le juge"
    OVER_INDEBTEDNESS = "surendettement", "Mesures de la commission de surendettement"
    NO_FORCE = "contre_non_octroi", "Règlement de la dette contre non-octroi du concours"


class RepaymentState(models.TextChoices):
    RUNNING = "en_cours", "En cours"
    RESPECTED = "respecte", "Respecté (dette soldée)"
    BROKEN = "rompu", "Rompu"


class FslPurpose(models.TextChoices):
    STAY = "maintien", "Maintien dans le logement"
    ACCESS = "acces", "Accès à un logement"


class FslAidForm(models.TextChoices):
    GRANT = "subvention", "Subvention"
    LOAN = "pret", "Prêt"
    BOTH = "subvention_pret", "Subvention et prêt"


class FslResult(models.TextChoices):
    GRANTED = "accorde", "Accordé"
    REFUSED = "refuse", "Refusé"


class HomeownerSource(models.TextChoices):
    CDAPL = "cdapl", "Commission départementale des aides publiques au logement (CDAPL)"
    CAF = "caf", "CAF (allocation de logement accession)"
    LENDER = "preteur", "Établissement prêteur"


# Events after which the procedure is over for this lease (the household paid, stays under a
# new agreement, was rehoused, left or was evicted); a later procedural act reopens it.
CLOSING_KINDS = frozenset(
    {
        EventKind.DEBT_CLEARED,
        EventKind.STAYS,
        EventKind.REHOUSED,
        EventKind.LEFT,
        EventKind.NEW_LEASE,
        EventKind.PROTOCOL,
        EventKind.EVICTION,
    }
)
ASSISTANCE_DECISION_KINDS = frozenset({EventKind.ASSISTANCE_GRANTED, EventKind.ASSISTANCE_REFUSED})
# Kinds that carry an amount (debt claimed, compensation paid, debt forgiven…).
AMOUNT_KINDS = frozenset(
    {
        EventKind.UNPAID_REPORTED,
        EventKind.ORDER_TO_PAY,
        EventKind.SUMMONS,
        EventKind.JUDGMENT,
        EventKind.COMPENSATION,
        EventKind.OCCUPATION_INDEMNITY,
        EventKind.DEBT_REMISSION,
        EventKind.RECOURSE,
    }
)
AMOUNT_REQUIRED_KINDS = frozenset({EventKind.COMPENSATION, EventKind.OCCUPATION_INDEMNITY})
# From the assignation on, the préfecture takes part in the file (it is notified of it).
PREFECTURE_KINDS = frozenset(
    {
        EventKind.SUMMONS,
        EventKind.JUDGMENT,
        EventKind.ORDER_TO_LEAVE,
        EventKind.REQUISITION,
        EventKind.ASSISTANCE_GRANTED,
        EventKind.ASSISTANCE_REFUSED,
        EventKind.EVICTION,
        EventKind.COMPENSATION,
        EventKind.OCCUPATION_INDEMNITY,
        EventKind.RECOURSE,
    }
)


class TransmissionStatus(models.TextChoices):
    """Where a report transmitted to a file its author does not see stands
    (toit.eviction.intake.transmit): the author sees « transmis » whatever the status."""

    PENDING = "en_attente", "En attente d'une décision"
    ATTACHED = "rattache", "Rattaché au dossier"
    DECLINED = "ecarte", "Écarté (pas ce ménage)"
    SUPERSEDED = "sans_objet", "Sans objet (rattaché à un autre dossier)"


class JoinDecision(models.TextChoices):
    """Whether the author of a report attached by a participant joins the file: a decision
    of its own, with a reason (toit.eviction.intake.decide_join)."""

    JOINED = "admis", "Admis à participer au dossier"
    REFUSED = "refuse", "Non admis"


class BreakGlassMotive(models.TextChoices):
    """Why a responsable opens a file outside their scope (toit.eviction.access.break_glass):
    a motive from this list, and a sentence."""

    DANGER = "danger", "Danger pour une personne du ménage"
    HEARING = "audience_imminente", "Audience imminente"
    JUDGE = "demande_juge", "Demande du juge"
    EVICTION = "expulsion_imminente", "Expulsion imminente (concours de la force publique)"
    EMERGENCY = "urgence_sociale", "Urgence sociale (ménage sans solution le jour même)"


class TruceGround(models.TextChoices):
    """Why an eviction was executed during the winter truce (toit.eviction.rules.TRUCE_EXCEPTIONS)."""

    REHOUSING_ASSURED = "relogement_assure", "Relogement assuré dans des conditions suffisantes"
    FORCIBLE_ENTRY = "voie_de_fait", "Occupants entrés dans les locaux par voie de fait"


class LandlordKind(models.TextChoices):
    """Who the landlord is, for the CCAPEX referral the loi ALUR requires of legal persons
    (article 24 II of loi 89-462)."""

    UNKNOWN = "", "Non renseigné"
    NATURAL_PERSON = "personne_physique", "Personne physique"
    FAMILY_SCI = "sci_familiale", "SCI familiale (entre parents et alliés jusqu'au 4e degré)"
    LEGAL_PERSON = "personne_morale", "Personne morale (hors SCI familiale), dont bailleur social"


# Events whose amount states the tenant's debt, for the file's summary (the latest wins).
DEBT_KINDS_FOR_SUMMARY = frozenset(
    {EventKind.UNPAID_REPORTED, EventKind.ORDER_TO_PAY, EventKind.SUMMONS, EventKind.JUDGMENT}
)
