"""The files partners send, declared as data. Each source kind lists its columns (French
name as in the sample file, aliases, cell type, whether required), the field of the sink
each column feeds, the natural key that makes re-imports idempotent, and which
organisations may send it. A new source kind is a new entry here: the reading, checking,
staging, import and error report do not change. docs/imports.md describes each entry and
docs/samples/imports/ holds a sample file per entry (a test keeps the three in step)."""

from dataclasses import dataclass, field

from toit.accommodation.enums import EntryOrigin, ExitDestination
from toit.dwellings.enums import (
    ActKind,
    BuildingType,
    Convention,
    DpeMethod,
    DpeStage,
    ExitMode,
    Interdiction,
    OwnerKind,
    Qualification,
)
from toit.dwellings.enums import ReportSource as DwellingReportSource
from toit.dwellings.enums import Tenure as DwellingTenure
from toit.eviction.enums import (
    EventKind,
    FslAidForm,
    FslPurpose,
    FslResult,
    HousingSector,
    JudgmentOutcome,
    ReportSource,
    SettlementMode,
)
from toit.imports.cells import (
    BanId,
    Boolean,
    Choice,
    Commune,
    Consumption,
    Count,
    Date,
    EnergyLabel,
    FileReference,
    Identifier,
    Landlord,
    Money,
    Month,
    Name,
    Text,
)
from toit.organisations.enums import OrganisationKind
from toit.priority_access.enums import AllocationChannel


@dataclass(frozen=True)
class Column:
    field: str  # the sink's input field (toit.imports.sinks) this column feeds
    name: str  # the header of the sample file
    type: object
    required: bool = False
    aliases: tuple = ()
    help: str = ""


@dataclass(frozen=True)
class SourceKind:
    code: str
    label: str
    sink: str  # code of a sink in toit.imports.sinks.SINKS
    columns: tuple
    natural_key: tuple  # input fields: two rows with the same values are the same row
    organisation_kinds: frozenset = frozenset()  # who may send it; empty: any organisation
    constants: dict = field(default_factory=dict)  # fixed inputs of the sink for this source
    sample: str = ""  # file name under docs/samples/imports/
    description: str = ""

    def column(self, name):
        return next(c for c in self.columns if c.field == name)

    def key_text(self, values):
        """The text of the natural key of a checked row (hashed before it is stored)."""
        return "\x1f".join(self.column(f).type.key(values.get(f)) for f in self.natural_key)

    @property
    def sink_object(self):
        from toit.imports.sinks import SINKS

        return SINKS[self.sink]


# Columns several sources share.


def _identity(required=True, birth_date_required=False):
    return (
        Column(
            "last_name",
            "Nom",
            Name(),
            required=required,
            aliases=(
                "nom d'usage",
                "nom usage",
                "nom du locataire",
                "nom locataire",
                "nom allocataire",
                "nom de l'allocataire",
                "nom du défendeur",
                "nom défendeur",
                "nom du ménage",
            ),
            help="Nom d'usage ; « DUPONT née MARTIN » et « MARTIN épouse DUPONT » sont compris.",
        ),
        Column(
            "first_name",
            "Prénom",
            Name(),
            required=required,
            aliases=("prénom du locataire", "prénom locataire", "prénom allocataire", "prénom du défendeur"),
        ),
        Column(
            "birth_name",
            "Nom de naissance",
            Name(),
            aliases=("nom de jeune fille", "nom patronymique"),
        ),
        Column(
            "birth_date",
            "Date de naissance",
            Date(birth=True),
            required=birth_date_required,
            aliases=("né(e) le", "né le", "date naissance", "ddn", "naissance"),
            help="Sans elle, un signalement n'est jamais rattaché automatiquement à un dossier.",
        ),
    )


def _address(required=False):
    return (
        Column(
            "street",
            "Adresse",
            Text(255),
            required=required,
            aliases=("adresse du logement", "adresse logement", "numéro et voie", "adresse (numéro et voie)", "voie"),
        ),
        Column(
            "commune",
            "Commune",
            Commune(),
            required=required,
            aliases=("code commune", "code insee", "commune (code insee)", "ville", "localité"),
            help="Code INSEE (72181), nom (Le Mans) ou code postal propre à une seule commune.",
        ),
    )


