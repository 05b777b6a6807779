"""Gather the figures of a follow-up report (quarterly or annual) into plain tables that
the PDF, the XLSX and the web preview all render, so the three always show the same
numbers. Disclosure control is applied here, once."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from toit.metrics.enums import Periodicity, Unit
from toit.metrics.periods import Period
from toit.metrics.registry import MetricError, registry
from toit.observatory import disclosure
from toit.observatory.engine import to_decimal
from toit.observatory.enums import ReportKind
from toit.observatory.publication import Publisher
from toit.observatory.reports.definitions import TITLES, contents_for
from toit.observatory.territories import Level, all_territories, key_of
from toit.observatory.values import Source, values_for
from toit.plans.enums import IndicatorKind, IndicatorStatus
from toit.plans.models import Indicator
from toit.plans.progress import indicators_with_data, progress_for
from toit.territory.scopes import ScopeKind

NOT_AVAILABLE = "non disponible"
LIVE = "calcul à l'édition"


@dataclass
class Figure:
    value: Decimal | None
    display: str
    source: str  # Source.COMPUTED, Source.MANUAL, LIVE, NOT_AVAILABLE or SUPPRESSED_SOURCE
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
    # The sheet (action) the plan's reports carry out, if its file names one, and why the
    # tables are the default ones when it declares none.
    action: object = None
    note: str = ""

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


SUPPRESSED_SOURCE = disclosure.SUPPRESSED


def _secret(figure):
    return Figure(None, disclosure.SECRET, SUPPRESSED_SOURCE, figure.unit)


def _params_key(params):
    return tuple(sorted((params or {}).items()))


class _Resolver:
    """Finds each line's figure for a period and a territory, in the documented order,
    and whether disclosure control lets it out (toit.observatory.publication)."""

    def __init__(self, plan, kind, lines, periods, territories, publisher):
        self.plan = plan
        self.territories = territories
        self.publisher = publisher
        self.default_periodicity = Periodicity.QUARTER if kind == ReportKind.QUARTERLY else Periodicity.YEAR
        codes = {line.indicator for line in lines if line.indicator}
        metrics = {line.metric for line in lines if line.metric and not line.indicator}
        found = list(
            Indicator.objects.filter(plan=plan)
            .filter(Q(code__in=codes) | Q(kind=IndicatorKind.COMPUTED, metric_key__in=metrics))
            .order_by("position")
        )
        self.indicators = {i.code: i for i in found if i.code in codes}
        # A line naming a metric reads the snapshots of the plan's indicator computing that
        # metric with the same parameters (the Assignations of 4B are those of 1C-1), so the
        # report and the plan's pages give one figure.
        self.by_metric = {}
        for indicator in found:
            if indicator.kind == IndicatorKind.COMPUTED:
                self.by_metric.setdefault((indicator.metric_key, _params_key(indicator.metric_params)), indicator)
        self.values = values_for(plan, {i.pk: i for i in found}.values(), periods=periods)
        self.live = {}

    def indicator_of(self, line):
        if line.indicator:
            return self.indicators.get(line.indicator)
        if not line.metric:
            return None  # a label alone: no source yet (not the first indicator without a metric)
        return self.by_metric.get((line.metric, _params_key(line.params)))

    def figure(self, line, period, territory):
        """A line naming an indicator shows that indicator's value (its snapshot, or the
        partner's measurement), as the plan's pages and the « Indicateurs du plan » table
        do, or « non disponible »: never another figure under its name. A line naming a
        metric alone reads the snapshot of the plan's indicator computing it, else the
        metric computed now."""
        indicator = self.indicator_of(line)
        unit = indicator.unit if indicator else line.unit
        if indicator:
            found = self.values.get((indicator.pk, period, territory.key))
            if found and found.value is not None:
                return Figure(found.value, format_number(found.value, unit), found.source, unit, found.at)
        if not line.indicator and line.metric and line.metric in registry:
            value = self._live(line, period, territory)
            if value is not None:
                return Figure(value, format_number(value, unit), LIVE, unit, timezone.now())
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

    def _live_base(self, line, period, territory):
        """The count of units behind a live non-count figure (its metric's base)."""
        key = ("base", line.metric, tuple(sorted(line.params.items())), period, territory.key)
        if key not in self.live:
            try:
                found = registry.get(line.metric).base_metric(line.params)
                count = to_decimal(found[0].compute(period, territory.scope, **found[1])) if found else None
                self.live[key] = None if count is None else int(count)
            except MetricError:
                self.live[key] = None
        return self.live[key]

    def protected(self, line, period, territory, figure):
        """The figure, or « s » when disclosure control hides it. The figures of one line
        and period are protected together with every territory the open data publish for
        them, so that both outputs hide the same cells."""
        if figure.value is None:
            return figure
        indicator = self.indicator_of(line)
        from_indicator = indicator is not None and figure.source in (Source.COMPUTED, Source.MANUAL)
        subject = indicator.pk if from_indicator else ("ligne", line.label, tuple(sorted(line.params.items())))
        periodicity = indicator.periodicity if indicator else self.default_periodicity
        values, bases = {}, {}
        if from_indicator:
            for (indicator_id, p, key), v in self.values.items():
                if indicator_id == indicator.pk and p == period:
                    if v.value is not None:
                        values[key] = v.value
                    if v.base is not None:
                        bases[key] = v.base
        for t in self.territories:
            if t.key not in values:
                other = self.figure(line, period, t)
                if other.value is not None and other.source == figure.source:
                    values[t.key] = other.value
                    if other.source == LIVE and figure.unit != Unit.COUNT:
                        bases[t.key] = self._live_base(line, period, t)
        if self.publisher.hidden(subject, figure.unit, periodicity, period, values, territory.key, bases=bases):
            return _secret(figure)
        return figure


def _territory_table(section, resolver, period, columns):
    rows = []
    for line in section.lines:
        figures = [resolver.protected(line, period, t, resolver.figure(line, period, t)) for t in columns]
        rows.append(Row(line.label, figures, figures[0].unit))
    return rows


def _grid_table(section, resolver, period, columns, limit):
    """Lines that add up to a total line (dwelling types): a 2-D table with margins. The
    total line keeps the decisions taken for it alone (it may be published elsewhere, in
    the open data), and the grid is protected around them."""
    lines = [*section.lines, section.total]
    figures = {(line.label, t.key): resolver.figure(line, period, t) for line in lines for t in columns}
    department, parts = columns[-1], columns[:-1]
    partition = _partitions(parts)
    total = section.total.label
    forced = set()
    for t in columns:
        figure = figures[(total, t.key)]
        if resolver.protected(section.total, period, t, figure).source == SUPPRESSED_SOURCE:
            forced.add((total, t.key))
    row_keys = [line.label for line in lines]
    cells, key_of_cell = _grid_cells(figures, row_keys, total, parts, department, partition)
    forced_keys = {key_of_cell[k] for k in forced}
    frozen = {key_of_cell[(total, t.key)] for t in columns} - forced_keys
    try:
        protection = disclosure.protect(cells, limit, forced=forced_keys, frozen=frozen)
        hidden = protection.hidden
    except disclosure.DisclosureError:
        # No way to protect the grid without touching the total line: hide every type.
        hidden = {key for key, cell in key_of_cell.items() if key[0] != total} | forced
        hidden = {key_of_cell[k] for k in hidden}
    rows = []
    for line in lines:
        cells_out = []
        for t in columns:
            figure = figures[(line.label, t.key)]
            if key_of_cell[(line.label, t.key)] in hidden and figure.value:
                figure = _secret(figure)
            cells_out.append(figure)
        rows.append(Row(line.label, cells_out, cells_out[0].unit))
    return rows


def _grid_cells(figures, row_keys, total, parts, department, partition):
    """The disclosure cells of a types × territories table whose last row is the total."""
    inner_rows = [r for r in row_keys if r != total]
    col_keys = [t.key for t in parts]
    values = {(r, c): figures[(r, c)].value for r in inner_rows for c in col_keys}
    cells = disclosure.grid(
        values,
        rows=inner_rows,
        cols=col_keys,
        row_totals={r: figures[(r, department.key)].value for r in inner_rows} if partition else None,
        col_totals={c: figures[(total, c)].value for c in col_keys},
        grand_total=figures[(total, department.key)].value if partition else None,
        sensitive=lambda r, c: c != disclosure.TOTAL,
    )
    key_of_cell = {(r, c): (r, c) for r in inner_rows for c in col_keys}
    for c in col_keys:
        key_of_cell[(total, c)] = (disclosure.TOTAL, c)
    if partition:
        for r in inner_rows:
            key_of_cell[(r, department.key)] = (r, disclosure.TOTAL)
        key_of_cell[(total, department.key)] = (disclosure.TOTAL, disclosure.TOTAL)
    else:
        # Without a partition the département column is a table of its own.
        cells += disclosure.grid(
            {(r, department.key): figures[(r, department.key)].value for r in inner_rows},
            rows=inner_rows,
            cols=[department.key],
            col_totals={department.key: figures[(total, department.key)].value},
            sensitive=lambda r, c: False,
        )
        for r in inner_rows:
            key_of_cell[(r, department.key)] = (r, department.key)
        key_of_cell[(total, department.key)] = (disclosure.TOTAL, department.key)
    return cells, key_of_cell


def _partitions(parts):
    """Whether the plan territories split the département exactly (an EPCI and the rest)."""
    kinds = {(t.kind, t.code) for t in parts}
    return len(parts) == 2 and any(("hors_epci", code) in kinds for kind, code in kinds if kind == "epci")


def _trend_table(section, resolver, periods, department):
    rows = []
    for line in section.lines:
        figures = [resolver.protected(line, p, department, resolver.figure(line, p, department)) for p in periods]
        rows.append(Row(line.label, figures, figures[0].unit))
    return rows


def _indicator_table(plan, period, publisher):
    """Every plan indicator with its targets and status as of the end of the period.
    Figures go through the same disclosure control as everywhere else."""
    progress = progress_for(indicators_with_data(plan), today=period.end, until=period.end)
    # The table gives the département's value (its column says so), whatever the sheet's
    # territory: the targets judged on that territory name it.
    pairs = {(item.indicator.pk, item.department_latest.period) for item in progress if item.department_latest}
    pairs |= {(item.indicator.pk, p.period) for item in progress for p in item.points if p.territory_id is not None}
    trees = values_for(plan, [item.indicator for item in progress], pairs=pairs) if pairs else {}
    by_pair, bases = {}, {}
    for (indicator_id, p, key), value in trees.items():
        if value.value is not None:
            by_pair.setdefault((indicator_id, p), {})[key] = value.value
        if value.base is not None:
            bases.setdefault((indicator_id, p), {})[key] = value.base
    department_key = (str(ScopeKind.DEPARTMENT), plan.department_code)
    territory_keys = {
        t.pk: department_key if t.kind == ScopeKind.DEPARTMENT else key_of(t.scope()) for t in plan.territories.all()
    }

    def hidden(indicator, p, key):
        values, behind = by_pair.get((indicator.pk, p), {}), bases.get((indicator.pk, p), {})
        return publisher.hidden(
            indicator.pk, indicator.unit, indicator.periodicity, p, values, key or department_key, behind
        )

    rows = []
    for item in progress:
        indicator = item.indicator
        latest = item.department_latest
        if latest is None or (latest.value is None and not latest.text):
            value = Figure(None, NOT_AVAILABLE, NOT_AVAILABLE, indicator.unit)
        elif indicator.unit == Unit.TEXT:
            text = latest.text if len(latest.text) <= 300 else latest.text[:297] + "…"
            value = Figure(None, text, Source.MANUAL, indicator.unit)
        else:
            source = Source.COMPUTED if indicator.kind == IndicatorKind.COMPUTED else Source.MANUAL
            value = Figure(latest.value, format_number(latest.value, indicator.unit), source, indicator.unit)
            if hidden(indicator, latest.period, department_key):
                value = _secret(value)
        targets = [_target_text(evaluation, indicator, territory_keys, hidden) for evaluation in item.evaluations]
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


def _target_text(evaluation, indicator, territory_keys, hidden):
    target = evaluation.target
    figure = "—"
    if evaluation.value is not None:
        figure = format_number(evaluation.value, indicator.unit)
        # A count is never hidden for the département; any other unit may be (its base).
        if target.territory_id or indicator.unit != Unit.COUNT:
            key = territory_keys.get(target.territory_id)  # None: the département
            period = next(
                (
                    p
                    for p in ([Period.parse(target.period_code)] if target.period_code else [])
                    + [indicator.plan.period]
                    + indicator.plan.period.years()
                    if evaluation.basis in (p.label, f"année {p.code}")
                ),
                None,
            )
            if period is None:
                # A sum or a choice among several periods below the département: not a figure
                # any table publishes, and it could give a hidden one away by difference.
                figure = "non publié (territoire infra-départemental)" if key else "non publié"
            elif hidden(indicator, period, key):
                figure = disclosure.SECRET
    status = IndicatorStatus(evaluation.status).label.lower()
    return f"{target.describe()} : {figure} ({status})"


def build_report(plan, kind, period, *, limit=None):
    kind = ReportKind(kind)
    expected = Periodicity.QUARTER if kind == ReportKind.QUARTERLY else Periodicity.YEAR
    if period.kind != expected:
        expected_text = "un trimestre (2010T3)" if expected == Periodicity.QUARTER else "une année (2010)"
        raise ValueError(f"Le {kind.label.lower()} porte sur {expected_text}, pas sur « {period.code} ».")
    if not plan.covers(period):
        raise ValueError(f"La période {period.code} est hors du plan ({plan.period.label}).")
    limit = disclosure.threshold() if limit is None else limit
    contents = contents_for(plan, kind)
    sections = contents.sections
    trend = trend_periods(kind, period, plan)
    everywhere = all_territories(plan)
    territories = [t for t in everywhere if t.level in (Level.DEPARTMENT, Level.PLAN)]
    publisher = Publisher(everywhere, limit)
    columns = [*territories[1:], territories[0]]
    lines = [line for s in sections for line in (*s.lines, *([s.total] if s.total else []))]
    resolver = _Resolver(plan, kind, lines, sorted({period, *trend}), territories, publisher)
    # A territory is named as it was for the period (an EPCI by its perimeter of the time).
    headers = ["", *[str(t.scope.at(period)) if t.level != Level.DEPARTMENT else "Département" for t in columns]]
    tables = []
    for section in sections:
        if section.total:
            rows = _grid_table(section, resolver, period, columns, limit)
        else:
            rows = _territory_table(section, resolver, period, columns)
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
            _indicator_table(plan, period, publisher),
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
        action=contents.action,
        note=contents.note,
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
        # Only when there is one, so that a declared report keeps its fingerprint.
        **({"note": report.note} if report.note else {}),
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
