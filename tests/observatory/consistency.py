"""One truth: every figure of a follow-up report checked against the indicator its line
names, read independently of the report's own code (toit.observatory.reports.build).

For each line of each declared table, for each territory column and each trend period:
- the expected figure is the named indicator's value for that period and territory (its
  latest snapshot, or the partner's measurement), « non disponible » when it has none; for
  a line naming a metric and no indicator, the snapshot of the plan's indicator computing
  it, else what the metric gives for that period and territory;
- the cell shows that figure, formatted, or « s »; and « s » exactly where the open data
  (the same indicator, period and territory) say « s »;
- a « dont » line never exceeds its total (the nearest line above it that is not a « dont »),
  nor any line of a grid its total line;
- the « Indicateurs du plan » table gives each indicator's latest value at the end of the
  period, the same figure as any line that names it for that period.

`problems(report)` returns what differs, in French, so that a failing test says where."""

from toit.metrics.registry import MetricError, registry
from toit.observatory import disclosure
from toit.observatory.engine import to_decimal
from toit.observatory.opendata import published_figures
from toit.observatory.reports.build import NOT_AVAILABLE, Figure, format_number, trend_periods
from toit.observatory.reports.definitions import contents_for
from toit.observatory.territories import Level, all_territories
from toit.observatory.values import values_for
from toit.plans.enums import IndicatorKind
from toit.plans.models import Indicator


class _Truth:
    def __init__(self, plan, limit):
        self.plan = plan
        self.territories = all_territories(plan)
        self.indicators = list(Indicator.objects.filter(plan=plan).order_by("position"))
        self.by_code = {i.code: i for i in self.indicators}
        self.values = values_for(self.plan, self.indicators)
        self.published = {(f.indicator.pk, f.period, f.territory.key): f for f in published_figures(plan, limit)}

    def named(self, line):
        """The indicator a line names: by its code, or the plan's computed indicator
        computing the line's metric with the same parameters."""
        if line.indicator:
            return self.by_code[line.indicator]
        for indicator in self.indicators:
            if (
                line.metric
                and indicator.kind == IndicatorKind.COMPUTED
                and indicator.metric_key == line.metric
                and dict(indicator.metric_params) == dict(line.params)
            ):
                return indicator
        return None

    def expected(self, line, period, territory):
        indicator = self.named(line)
        if indicator is not None:
            found = self.values.get((indicator.pk, period, territory.key))
            if found is not None and found.value is not None:
                return found.value, indicator
            if line.indicator:
                return None, indicator  # an indicator without a value for the period
        if line.metric:
            return self._metric(line.metric, line.params, period, territory), None
        return None, None

    def _metric(self, key, params, period, territory):
        try:
            return to_decimal(registry.get(key).compute(period, territory.scope, **params))
        except MetricError:
            return None

    def secret_in_open_data(self, indicator, period, territory):
        """True or False where the open data publish the cell, None where they do not."""
        figure = self.published.get((indicator.pk, period, territory.key))
        return None if figure is None else figure.secret


def _where(table, row, header):
    return f"« {table.title} », ligne « {row.label} », colonne « {header} »"


def _check_cell(truth, line, period, territory, cell, where, *, grid_part=False):
    expected, indicator = truth.expected(line, period, territory)
    if not isinstance(cell, Figure):
        return [f"{where} : {cell!r} n'est pas un chiffre"]
    problems = []
    if expected is None:
        if cell.display != NOT_AVAILABLE:
            problems.append(f"{where} : {cell.display} affiché, l'indicateur nommé est non disponible")
        return problems
    if cell.display == disclosure.SECRET:
        secret = truth.secret_in_open_data(indicator, period, territory) if indicator else None
        if secret is False and not grid_part:
            problems.append(f"{where} : « s » dans le rapport, {expected} publié dans les données ouvertes")
        return problems
    if cell.display == NOT_AVAILABLE or cell.value is None or cell.value != expected:
        problems.append(f"{where} : {cell.display} affiché, l'indicateur nommé vaut {expected}")
    elif cell.display != format_number(expected, cell.unit):
        problems.append(f"{where} : {cell.display} affiché pour {expected}")
    if indicator and truth.secret_in_open_data(indicator, period, territory):
        problems.append(f"{where} : {cell.display} publié dans le rapport, « s » dans les données ouvertes")
    return problems


def _is_part(label):
    return label.strip().casefold().startswith("dont ")