def _landlord(name="Bailleur", extra=()):
    return Column(
        "landlord",
        name,
        Landlord(),
        aliases=("nom du bailleur", "bailleur (nom ou code)", "propriétaire", *extra),
        help="Code ou nom d'un bailleur social connu de Toit ; sinon, nom du bailleur privé.",
    )


SECTOR = Column(
    "sector",
    "Parc",
    Choice(
        HousingSector, {"privé": HousingSector.PRIVATE, "social": HousingSector.SOCIAL, "HLM": HousingSector.SOCIAL}
    ),
    aliases=("secteur", "type de parc"),
    help="Déduit du bailleur quand la colonne manque.",
)


def _report_columns(key_column):
    return (
        key_column,
        *_identity(),
        *_address(),
        _landlord(),
        SECTOR,
        Column(
            "reported_on",
            "Date du signalement",
            Date(),
            required=True,
            aliases=("date signalement", "date de signalement", "signalé le", "date de l'impayé", "date impayé"),
        ),
        Column(
            "debt_amount",
            "Montant de la dette",
            Money(),
            required=True,
            aliases=("dette", "montant dette", "dette locative", "montant impayé", "montant de l'impayé"),
        ),
        Column(
            "months_unpaid",
            "Nombre de mois d'impayés",
            Count(),
            aliases=("mois d'impayés", "mois impayés", "nb mois impayés", "nombre de mois", "nb mois"),
        ),
    )


UNPAID_RENT_CAF_MSA = SourceKind(
    code="impayes_caf_msa",
    label="Signalements d'impayés de loyer (CAF, MSA)",
    sink="report",
    constants={"source": ReportSource.CAF_MSA},
    organisation_kinds=frozenset({OrganisationKind.CAF_MSA}),
    natural_key=("beneficiary_number", "reported_on"),
    sample="impayes-caf-msa.csv",
    description="Les impayés que l'organisme payeur de l'aide au logement signale, un par ligne.",
    columns=_report_columns(
        Column(
            "beneficiary_number",
            "Numéro d'allocataire",
            Identifier(),
            required=True,
            aliases=(
                "n° allocataire",
                "numéro allocataire",
                "num allocataire",
                "matricule",
                "numéro CAF",
                "numéro MSA",
                "identifiant allocataire",
            ),
            help="Sert seulement à reconnaître une ligne déjà importée ; il n'est pas enregistré.",
        )
    ),
)

UNPAID_RENT_LANDLORD = SourceKind(
    code="impayes_bailleur",
    label="Signalements d'impayés de loyer (bailleur)",
    sink="report",
    constants={"source": ReportSource.LANDLORD, "landlord_is_organisation": True},
    organisation_kinds=frozenset({OrganisationKind.SOCIAL_LANDLORD, OrganisationKind.PRIVATE_LANDLORDS}),
    natural_key=("tenant_reference", "reported_on"),
    sample="impayes-bailleur.xlsx",
    description=(
        "Les impayés qu'un bailleur signale, un par ligne. Un bailleur social est lui-même le bailleur du "
        "ménage ; le représentant des bailleurs privés indique le bailleur dans la colonne « Bailleur »."
    ),
    columns=_report_columns(
        Column(
            "tenant_reference",
            "Référence locataire",
            Identifier(),
            required=True,
            aliases=(
                "n° locataire",
                "numéro de locataire",
                "référence du bail",
                "n° contrat",
                "numéro de contrat",
                "code locataire",
            ),
            help="Sert seulement à reconnaître une ligne déjà importée ; elle n'est pas enregistrée.",
        )
    ),
)

FILE_REFERENCE = Column(
    "file_reference",
    "Référence du dossier",
    FileReference(),
    aliases=("référence dossier", "réf dossier", "dossier", "dossier toit", "n° dossier toit"),
    help="Référence Toit du dossier (PX-…). Sans elle, le dossier est cherché par l'identité.",
)

