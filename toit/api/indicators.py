"""Indicator values as the API gives them: the figures of the open data (same territories,
same periodicity rule, same disclosure decisions, from
toit.observatory.opendata.published_figures), as typed values rather than CSV cells: JSON
carries text unchanged, where the CSV neutralises spreadsheet formulas."""

from toit.observatory import disclosure
from toit.observatory.opendata import published_figures


def figures(plan, limit=None):
    """Every published figure of the plan's numeric indicators, in a stable order: dicts
    with indicator, period, territory, value (a plain decimal text, None when secret),
    status, source, is_synthetic, valued_at. A fixed number of queries."""
    return [
        {
            "plan": plan.code,
            "indicator": {
                "code": f.indicator.code,
                "label": f.indicator.label,
                "action": f.indicator.action.code,
                "unit": f.indicator.unit,
            },
            "period": {"code": f.period.code, "kind": f.period.kind, "start": f.period.start, "end": f.period.end},
            "territory": {
                "level": f.territory.level,
                "kind": f.territory.kind,
                "code": f.territory.code,
                "label": f.territory.label,
            },
            "value": None if f.secret else format(f.value.value.normalize(), "f"),
            "status": disclosure.SUPPRESSED if f.secret else disclosure.PUBLISHED,
            "source": f.value.source,
            "is_synthetic": f.value.is_synthetic,
            "valued_at": f.value.at.replace(microsecond=0),
        }
        for f in published_figures(plan, limit)
    ]
