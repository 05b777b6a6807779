"""What the follow-up reports of sheet 4B contain, as data.

Each line maps a French label to a plan indicator code and/or a metric key. A figure is
taken, in this order, from: the latest snapshot of the indicator when it is computed; the
metric when it is registered (computed when the report is built); the measurement
recorded for the indicator; otherwise it reads « non disponible ». Nothing is estimated.

Indicator codes are those of the Sarthe plan (plans/pdalpd-sarthe-2008-2012.yaml, sheet
4B); metric keys are those the domains register (`manage.py toit_metrics`). A line whose
indicator or metric does not exist simply reads « non disponible ».
"""

from dataclasses import dataclass, field

from toit.metrics.enums import Unit
from toit.observatory.enums import ReportKind


@dataclass(frozen=True)
class Line:
    label: str
    indicator: str = ""
    metric: str = ""
    params: dict = field(default_factory=dict)
    unit: str = Unit.COUNT


@dataclass(frozen=True)
class Section:
    key: str  # also the XLSX sheet name: at most 31 characters
    title: str
    lines: tuple
    description: str = ""
    # A section whose lines add up (dwelling types) is published with a total line.
    total: Line | None = None
    # Also give the trend of the lines over the previous periods, with a chart.
    trend: bool = False


QUARTERLY = (
    Section(
        key="Suivi trimestriel",
        title="Suivi trimestriel (fiche 4B)",
        description="Données du trimestre, par territoire du plan.",
        trend=True,
        lines=(
            Line("Demande locative sociale (demandes enregistrées)", indicator="4B-1", metric="housing.social_demand"),
            Line("Ordonnances et jugements d'expulsion", indicator="4B-2", metric="eviction.judgments"),
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
                metric="housing.prefectoral_allocations",
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
            Line("Logements très sociaux (PLAI)", metric="housing.additional_supply", params={"type": "plai"}),
            Line("Logements sociaux (PLUS)", metric="housing.additional_supply", params={"type": "plus"}),
            Line("Logements intermédiaires (PLS)", metric="housing.additional_supply", params={"type": "pls"}),
            Line(
                "Logements privés conventionnés (ANAH)",
                metric="housing.additional_supply",
                params={"type": "prive_conventionne"},
            ),
            Line(
                "Places en maison relais ou résidence sociale",
                metric="housing.additional_supply",
                params={"type": "maison_relais"},
            ),
        ),
        total=Line("Total de l'offre supplémentaire", indicator="4B-6", metric="housing.additional_supply"),
    ),
    Section(
        key="Hebergement",
        title="Hébergement et logement adapté (fiches 2D à 2G)",
        description="Places, occupation sur chaque jour de l'année, entrées, sorties et durées de séjour.",
        trend=True,
        lines=(
            Line("Places créées en maison relais ou résidence accueil", indicator="2D-2"),
            Line("Taux d'occupation des maisons relais", indicator="2D-14", unit=Unit.PERCENT),
            Line("Places d'hébergement créées (fiche 2G)", indicator="2G-2"),
            Line("Taux d'occupation de l'hébergement", indicator="2G-3", unit=Unit.PERCENT),
            Line("Coût par place de l'hébergement", indicator="2G-4", unit=Unit.EUR),
            Line("Entrées en hébergement", indicator="2G-5"),
            Line("Sorties d'hébergement", indicator="2G-6"),
            Line("Dont sorties vers un logement ordinaire", indicator="2G-11"),
            Line("Durée moyenne de séjour", indicator="2G-15", unit=Unit.DAYS),
            Line("Logements adaptés mis en place selon le guide (fiche 2F)", indicator="2F-1"),
        ),
    ),
)

SECTIONS = {ReportKind.QUARTERLY: QUARTERLY, ReportKind.ANNUAL: ANNUAL}
TITLES = {
    ReportKind.QUARTERLY: "Suivi trimestriel du plan",
    ReportKind.ANNUAL: "Suivi annuel du plan",
}