SUMMONS = SourceKind(
    code="assignations",
    label="Assignations aux fins de résiliation du bail (liste de la préfecture)",
    sink="event",
    constants={"kind": EventKind.SUMMONS, "open_when_unmatched": True, "prefecture_joins": True},
    organisation_kinds=frozenset({OrganisationKind.STATE}),
    natural_key=("last_name", "first_name", "birth_date", "date", "hearing_date"),
    sample="assignations.csv",
    description=(
        "Les assignations notifiées au préfet. Une assignation s'ajoute au dossier du ménage ; quand aucun "
        "dossier ne correspond, un dossier est ouvert au nom de la préfecture."
    ),
    columns=(
        FILE_REFERENCE,
        *_identity(),
        *_address(required=True),
        _landlord(extra=("demandeur", "bailleur demandeur")),
        SECTOR,
        Column(
            "date",
            "Date de l'assignation",
            Date(),
            required=True,
            aliases=("date assignation", "assigné le", "assignée le", "date de délivrance", "délivrée le"),
        ),
        Column(
            "hearing_date",
            "Date d'audience",
            Date(past=False),
            required=True,
            aliases=("audience", "date audience", "audience du", "date de l'audience"),
        ),
        Column(
            "prefect_notified_on",
            "Notifiée au préfet le",
            Date(),
            aliases=("date de notification", "notification au préfet", "notifiée le", "reçue en préfecture le"),
        ),
        Column(
            "amount",
            "Montant de la dette",
            Money(max_digits=12),
            aliases=("dette", "montant", "montant réclamé", "montant de la dette locative"),
        ),
    ),
)

FSL_DECISIONS = SourceKind(
    code="decisions_fsl",
    label="Décisions du fonds de solidarité pour le logement (FSL)",
    sink="fsl",
    organisation_kinds=frozenset({OrganisationKind.FSL}),
    natural_key=("decision_number",),
    sample="decisions-fsl.csv",
    description=(
        "Les décisions du FSL sur les dossiers qu'il suit. Le dossier est donné par sa référence ou retrouvé "
        "par l'identité exacte ; le FSL doit déjà participer au dossier."
    ),
    columns=(
        Column(
            "decision_number",
            "Numéro de décision",
            Identifier(),
            required=True,
            aliases=("n° décision", "numéro décision", "n° de décision", "numéro de dossier FSL", "n° dossier FSL"),
            help="Sert seulement à reconnaître une ligne déjà importée.",
        ),
        FILE_REFERENCE,
        *_identity(required=False),
        Column(
            "purpose",
            "Objet",
            Choice(FslPurpose, {"maintien dans les lieux": FslPurpose.STAY, "accès au logement": FslPurpose.ACCESS}),
            required=True,
            aliases=("objet de l'aide", "type d'aide", "nature de l'aide"),
        ),
        Column(
            "result",
            "Décision",
            Choice(
                FslResult,
                {
                    "accord": FslResult.GRANTED,
                    "favorable": FslResult.GRANTED,
                    "refus": FslResult.REFUSED,
                    "défavorable": FslResult.REFUSED,
                    "rejet": FslResult.REFUSED,
                },
            ),
            required=True,
            aliases=("décision du FSL", "avis", "sens de la décision"),
        ),
        Column(
            "aid_form",
            "Forme de l'aide",
            Choice(FslAidForm, {"mixte": FslAidForm.BOTH, "subvention + prêt": FslAidForm.BOTH}),
            aliases=("forme", "type de financement"),
            help="Obligatoire quand l'aide est accordée, vide sinon.",
        ),
        Column(
            "amount",
            "Montant accordé",
            Money(),
            aliases=("montant", "montant de l'aide", "montant attribué"),
            help="Obligatoire quand l'aide est accordée, vide sinon.",
        ),
        Column(
            "decided_on",
            "Date de la décision",
            Date(),
            required=True,
            aliases=("date décision", "décidé le", "date de commission", "date de la commission"),
        ),
        Column(
            "under_guarantee",
            "Au titre de la garantie",
            Boolean(),
            aliases=("garantie", "garantie FSL", "dans le cadre de la garantie"),
            help="Sans la colonne, ou cellule vide : non renseigné (ni oui ni non, compté dans aucun des deux).",
        ),
    ),
)

# Kinds the generic event file may carry: not the ones a dedicated record goes with
# (a report, a diagnosis), which have their own entry points.
GENERIC_EVENT_KINDS = [
    (kind.value, kind.label)
    for kind in EventKind
    if kind not in {EventKind.UNPAID_REPORTED, EventKind.DIAGNOSIS_REQUESTED, EventKind.DIAGNOSIS_DONE}
]

