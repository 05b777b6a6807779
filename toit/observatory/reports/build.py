"""Gather the figures of a follow-up report (quarterly or annual) into plain tables that
the PDF, the XLSX and the web preview all render, so the three always show the same
numbers. Disclosure control is applied here, once."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from toit.metrics.enums import Periodicity, Unit
from toit.metrics.periods import Period
from toit.metrics.registry import MetricError, registry
from toit.observatory import disclosure
from toit.observatory.engine import to_decimal
from toit.observatory.enums import ReportKind
from toit.observatory.reports.definitions import SECTIONS, TITLES
from toit.observatory.territories import Level, all_territories, plan_territories
from toit.observatory.values import Source, values_for
from toit.plans.enums import IndicatorKind, IndicatorStatus
from toit.plans.models import Indicator
from toit.plans.progress import indicators_with_data, progress_for

NOT_AVAILABLE = "non disponible"
LIVE = "calcul à l'édition"


@dataclass
class Figure:
    value: Decimal | None
    display: str
    source: str  # Source.COMPUTED, Source.MANUAL, LIVE, NOT_AVAILABLE or "secret"
    unit: str = Unit.COUNT
    at: datetime.datetime | None = None

    @property
    def number(self):
        """What a chart or a spreadsheet cell may carry: None when not publishable."""
        return None if self.source in (NOT_AVAILABLE, "secret") else self.value


@dataclass
class Row:
    label: str
    cells: list  # Figure or str
    unit: str = Unit.COUNT
    note: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list  # headers, the first one for the label column
    rows: list
    description: str = ""
    chart: bool = False  # drawn from this very table: same numbers as the table
    notes: list = field(default_factory=list)

    # The web chart's series (dsfr-chart attributes), read from the rows themselves.
    @property
    def chart_rows(self):
        return [row for row in self.rows if row.unit == Unit.COUNT]

    @property
    def chart_x(self):
        return json.dumps([self.columns[1:]], ensure_ascii=False)

    @property
    def chart_y(self):
        return json.dumps([[_float(c.number) for c in row.cells] for row in self.chart_rows])

    @property
    def chart_names(self):
        return json.dumps([row.label for row in self.chart_rows], ensure_ascii=False)


@dataclass
class ReportData:
    plan: object
    kind: str
    period: Period
    title: str
    tables: list
    generated_at: datetime.datetime
    inputs_at: datetime.datetime | None
    threshold: int
    data_version: str = ""

    @property
    def kind_label(self):
        return ReportKind(self.kind).label


def _float(number):
    return None if number is None else float(number)


def format_number(value, unit=Unit.COUNT):
    if value is None:
        return NOT_AVAILABLE
    value = Decimal(value)
    if unit == Unit.COUNT or value == value.to_integral_value():
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    text = text.replace(",", "\u202f").replace(".", ",")
    suffix = {Unit.PERCENT: " %", Unit.EUR: " €", Unit.DAYS: " j"}.get(unit, "")
    return text + suffix


def trend_periods(kind, period, plan):
    if kind == ReportKind.QUARTERLY:
        quarters = plan.period.quarters()
        index = quarters.index(period)
        return quarters[max(0, index - 3) : index + 1]
    return [p for p in plan.period.years() if p.start <= period.start]


class _Resolver:
    """Finds each line's figure for a period and a territory, in the documented order."""

    def __init__(self, plan, lines, periods, territories):
        self.plan = plan
        self.territories = territories
        codes = {line.indicator for line in lines if line.indicator}
        self.indicators = {i.code: i for i in Indicator.objects.filter(plan=plan, code__in=codes)}
        self.values = values_for(plan, self.indicators.values(), periods=periods)
        self.live = {}

    def figure(self, line, period, territory):
        indicator = self.indicators.get(line.indicator)
        unit = indicator.unit if indicator else line.unit
        if indicator and indicator.kind == IndicatorKind.COMPUTED:
            found = self.values.get((indicator.pk, period, territory.key))
            if found and found.value is not None:
                return Figure(found.value, format_number(found.value, unit), Source.COMPUTED, unit, found.at)
        if line.metric and line.metric in registry:
            value = self._live(line, period, territory)
            if value is not None:
                return Figure(value, format_number(value, unit), LIVE, unit, timezone.now())
        if indicator and indicator.kind == IndicatorKind.MANUAL:
            found = self.values.get((indicator.pk, period, territory.key))
            if found and found.value is not None:
                return Figure(found.value, format_number(found.value, unit), Source.MANUAL, unit, found.at)
        return Figure(None, NOT_AVAILABLE, NOT_AVAILABLE, unit)

    def _live(self, line, period, territory):
        key = (line.metric, tuple(sorted(line.params.items())), period, territory.key)
        if key not in self.live:
            try:
                metric = registry.get(line.metric)
                self.live[key] = to_decimal(metric.compute(period, territory.scope, **line.params))
            except MetricError:
                self.live[key] = None
        return self.live[key]

    def snapshot_tree(self, line, period):
        """Every territory the indicator has a snapshot for in `period` (down to communes
        when the observatory computed them): {key: value}."""
        indicator = self.indicators.get(line.indicator)
        if not indicator or indicator.kind != IndicatorKind.COMPUTED:
            return {}
        return {
            key: v.value
            for (indicator_id, p, key), v in self.values.items()
            if indicator_id == indicator.pk and p == period
        }