def _subsets(table, total_row=None):
    """Each « dont » line against the line it details; with `total_row`, every line of a
    grid against its total."""
    problems = []
    total = None
    for row in table.rows:
        if total_row is not None:
            whole = total_row if row is not total_row else None
        elif _is_part(row.label):
            whole = total
        else:
            total, whole = row, None
        if whole is None:
            continue
        for header, part, of in zip(table.columns[1:], row.cells, whole.cells, strict=True):
            if part.number is not None and of.number is not None and part.number > of.number:
                problems.append(
                    f"{_where(table, row, header)} : {part.display} dépasse son total « {whole.label} » ({of.display})"
                )
    return problems


def _indicator_rows(truth, report, table, department, shown):
    """The « Indicateurs du plan » table: each indicator's latest value at the period's end
    (département), as the open data publish it, and as any line of the report shows it."""
    problems = []
    for row in table.rows:
        code = row.label.split(" — ", 1)[0]
        indicator = truth.by_code[code]
        cell, period_label = row.cells[1], row.cells[2]
        where = _where(table, row, table.columns[2])
        points = [
            (p, v)
            for (pk, p, key), v in truth.values.items()
            if pk == indicator.pk and key == department.key and p.end <= report.period.end
        ]
        latest = max(points, key=lambda pair: (pair[0].end, -pair[0].start.toordinal()), default=None)
        if latest is None or (latest[1].value is None and not latest[1].text):
            if cell.display != NOT_AVAILABLE:
                problems.append(f"{where} : {cell.display} affiché, l'indicateur n'a pas de valeur")
            continue
        period, value = latest
        if period_label != period.label:
            problems.append(f"{where} : période « {period_label} », la dernière valeur est de « {period.label} »")
        if value.value is None:  # text
            continue
        secret = truth.secret_in_open_data(indicator, period, department)
        if cell.display == disclosure.SECRET:
            if secret is False:
                problems.append(f"{where} : « s » ici, {value.value} dans les données ouvertes")
        else:
            if cell.value != value.value or cell.display != format_number(value.value, indicator.unit):
                problems.append(f"{where} : {cell.display} affiché, l'indicateur vaut {value.value}")
            if secret:
                problems.append(f"{where} : {cell.display} ici, « s » dans les données ouvertes")
        other = shown.get((indicator.pk, period))
        if other is not None and other[1].display != cell.display:
            problems.append(f"{where} : {cell.display} ici, {other[1].display} dans {other[0]}")
    return problems


def problems(report, limit):
    """Every difference between the report and the indicators its lines name."""
    plan = report.plan
    truth = _Truth(plan, limit)
    contents = contents_for(plan, report.kind)
    shown_territories = [t for t in truth.territories if t.level in (Level.DEPARTMENT, Level.PLAN)]
    department = shown_territories[0]
    columns = [*shown_territories[1:], department]
    trend = trend_periods(report.kind, report.period, plan)
    tables = {t.key: t for t in report.tables}
    found = []
    shown = {}  # (indicator id, period) → (where, département figure), for the indicator table
    for section in contents.sections:
        lines = [*section.lines, *([section.total] if section.total else [])]
        table = tables[section.key]
        if [r.label for r in table.rows] != [line.label for line in lines]:
            found.append(f"« {table.title} » : lignes {[r.label for r in table.rows]}, déclarées {lines}")
            continue
        for line, row in zip(lines, table.rows, strict=True):
            part = section.total is not None and line is not section.total
            for header, territory, cell in zip(table.columns[1:], columns, row.cells, strict=True):
                found += _check_cell(
                    truth, line, report.period, territory, cell, _where(table, row, header), grid_part=part
                )
            indicator = truth.named(line)
            if indicator is not None:
                shown[(indicator.pk, report.period)] = (f"« {table.title} »", row.cells[-1])
        found += _subsets(table, total_row=table.rows[-1] if section.total else None)
        if section.trend:
            evolution = tables[f"{section.key} evolution"[:31]]
            for line, row in zip(section.lines, evolution.rows, strict=True):
                for header, period, cell in zip(evolution.columns[1:], trend, row.cells, strict=True):
                    found += _check_cell(truth, line, period, department, cell, _where(evolution, row, header))
            found += _subsets(evolution)
    found += _indicator_rows(truth, report, tables["Indicateurs du plan"], department, shown)
    return found