HOUSEHOLD_EVENTS = SourceKind(
    code="evenements",
    label="Événements de dossiers (fichier générique)",
    sink="event",
    natural_key=("file_reference", "kind", "date"),
    sample="evenements.csv",
    description=(
        "Un acte ou une issue de la procédure par ligne, pour un dossier désigné par sa référence. "
        "L'organisation doit participer au dossier."
    ),
    columns=(
        Column(
            "file_reference",
            "Référence du dossier",
            FileReference(),
            required=True,
            aliases=FILE_REFERENCE.aliases,
        ),
        Column(
            "kind",
            "Événement",
            Choice(
                GENERIC_EVENT_KINDS,
                {
                    "CCAPEX": EventKind.CCAPEX,
                    "commandement de payer visant la clause résolutoire": EventKind.ORDER_TO_PAY,
                    "CQL": EventKind.ORDER_TO_LEAVE,
                    "commandement de quitter": EventKind.ORDER_TO_LEAVE,
                    "réquisition de la force publique": EventKind.REQUISITION,
                    "CFP accordé": EventKind.ASSISTANCE_GRANTED,
                    "CFP refusé": EventKind.ASSISTANCE_REFUSED,
                    "expulsion": EventKind.EVICTION,
                    "relogé": EventKind.REHOUSED,
                },
                description="un événement de la procédure",
            ),
            required=True,
            aliases=("type d'événement", "nature de l'événement", "acte"),
        ),
        Column("date", "Date", Date(), required=True, aliases=("date de l'événement", "date de l'acte")),
        Column("amount", "Montant", Money(max_digits=12), aliases=("montant en euros", "montant de l'acte")),
        Column("hearing_date", "Date d'audience", Date(past=False), aliases=("audience", "date audience")),
        Column("prefect_notified_on", "Notifiée au préfet le", Date(), aliases=("date de notification",)),
        Column(
            "judgment_outcome",
            "Décision du jugement",
            Choice(
                JudgmentOutcome,
                {
                    "résiliation": JudgmentOutcome.TERMINATION,
                    "expulsion": JudgmentOutcome.TERMINATION,
                    "délais": JudgmentOutcome.TIME_TO_PAY,
                    "rejet": JudgmentOutcome.DISMISSED,
                },
            ),
            aliases=("décision", "dispositif"),
        ),
        Column("settlement_mode", "Règlement", Choice(SettlementMode), aliases=("mode de règlement",)),
        Column("note", "Observations", Text(2000), aliases=("commentaire", "commentaires", "remarques", "note")),
    ),
)


def _dwelling_address():
    return (
        Column(
            "commune",
            "Commune",
            Commune(),
            required=True,
            aliases=("code INSEE", "code commune", "commune du logement"),
        ),
        Column("street_number", "Numéro", Text(10), aliases=("n°", "numéro de voie", "no")),
        Column(
            "street",
            "Voie",
            Text(255),
            required=True,
            aliases=("adresse", "rue", "adresse du logement", "libellé de voie"),
            help="« 12 bis bd du Gal Leclerc » est compris : le numéro et l'indice peuvent précéder la voie.",
        ),
        Column("complement", "Complément d'adresse", Text(255), aliases=("complément", "bâtiment", "étage, porte")),
        Column(
            "building_type",
            "Type de bâti",
            Choice(BuildingType, {"maison": BuildingType.INDIVIDUAL, "immeuble": BuildingType.COLLECTIVE}),
            aliases=("type de logement", "bâti"),
        ),
    )


