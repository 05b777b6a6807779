"""The 4B report sections as the observatory's test plan (tests/observatory/plan.py) reads
them: by indicator code, its 4B-1 to 4B-7 being the follow-up lines, so that the report's
mechanics (snapshots, measurements, secrecy, trends) are tested on figures the test metrics
give. The Sarthe's own sections (toit.observatory.reports.definitions) read eviction
metrics instead."""

from toit.metrics.enums import Unit
from toit.observatory.enums import ReportKind
from toit.observatory.reports.definitions import Line, Section

QUARTERLY = (
    Section(
        key="Suivi trimestriel",
        title="Suivi trimestriel (fiche 4B)",
        description="Données du trimestre, par territoire du plan.",
        trend=True,
        lines=(
            Line("Demande locative sociale (demandes enregistrées)", indicator="4B-1"),
            Line("Ordonnances et jugements d'expulsion", indicator="4B-2"),
            Line("Assignations", indicator="4B-3", metric="eviction.assignations"),
            Line(
                "Enquêtes sociales pour expulsion (diagnostics sociaux et financiers complets)",
                indicator="4B-4",
                metric="eviction.complete_diagnoses",
            ),
        ),
    ),
)

ANNUAL = (
    Section(
        key="Suivi annuel",
        title="Suivi annuel (fiche 4B)",
        description="Données de l'année, par territoire du plan.",
        trend=True,
        lines=(
            Line(
                "Attributions de logement sur le contingent préfectoral",
                indicator="4B-5",
            ),
            Line(
                "Contribution du FSL au maintien et au relogement des ménages menacés d'expulsion (€)",
                indicator="4B-7",
                metric="eviction.fsl_eviction_amount",
                unit=Unit.EUR,
            ),
            Line(
                "Ménages du parc privé aidés par le FSL pour le maintien dans le logement",
                metric="eviction.fsl_private_stay_households",
            ),
            Line("Relogements effectifs de ménages menacés d'expulsion", metric="eviction.rehousings"),
        ),
    ),
    Section(
        key="Offre supplementaire",
        title="Offre supplémentaire produite par type de logement",
        description="Logements et places mis en service dans l'année.",
        lines=(
            Line("Logements très sociaux (PLAI)", params={"type": "plai"}),
            Line("Logements sociaux (PLUS)", params={"type": "plus"}),
            Line("Logements intermédiaires (PLS)", params={"type": "pls"}),
            Line(
                "Logements privés conventionnés (ANAH)",
                params={"type": "prive_conventionne"},
            ),
            Line(
                "Places en maison relais ou résidence sociale",
                params={"type": "maison_relais"},
            ),
        ),
        total=Line("Total de l'offre supplémentaire", indicator="4B-6"),
    ),
)

SECTIONS = {ReportKind.QUARTERLY: QUARTERLY, ReportKind.ANNUAL: ANNUAL}
