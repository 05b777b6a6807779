"""The files partners send, declared as data. Each source kind lists its columns (French
name as in the sample file, aliases, cell type, whether required), the field of the sink
each column feeds, the natural key that makes re-imports idempotent, and which
organisations may send it. A new source kind is a new entry here: the reading, checking,
staging, import and error report do not change. docs/imports.md describes each entry and
docs/samples/imports/ holds a sample file per entry (a test keeps the three in step)."""

from dataclasses import dataclass, field

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
    Boolean,
    Choice,
    Commune,
    Count,
    Date,
    FileReference,
    Identifier,
    Landlord,
    Money,
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
    for source in (UNPAID_RENT_CAF_MSA, UNPAID_RENT_LANDLORD, SUMMONS, FSL_DECISIONS, HOUSEHOLD_EVENTS, HOUSING_DEMANDS)
}


def choices():
    return [(code, source.label) for code, source in SOURCE_KINDS.items()]