DWELLING_CASES = SourceKind(
    code="habitat_indigne",
    label="Dossiers d'habitat indigne (tableau du pôle départemental)",
    sink="habitat_indigne",
    natural_key=("pole_reference",),
    sample="habitat-indigne.csv",
    description=(
        "Le tableau de suivi du pôle départemental de lutte contre l'habitat indigne : un dossier par ligne, "
        "avec le logement, son propriétaire, le signalement, la visite, la qualification, l'arrêté et la sortie "
        "d'indignité. Déposé au titre d'un membre du pôle du département ; le logement est retrouvé par son "
        "adresse normalisée, sinon créé."
    ),
    columns=(
        Column(
            "pole_reference",
            "Numéro de dossier",
            Identifier(),
            required=True,
            aliases=("n° dossier", "référence pôle", "n° de dossier"),
        ),
        *_dwelling_address(),
        Column(
            "tenure",
            "Occupation",
            Choice(
                DwellingTenure,
                {
                    "PO": DwellingTenure.OWNER_OCCUPIED,
                    "propriétaire occupant": DwellingTenure.OWNER_OCCUPIED,
                    "PB": DwellingTenure.LET,
                    "locataire": DwellingTenure.LET,
                    "propriétaire bailleur": DwellingTenure.LET,
                },
            ),
            required=True,
            aliases=("statut d'occupation", "PO/PB"),
        ),
        Column(
            "owner", "Propriétaire", Text(255), aliases=("nom du propriétaire", "bailleur", "propriétaire bailleur")
        ),
        Column(
            "owner_kind",
            "Nature du propriétaire",
            Choice(
                OwnerKind, {"SCI": OwnerKind.COMPANY, "société": OwnerKind.COMPANY, "particulier": OwnerKind.PERSON}
            ),
            aliases=("type de propriétaire",),
        ),
        Column(
            "received_on",
            "Date du signalement",
            Date(),
            required=True,
            aliases=("signalé le", "date de signalement", "date d'ouverture"),
        ),
        Column(
            "source",
            "Origine du signalement",
            Choice(
                DwellingReportSource, {"locataire": DwellingReportSource.OCCUPANT, "mairie": DwellingReportSource.MAYOR}
            ),
            required=True,
            aliases=("origine", "signalé par", "source"),
        ),
        Column("disorders", "Désordres constatés", Text(2000), aliases=("désordres", "motif du signalement")),
        Column("visited_on", "Date de visite", Date(), aliases=("visité le", "visite")),
        Column(
            "qualification",
            "Qualification",
            Choice(
                Qualification,
                {
                    "RSD": Qualification.RSD,
                    "insalubrité remédiable": Qualification.REMEDIABLE,
                    "insalubrité irrémédiable": Qualification.IRREMEDIABLE,
                    "péril": Qualification.DANGER,
                    "plomb": Qualification.LEAD,
                },
            ),
            aliases=("qualification retenue",),
        ),
        Column(
            "act_kind",
            "Arrêté",
            Choice(ActKind, {"mise en sécurité": ActKind.SAFETY}),
            aliases=("type d'arrêté", "acte"),
        ),
        Column("act_signed_on", "Date de l'arrêté", Date(), aliases=("arrêté du", "date arrêté")),
        Column(
            "works_deadline",
            "Délai des travaux",
            Date(past=False),
            aliases=("date limite des travaux", "travaux avant le"),
            help="Une interdiction temporaire d'habiter court jusqu'à cette date.",
        ),
        Column(
            "interdiction",
            "Interdiction d'habiter",
            Choice(
                Interdiction, {"temporaire": Interdiction.TEMPORARY, "définitive": Interdiction.DEFINITIVE, "non": ""}
            ),
            aliases=("interdiction",),
        ),
        Column("exit_on", "Date de sortie d'indignité", Date(), aliases=("sortie le", "sortie d'indignité")),
        Column("exit_mode", "Mode de sortie", Choice(ExitMode), aliases=("sortie par",)),
        Column("occupants_kept", "Occupants maintenus", Boolean(), aliases=("maintien dans les lieux",)),
    ),
)

PST_DWELLINGS = SourceKind(
    code="logements_pst",
    label="Logements du programme social thématique (liste de l'opérateur)",
    sink="pst",
    organisation_kinds=frozenset({OrganisationKind.OPERATOR}),
    natural_key=("operator_reference",),
    sample="logements-pst.csv",
    description=(
        "La liste des logements que l'opérateur du PST met à disposition du public du plan (fiche 2A). Chaque "
        "ligne crée un logement du registre ; le pôle rapproche les doublons."
    ),
    columns=(
        Column(
            "operator_reference",
            "Référence opérateur",
            Identifier(),
            required=True,
            aliases=("référence", "n° logement", "numéro de logement"),
        ),
        *_dwelling_address(),
        Column(
            "convention",
            "Conventionnement",
            Choice(
                Convention,
                {"très social": Convention.VERY_SOCIAL, "LCTS": Convention.VERY_SOCIAL, "LCS": Convention.SOCIAL},
            ),
            required=True,
            aliases=("type de convention", "loyer"),
        ),
        Column("convention_signed_on", "Date de la convention", Date(), aliases=("convention signée le",)),
        Column("anah_subsidy", "Subvention ANAH", Money(), aliases=("subvention", "montant ANAH")),
        Column(
            "available_on", "Mis à disposition le", Date(), aliases=("date de mise à disposition", "mise en location")
        ),
    ),
)

