"""What the follow-up reports of sheet 4B contain, as data.

Sheet 4B follows, quarterly and yearly, the data its modalities list. Each line maps a French
label to a metric key (`manage.py toit_metrics`) and its parameters. A figure is taken, in
this order, from: the latest snapshot of the plan's computed indicator that uses the same
metric with the same parameters (the Assignations of 4B are those of 1C-1); the metric,
computed when the report is built; otherwise it reads « non disponible ». A line may
instead name a manual indicator of the plan (`indicator`), whose measurement it reads.
Nothing is estimated.

A line without a metric says that Toit holds no source for it yet (the social housing
demand is in the SNE, the prefectoral allocations with the landlords, the additional supply
with the DDT): it reads « non disponible » until a domain registers one. A line naming a
metric that no domain registers is a mistake: tests/observatory/test_report_definitions.py
fails on it (unknown_metrics).
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
            Line("Demande locative sociale (demandes enregistrées)"),
            Line("Ordonnances et jugements d'expulsion", metric="eviction.judgments"),
            Line("Assignations", metric="eviction.assignations"),
            Line(
                "Enquêtes sociales pour expulsion (diagnostics sociaux et financiers complets)",
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
            Line("Attributions de logement sur le contingent préfectoral"),
            Line(
                "Contribution du FSL au maintien et au relogement des ménages menacés d'expulsion (€)",
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
            Line("Logements très sociaux (PLAI)"),
            Line("Logements sociaux (PLUS)"),
            Line("Logements intermédiaires (PLS)"),
            Line("Logements privés conventionnés (ANAH)"),
            Line("Places en maison relais ou résidence sociale"),
        ),
        total=Line("Total de l'offre supplémentaire"),
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


def all_lines(sections=None):
    sections = sections if sections is not None else [s for group in SECTIONS.values() for s in group]
    return [line for s in sections for line in (*s.lines, *([s.total] if s.total else []))]


def unknown_metrics(sections=None):
    """[(line label, problem)] for every line naming a metric no domain registers, or a
    parameter the metric does not take."""
    from toit.metrics.registry import registry

    problems = []
    for line in all_lines(sections):
        if not line.metric:
            continue
        if line.metric not in registry:
            problems.append((line.label, f"métrique « {line.metric} » inconnue"))
            continue
        for name in sorted(set(line.params) - set(registry.get(line.metric).params)):
            problems.append((line.label, f"paramètre « {name} » inconnu de {line.metric}"))
    return problems
