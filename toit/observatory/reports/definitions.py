"""What a plan's follow-up reports contain: the tables and lines its plan file declares
(section `report`, loaded as ReportSection and ReportLine rows; the Sarthe's sheet 4B), or,
for a plan that declares none, its computed indicators, sheet by sheet.

Each line maps a French label to a plan indicator, or to a metric key (`manage.py
toit_metrics`) and its parameters. A line naming an indicator shows that indicator's value
(its latest snapshot, or the partner's measurement) and nothing else, as the plan's pages
and the report's own indicator table do; if it also names a metric, the loader checks it is
the one computing the indicator. A line naming a metric alone reads the latest snapshot of
the plan's computed indicator using that metric with the same parameters (the Assignations
of the Sarthe's 4B are those of 1C-1), else the metric computed when the report is built.
Otherwise it reads « non disponible ». Nothing is estimated (tests/observatory/consistency.py
checks every figure of a report against its indicator).

A line with neither says that Toit holds no source for it yet (the social housing demand is
in the SNE, the prefectoral allocations with the landlords): it reads « non disponible »
until a domain registers one. A line naming a metric that no domain registers is refused
when the plan file is loaded (toit.plans.loader).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from toit.metrics.enums import Periodicity, Unit
from toit.plans.enums import IndicatorKind, ReportKind
from toit.plans.models import Indicator, ReportLine, ReportSection

TITLES = {
    ReportKind.QUARTERLY: "Suivi trimestriel du plan",
    ReportKind.ANNUAL: "Suivi annuel du plan",
}
DEFAULT_NOTE = (
    "Le fichier de ce plan ne déclare pas le contenu de ses rapports de suivi (section report, "
    "docs/plan-format.md) : le rapport reprend ses indicateurs calculés, fiche par fiche."
)


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


@dataclass(frozen=True)
class ReportContents:
    sections: tuple
    declared: bool  # False: the default, which the report says
    action: object = None  # the sheet the reports carry out, when the plan file names one

    @property
    def note(self):
        return "" if self.declared else DEFAULT_NOTE


def _line(row):
    return Line(
        row.label,
        indicator=row.indicator.code if row.indicator_id else "",
        metric=row.metric_key,
        params=dict(row.metric_params),
        unit=row.unit,
    )


def contents_for(plan, kind):
    """The report of `kind` the plan declares, or the default when its file says nothing."""
    kind = ReportKind(kind)
    action = plan.report_action
    with_indicators = Prefetch("lines", queryset=ReportLine.objects.select_related("indicator"))
    rows = list(ReportSection.objects.filter(plan=plan).prefetch_related(with_indicators))
    if not rows:
        return ReportContents(default_sections(plan, kind), declared=False, action=action)
    sections = []
    for row in rows:
        if row.kind != kind:
            continue
        lines = list(row.lines.all())
        total = next((line for line in lines if line.is_total), None)
        sections.append(
            Section(
                key=row.tab,
                title=row.title,
                description=row.description,
                trend=row.trend,
                lines=tuple(_line(line) for line in lines if not line.is_total),
                total=_line(total) if total else None,
            )
        )
    return ReportContents(tuple(sections), declared=True, action=action)


# The indicators a report of each kind can show: a quarterly report, those computed by
# quarter; an annual one, those computed by quarter or year.
_PERIODICITIES = {
    ReportKind.QUARTERLY: {Periodicity.QUARTER},
    ReportKind.ANNUAL: {Periodicity.QUARTER, Periodicity.YEAR},
}


def default_sections(plan, kind):
    """One table per sheet (action) with the plan's computed indicators of the report's
    periodicity, in the plan's order."""
    indicators = (
        Indicator.objects.filter(plan=plan, kind=IndicatorKind.COMPUTED, periodicity__in=_PERIODICITIES[kind])
        .select_related("action")
        .order_by("position")
    )
    by_action = {}
    for indicator in indicators:
        by_action.setdefault(indicator.action, []).append(
            Line(f"{indicator.code} — {indicator.label}", indicator=indicator.code, unit=indicator.unit)
        )
    return tuple(
        Section(
            key=f"Fiche {action.code}"[:31],
            title=f"Fiche {action.code} — {action.title}"[:255],
            description="Indicateurs calculés de la fiche, par territoire du plan.",
            lines=tuple(lines),
            trend=True,
        )
        for action, lines in by_action.items()
    )


def all_lines(sections):
    return [line for s in sections for line in (*s.lines, *([s.total] if s.total else []))]


def unknown_metrics(sections):
    """[(line label, problem)] for every line naming a metric no domain registers, or a
    parameter the metric does not take (the loader refuses them; a metric unregistered
    since the plan was loaded shows here)."""
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