# Sheet 2C: the DPE before and after works of dwellings already in the register, from the PST
# operator (its own PST dwellings) or a member of the pôle (what it reads).
ENERGY_DIAGNOSES = SourceKind(
    code="dpe_logements",
    label="Diagnostics de performance énergétique (DPE) avant et après travaux",
    sink="dpe",
    natural_key=("commune", "street_number", "street", "complement", "ban_id", "stage", "made_on"),
    sample="dpe-logements.csv",
    description=(
        "Un DPE par ligne, avant ou après travaux, pour un logement déjà au registre : l'opérateur du PST pour les "
        "logements de sa liste, un membre du pôle pour ceux qu'il suit. Le logement est retrouvé dans la commune par "
        "son identifiant BAN ou son adresse normalisée (et son complément), jamais créé ; la méthode se déduit de la "
        "date (avant ou depuis le 1er juillet 2021). Un DPE déjà enregistré ne change pas : il se corrige sur la page "
        "du logement, avec un motif."
    ),
    columns=(
        Column(
            "commune",
            "Commune",
            Commune(),
            required=True,
            aliases=("code INSEE", "code commune", "commune du logement"),
        ),
        Column("street_number", "Numéro", Text(10), aliases=("n°", "numéro de voie", "no")),
        Column(
            "street",
            "Voie",
            Text(255),
            aliases=("adresse", "rue", "adresse du logement", "libellé de voie"),
            help="Obligatoire sans identifiant BAN. « 12 bis bd du Gal Leclerc » est compris.",
        ),
        Column("complement", "Complément d'adresse", Text(255), aliases=("complément", "bâtiment", "étage, porte")),
        Column(
            "ban_id",
            "Identifiant BAN",
            BanId(),
            aliases=("clé BAN", "id BAN", "clé d'interopérabilité", "cle_interop"),
            help="Obligatoire sans adresse ; avec l'adresse, les deux doivent désigner le même logement.",
        ),
        Column(
            "stage",
            "Étape",
            Choice(
                DpeStage,
                {
                    "avant": DpeStage.BEFORE,
                    "après": DpeStage.AFTER,
                    "initial": DpeStage.BEFORE,
                    "état initial": DpeStage.BEFORE,
                    "final": DpeStage.AFTER,
                    "fin de travaux": DpeStage.AFTER,
                },
            ),
            required=True,
            aliases=("avant ou après travaux", "stade", "moment du DPE"),
        ),
        Column(
            "made_on",
            "Date du DPE",
            Date(),
            required=True,
            aliases=("date d'établissement", "établi le", "date de réalisation", "date DPE"),
        ),
        Column(
            "method",
            "Méthode",
            Choice(
                DpeMethod,
                {
                    "ancienne méthode": DpeMethod.BEFORE_JULY_2021,
                    "avant 2021": DpeMethod.BEFORE_JULY_2021,
                    "3CL 2012": DpeMethod.BEFORE_JULY_2021,
                    "factures": DpeMethod.BEFORE_JULY_2021,
                    "nouvelle méthode": DpeMethod.FROM_JULY_2021,
                    "3CL 2021": DpeMethod.FROM_JULY_2021,
                    "3CL-DPE 2021": DpeMethod.FROM_JULY_2021,
                    "DPE 2021": DpeMethod.FROM_JULY_2021,
                },
            ),
            aliases=("méthode du DPE", "méthode de calcul"),
            help="Facultative : déduite de la date ; quand elle est donnée, elle doit être celle de la date.",
        ),
        Column(
            "energy_class",
            "Étiquette énergie",
            EnergyLabel(),
            required=True,
            aliases=("classe énergie", "étiquette", "classe", "étiquette DPE", "classe DPE"),
        ),
        Column(
            "kwh_per_m2_year",
            "Consommation (kWh/m²/an)",
            Consumption(),
            required=True,
            aliases=("consommation", "kWh/m²/an", "consommation d'énergie primaire", "conso"),
            help="Énergie primaire ; une valeur décimale est arrondie à l'unité.",
        ),
    ),
)

