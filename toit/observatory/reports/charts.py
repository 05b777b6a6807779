"""Charts of the PDF, drawn by matplotlib as SVG from the same Table the report prints
beside them (so the chart cannot say something the table does not)."""

import io
import math

from matplotlib import rc_context
from matplotlib.figure import Figure as MplFigure

from toit.metrics.enums import Unit

# DSFR palette: bleu France, then the illustrative colours of the design system.
COLOURS = ["#000091", "#E1000F", "#009081", "#C3992A", "#A558A0", "#6A6AF4"]


def chartable_rows(table):
    """Rows drawn: numeric counts only (mixing euros and counts on one axis misleads)."""
    return [row for row in table.rows if row.unit == Unit.COUNT]


def bar_chart_svg(table, *, width=7.2, height=3.0):
    rows = chartable_rows(table)
    categories = table.columns[1:]
    settings = {"svg.fonttype": "none", "svg.hashsalt": "toit", "font.family": "DejaVu Sans", "font.size": 8}
    with rc_context(settings):
        figure = MplFigure(figsize=(width, height))
        axes = figure.add_subplot()
        count = max(len(rows), 1)
        bar_width = 0.8 / count
        for index, row in enumerate(rows):
            heights = [float(c.number) if c.number is not None else math.nan for c in row.cells]
            positions = [i + (index - (count - 1) / 2) * bar_width for i in range(len(categories))]
            axes.bar(positions, heights, bar_width, label=_short(row.label), color=COLOURS[index % len(COLOURS)])
        axes.set_xticks(range(len(categories)), categories)
        # Counts: the axis starts at 0 (a bar chart that does not mislead), at least 0-1.
        top = max((float(c.number) for row in rows for c in row.cells if c.number is not None), default=0)
        axes.set_ylim(bottom=0, top=max(top * 1.1, 1))
        axes.spines[["top", "right"]].set_visible(False)
        axes.yaxis.get_major_locator().set_params(integer=True)
        if rows:
            axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, frameon=False)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _short(label, size=48):
    return label if len(label) <= size else label[: size - 1] + "…"
