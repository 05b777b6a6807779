"""Indicator values as the API gives them: the figures of the open data (same territories,
same periodicity rule, same disclosure decisions, taken from
toit.observatory.publication.Publisher), as typed values rather than CSV cells.

toit.observatory.opendata.rows formats its cells for spreadsheets (text that could start a
formula gets a leading apostrophe); JSON must carry the text unchanged, so the rows are
assembled here from the same pieces. A test checks both give the same decisions.
"""

from collections import defaultdict

from toit.metrics.enums import Unit
from toit.observatory import disclosure
from toit.observatory.publication import Publisher
from toit.observatory.territories import all_territories
from toit.observatory.values import values_for
from toit.plans.models import Indicator


def figures(plan, limit=None):
    """Every published figure of the plan's numeric indicators, in a stable order: dicts
    with indicator, period, territory, value (a plain decimal text, None when secret),
    status, source, is_synthetic, valued_at. A fixed number of queries."""
    territories = all_territories(plan)
    publisher = Publisher(territories, limit)
    by_territory = {t.key: t for t in territories}
    numeric = Indicator.objects.filter(plan=plan).exclude(unit=Unit.TEXT)
    indicators = {i.pk: i for i in numeric.select_related("action").order_by("position")}
    groups = defaultdict(dict)
    for (indicator_id, period, key), value in values_for(plan, indicators.values()).items():
        if key in by_territory and value.value is not None:
            groups[(indicator_id, period)][key] = value
    output = []
    for (indicator_id, period), by_key in groups.items():
        indicator = indicators[indicator_id]
        numbers = {key: value.value for key, value in by_key.items()}
        for key, value in by_key.items():
            if not publisher.publishable(key, period, indicator.periodicity):
                continue
            territory = by_territory[key]
            secret = publisher.hidden(indicator.pk, indicator.unit, indicator.periodicity, period, numbers, key)
            output.append(
                {
                    "plan": plan.code,
                    "indicator": {
                        "code": indicator.code,
                        "label": indicator.label,
                        "action": indicator.action.code,
                        "unit": indicator.unit,
                    },
                    "period": {"code": period.code, "kind": period.kind, "start": period.start, "end": period.end},
                    "territory": {
                        "level": territory.level,
                        "kind": territory.kind,
                        "code": territory.code,
                        "label": territory.label,
                    },
                    "value": None if secret else format(value.value.normalize(), "f"),
                    "status": disclosure.SUPPRESSED if secret else disclosure.PUBLISHED,
                    "source": value.source,
                    "is_synthetic": value.is_synthetic,
                    "valued_at": value.at.replace(microsecond=0),
                    "_order": (indicator.position, period.start, -period.end.toordinal(), key),
                }
            )
    output.sort(key=lambda row: row.pop("_order"))
    return output