# Sheets 2D and 2G: a structure's monthly list of residents, as its manager keeps it.
RESIDENTS = SourceKind(
    code="residents_structure",
    label="Liste mensuelle des résidents d'une structure d'hébergement (entrées et sorties)",
    sink="stay",
    natural_key=("structure", "last_name", "first_name", "birth_date", "entry_on", "exit_on"),
    sample="residents-structure.csv",
    description=(
        "Un séjour par ligne ; la liste est renvoyée chaque mois : une ligne déjà importée est ignorée, "
        "une ligne qui porte désormais une sortie clôt le séjour. La structure doit être gérée par "
        "l'organisation qui importe."
    ),
    columns=(
        Column("structure", "Structure", Text(255), required=True, aliases=("nom de la structure", "établissement")),
        Column("last_name", "Nom", Name(), required=True, aliases=("nom du résident", "nom d'usage")),
        Column("first_name", "Prénom", Name(), aliases=("prénom du résident",)),
        Column("birth_date", "Date de naissance", Date(birth=True), aliases=("né(e) le", "date naissance")),
        Column("entry_on", "Date d'entrée", Date(), required=True, aliases=("entrée", "entré(e) le", "date entrée")),
        Column(
            "origin",
            "Provenance",
            Choice(
                EntryOrigin,
                {
                    "rue": EntryOrigin.STREET,
                    "SDF": EntryOrigin.STREET,
                    "115": EntryOrigin.EMERGENCY,
                    "urgence": EntryOrigin.EMERGENCY,
                    "hôpital": EntryOrigin.HOSPITAL,
                    "prison": EntryOrigin.PRISON,
                    "famille": EntryOrigin.FAMILY,
                    "tiers": EntryOrigin.FAMILY,
                    "expulsion": EntryOrigin.LOST_HOUSING,
                },
                description="une provenance",
            ),
            required=True,
            aliases=("motif d'entrée", "situation avant l'entrée", "origine"),
        ),
        Column("exit_on", "Date de sortie", Date(), aliases=("sortie", "sorti(e) le", "date sortie")),
        Column(
            "destination",
            "Destination",
            Choice(
                ExitDestination,
                {
                    "logement social": ExitDestination.SOCIAL_HOUSING,
                    "HLM": ExitDestination.SOCIAL_HOUSING,
                    "logement privé": ExitDestination.PRIVATE_HOUSING,
                    "décès": ExitDestination.DEATH,
                    "exclusion": ExitDestination.EXCLUSION,
                    "inconnue": ExitDestination.UNKNOWN,
                },
                description="une destination",
            ),
            aliases=("motif de sortie", "situation à la sortie", "orientation"),
        ),
    ),
)

# The places of a structure month by month, as its occupancy summary gives them: the dated
# capacity (occupied place-days come from the stays, never typed).
CAPACITY = SourceKind(
    code="capacite_structure",
    label="Places d'une structure d'hébergement (capacité datée, tableau d'occupation)",
    sink="capacity",
    natural_key=("structure", "valid_from", "places"),
    sample="capacite-structure.csv",
    description=(
        "Une ligne par date (un mois du tableau d'occupation) : les places ouvertes à partir de cette date. "
        "Une ligne qui répète les places en vigueur ne change rien ; une autre coupe la capacité à cette date."
    ),
    columns=(
        Column("structure", "Structure", Text(255), required=True, aliases=("nom de la structure", "établissement")),
        Column("valid_from", "À partir du", Date(), required=True, aliases=("mois", "date", "du")),
        Column("places", "Places", Count(), required=True, aliases=("places ouvertes", "capacité", "nombre de places")),
    ),
)