def _entries(territories, values):
    return [(t.key, t.parent_key, values.get(t.key), t.sensitive) for t in territories if t.key in values]


def _protect_line(resolver, line, period, figures, columns, limit, territories_cache):
    """Suppress small counts of one line, protecting the line as the hierarchy it is part
    of: the whole tree of territories when the observatory has it, so the report hides
    exactly what the open data hide."""
    if figures[0].unit != Unit.COUNT:
        return
    values = {t.key: f.value for t, f in zip(columns, figures, strict=True)}
    tree = resolver.snapshot_tree(line, period)
    territories = columns
    if tree and set(tree) - set(values):
        if "all" not in territories_cache:
            territories_cache["all"] = all_territories(resolver.plan)
        territories = territories_cache["all"]
        # Snapshot values decide; keys only in `values` (a live or manual figure) stay.
        values = {**values, **tree}
    protection = disclosure.protect(disclosure.hierarchy(_entries(territories, values)), limit)
    for index, territory in enumerate(columns):
        if protection.status(territory.key) == disclosure.SUPPRESSED and figures[index].value is not None:
            figures[index] = Figure(None, disclosure.SECRET, "secret", figures[index].unit)


def _territory_table(section, resolver, period, columns, limit, cache):
    rows = []
    for line in section.lines:
        figures = [resolver.figure(line, period, t) for t in columns]
        _protect_line(resolver, line, period, figures, columns, limit, cache)
        rows.append(Row(line.label, figures, figures[0].unit))
    return rows


def _grid_table(section, resolver, period, columns, limit):
    """Lines that add up to a total line (dwelling types): a 2-D table with margins."""
    lines = [*section.lines, section.total]
    figures = {(line.label, t.key): resolver.figure(line, period, t) for line in lines for t in columns}
    department, parts = columns[-1], columns[:-1]
    partition = _partitions(parts)
    row_keys = [line.label for line in section.lines]
    col_keys = [t.key for t in parts]
    values = {(r, c): figures[(r, c)].value for r in row_keys for c in col_keys}
    total = section.total.label
    cells = disclosure.grid(
        values,
        rows=row_keys,
        cols=col_keys,
        row_totals={r: figures[(r, department.key)].value for r in row_keys} if partition else None,
        col_totals={c: figures[(total, c)].value for c in col_keys},
        grand_total=figures[(total, department.key)].value if partition else None,
        sensitive=lambda r, c: c != disclosure.TOTAL,
    )
    if not partition:
        # Without a partition, the département column is not a margin of the table.
        cells += disclosure.grid(
            {(r, department.key): figures[(r, department.key)].value for r in row_keys},
            rows=row_keys,
            cols=[department.key],
            col_totals={department.key: figures[(total, department.key)].value},
            sensitive=lambda r, c: False,
        )
    protection = disclosure.protect(cells, limit)
    key_of_cell = {(r, c): (r, c) for r in row_keys for c in col_keys}
    for r in row_keys:
        key_of_cell[(r, department.key)] = (r, disclosure.TOTAL) if partition else (r, department.key)
    for c in col_keys:
        key_of_cell[(total, c)] = (disclosure.TOTAL, c)
    key_of_cell[(total, department.key)] = (
        (disclosure.TOTAL, disclosure.TOTAL) if partition else (disclosure.TOTAL, department.key)
    )
    rows = []
    for line in lines:
        cells_out = []
        for t in columns:
            figure = figures[(line.label, t.key)]
            hidden = protection.status(key_of_cell[(line.label, t.key)]) == disclosure.SUPPRESSED
            if hidden and figure.value is not None:
                figure = Figure(None, disclosure.SECRET, "secret", figure.unit)
            cells_out.append(figure)
        rows.append(Row(line.label, cells_out, cells_out[0].unit))
    return rows


def _partitions(parts):
    """Whether the plan territories split the département exactly (an EPCI and the rest)."""
    kinds = {(t.kind, t.code) for t in parts}
    return len(parts) == 2 and any(("hors_epci", code) in kinds for kind, code in kinds if kind == "epci")


def _trend_table(section, resolver, periods, department):
    rows = []
    for line in section.lines:
        figures = [resolver.figure(line, p, department) for p in periods]
        rows.append(Row(line.label, figures, figures[0].unit))
    return rows


