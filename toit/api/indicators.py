"""Indicator values as the API gives them: the figures of the open data (same territories,
same periodicity rule, same disclosure decisions, from
toit.observatory.opendata.published_figures), as typed values rather than CSV cells: JSON
carries text unchanged, where the CSV neutralises spreadsheet formulas."""

from django.conf import settings
from django.core.cache import cache

from toit.observatory import disclosure
from toit.observatory.opendata import published_figures


def cache_seconds():
    return int(getattr(settings, "TOIT_API_INDICATORS_CACHE_SECONDS", 300))


def _stamp(plan):
    """What the figures are computed from, in two queries: snapshots are append-only (a
    recomputation adds rows, the latest being the newest id) and go only with their
    indicator (the plan's indicators: their number and newest id); measurements are entered
    (a new row, or a bulk creation without history), corrected in place (their value or
    base) or deleted, each of which but the bulk creation adds a row to their history; the
    disclosure threshold is a setting. Not a count of the snapshots: it read every version
    ever computed (213 ms on every request once 27 computations had run, bench database)."""
    from django.db.models import Count, Max, Subquery

    from toit.observatory.models import IndicatorSnapshot
    from toit.plans.models import Indicator, Measurement

    newest = IndicatorSnapshot.objects.filter(indicator__plan=plan).order_by("-pk").values("pk")[:1]
    indicators = Indicator.objects.filter(plan=plan).aggregate(
        n=Count("pk"), last=Max("pk"), snapshot=Max(Subquery(newest))
    )
    history = Measurement.history.filter(indicator__plan=plan).order_by("-history_id").values("history_id")[:1]
    measurements = Measurement.objects.filter(indicator__plan=plan).aggregate(
        last=Max("pk"), n=Count("pk"), changed=Max(Subquery(history))
    )
    threshold = getattr(settings, "TOIT_DISCLOSURE_THRESHOLD", None)
    return (
        f"{indicators['snapshot']}:{indicators['last']}.{indicators['n']}"
        f":{measurements['last']}.{measurements['n']}.{measurements['changed']}:{threshold}"
    )


def cached_figures(plan):
    """figures(plan), computed once per state of the plan's values in a process (and at
    most every cache_seconds()): each computation reads every value of the plan and
    applies the disclosure control, seconds on a large observatory, which a client could
    otherwise ask for again and again within its rate limit."""
    seconds = cache_seconds()
    if seconds <= 0:
        return figures(plan)
    key = f"toit-api-indicators:{plan.pk}:{_stamp(plan)}"
    rows = cache.get(key)
    if rows is None:
        rows = figures(plan)
        cache.set(key, rows, seconds)
    return rows


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