# Sheets 2D and 2G: the monthly occupancy summary of a structure that sends no list of
# residents. Its nights count only for a month with no stay (toit.accommodation.metrics).
OCCUPANCY_SUMMARY = SourceKind(
    code="synthese_occupation",
    label="Synthèse mensuelle d'occupation d'une structure d'hébergement (sans liste nominative)",
    sink="occupancy_summary",
    natural_key=("structure", "month"),
    sample="synthese-occupation.csv",
    description=(
        "Une ligne par structure et par mois, telle que le gestionnaire la tient : places ouvertes, journées "
        "occupées (nuitées), entrées et sorties. Pour les structures qui n'envoient pas la liste de leurs "
        "résidents : un mois où la structure a des séjours enregistrés est compté à partir des séjours, jamais "
        "des deux. Un mois déjà importé ne change pas : il se corrige, avec un motif."
    ),
    columns=(
        Column("structure", "Structure", Text(255), required=True, aliases=("nom de la structure", "établissement")),
        Column("month", "Mois", Month(), required=True, aliases=("période", "mois de référence")),
        Column(
            "places",
            "Places",
            Count(),
            required=True,
            aliases=("places ouvertes", "places disponibles", "capacité", "nombre de places"),
            help="Les places ouvertes à partir du premier jour du mois (capacité datée).",
        ),
        Column(
            "occupied_place_days",
            "Journées occupées",
            Count(maximum=10_000_000),
            required=True,
            aliases=(
                "journées-places occupées",
                "nuitées",
                "nombre de nuitées",
                "jours occupés",
            ),
            help="Nuitées du mois : une personne présente du 1er au 31 compte 31, le jour de sortie ne compte pas.",
        ),
        Column("entries", "Entrées", Count(), aliases=("nombre d'entrées", "admissions")),
        Column("exits", "Sorties", Count(), aliases=("nombre de sorties", "départs")),
    ),
)

# Issue 13 (sheet 3A): the département's extract of the social housing demand register.
HOUSING_DEMANDS = SourceKind(
    code="demandes_logement_social",
    label="Extrait de la demande de logement social",
    sink="demandes",
    natural_key=("number",),
    sample="demandes-logement-social.csv",
    description=(
        "L'extrait du fichier de la demande de logement social tel que le département le reçoit : une ligne par "
        "demande, détenue par l'organisation qui importe ; le département est celui de la commune du ménage."
    ),
    columns=(
        Column(
            "number",
            "Numéro unique",
            Identifier(),
            required=True,
            aliases=("numéro unique départemental", "n° unique", "numéro de la demande", "n° de demande"),
        ),
        *_identity(required=True),
        Column(
            "commune",
            "Commune de résidence",
            Commune(),
            required=True,
            aliases=("commune du demandeur", "commune actuelle", "code insee de résidence"),
        ),
        Column("household_size", "Taille du ménage", Count(), aliases=("nombre de personnes", "composition")),
        Column(
            "monthly_resources",
            "Ressources mensuelles",
            Money(),
            aliases=("revenus mensuels", "ressources du ménage"),
        ),
        Column("filed_on", "Date de dépôt", Date(), required=True, aliases=("déposée le", "date de la demande")),
        Column("renewed_on", "Date de renouvellement", Date(), aliases=("renouvelée le", "dernier renouvellement")),
        Column(
            "priority_grounds",
            "Motifs de priorité",
            Text(),
            aliases=("motifs prioritaires", "priorités"),
            help="Séparés par « ; » (ex. « Sans logement ; Handicap »).",
        ),
        Column("allocated_on", "Date d'attribution", Date(), aliases=("attribuée le", "date de satisfaction")),
        Column(
            "allocated_landlord",
            "Bailleur attributaire",
            Landlord(),
            aliases=("bailleur de l'attribution", "organisme attributaire"),
            help="Code ou nom d'un bailleur social connu de Toit.",
        ),
        Column(
            "allocation_channel",
            "Filière d'attribution",
            Choice(AllocationChannel, {"acd": AllocationChannel.ACD, "contingent": AllocationChannel.CONTINGENT}),
            aliases=("filière", "contingent d'attribution"),
        ),
        Column("plai_dwelling", "Logement PLA-I", Boolean(), aliases=("pla-i", "financement PLA-I")),
    ),
)

SOURCE_KINDS = {
    source.code: source
    for source in (
        UNPAID_RENT_CAF_MSA,
        UNPAID_RENT_LANDLORD,
        SUMMONS,
        FSL_DECISIONS,
        HOUSEHOLD_EVENTS,
        DWELLING_CASES,
        PST_DWELLINGS,
        ENERGY_DIAGNOSES,
        RESIDENTS,
        CAPACITY,
        OCCUPANCY_SUMMARY,
        HOUSING_DEMANDS,
    )
}


def choices():
    return [(code, source.label) for code, source in SOURCE_KINDS.items()]