def _indicator_table(plan, period, limit):
    """Every plan indicator with its targets and status as of the end of the period."""
    progress = progress_for(indicators_with_data(plan), today=period.end, until=period.end)
    rows = []
    for item in progress:
        indicator = item.indicator
        latest = item.latest
        if latest is None or (latest.value is None and not latest.text):
            value = Figure(None, NOT_AVAILABLE, NOT_AVAILABLE, indicator.unit)
        elif indicator.unit == Unit.TEXT:
            text = latest.text if len(latest.text) <= 300 else latest.text[:297] + "…"
            value = Figure(None, text, Source.MANUAL, indicator.unit)
        else:
            source = Source.COMPUTED if indicator.kind == IndicatorKind.COMPUTED else Source.MANUAL
            value = Figure(latest.value, format_number(latest.value, indicator.unit), source, indicator.unit)
        targets = []
        for evaluation in item.evaluations:
            target = evaluation.target
            figure = "—"
            if evaluation.value is not None:
                small = indicator.unit == Unit.COUNT and target.territory_id and evaluation.value < limit
                figure = disclosure.SECRET if small else format_number(evaluation.value, indicator.unit)
            targets.append(f"{target.describe()} : {figure} ({IndicatorStatus(evaluation.status).label.lower()})")
        status = "" if item.status == IndicatorStatus.NO_TARGET else IndicatorStatus(item.status).label
        rows.append(
            Row(
                f"{indicator.code} — {indicator.label}",
                [
                    indicator.action.code,
                    value,
                    latest.period.label if latest else "",
                    " ; ".join(targets) or "Pas de cible chiffrée",
                    status,
                ],
                indicator.unit,
                note=item.note,
            )
        )
    return rows


def build_report(plan, kind, period, *, limit=None):
    kind = ReportKind(kind)
    expected = Periodicity.QUARTER if kind == ReportKind.QUARTERLY else Periodicity.YEAR
    if period.kind != expected:
        expected_text = "un trimestre (2010T3)" if expected == Periodicity.QUARTER else "une année (2010)"
        raise ValueError(f"Le {kind.label.lower()} porte sur {expected_text}, pas sur « {period.code} ».")
    if not plan.period.contains(period):
        raise ValueError(f"La période {period.code} est hors du plan ({plan.period.code}).")
    limit = disclosure.threshold() if limit is None else limit
    sections = SECTIONS[kind]
    trend = trend_periods(kind, period, plan)
    territories = plan_territories(plan)
    columns = [*territories[1:], territories[0]]
    lines = [line for s in sections for line in (*s.lines, *([s.total] if s.total else []))]
    resolver = _Resolver(plan, lines, sorted({period, *trend}), territories)
    cache = {}
    headers = ["", *[t.label if t.level != Level.DEPARTMENT else "Département" for t in columns]]
    tables = []
    for section in sections:
        if section.total:
            rows = _grid_table(section, resolver, period, columns, limit)
        else:
            rows = _territory_table(section, resolver, period, columns, limit, cache)
        title = f"{section.title} — {period.label.lower()}"
        tables.append(Table(section.key, title, headers, rows, section.description))
        if section.trend:
            tables.append(
                Table(
                    f"{section.key} evolution"[:31],
                    f"{section.title} — évolution (département)",
                    ["", *[p.label for p in trend]],
                    _trend_table(section, resolver, trend, territories[0]),
                    "Même série que le graphique.",
                    chart=True,
                )
            )
    tables.append(
        Table(
            "Indicateurs du plan",
            f"Indicateurs du plan et cibles — situation au {period.end:%d/%m/%Y}",
            ["Indicateur", "Fiche", "Valeur (département)", "Période", "Cible(s) et valeur retenue", "État"],
            _indicator_table(plan, period, limit),
        )
    )
    moments = [
        c.at for t in tables for r in t.rows for c in r.cells if isinstance(c, Figure) and c.at and c.source != LIVE
    ]
    report = ReportData(
        plan=plan,
        kind=kind,
        period=period,
        title=f"{TITLES[kind]} — {period.label}",
        tables=tables,
        generated_at=timezone.now(),
        inputs_at=max(moments, default=None),
        threshold=limit,
    )
    report.data_version = fingerprint(report)
    return report


def fingerprint(report):
    """SHA-256 of what the report says (labels, displayed figures, sources): the same
    figures give the same fingerprint, whenever the report is built."""
    content = {
        "plan": report.plan.code,
        "kind": str(report.kind),
        "period": report.period.code,
        "threshold": report.threshold,
        "tables": [
            {
                "title": t.title,
                "columns": t.columns,
                "rows": [
                    [r.label, *[(c.display, c.source) if isinstance(c, Figure) else c for c in r.cells]] for r in t.rows
                ],
            }
            for t in report.tables
        ],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
