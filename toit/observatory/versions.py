"""Data versions: a cheap fingerprint of the data a metric reads, stored with each snapshot
and each published report so that one can tell whether figures were computed from the
same data.

Each domain registers one hook for its metric-key prefix, typically in its `metrics`
module:

    from toit.observatory.versions import register_data_version, table_fingerprint

    register_data_version("eviction", lambda: table_fingerprint(Event.objects, PreventionFile.objects))

A domain without a hook gets the current time: its figures always look new, which is
safe (a report is re-published rather than wrongly considered unchanged).
"""

import hashlib

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Max
from django.utils import timezone

_hooks = {}


def register_data_version(domain, func):
    _hooks[domain] = func
    return func


def unregister_data_version(domain):
    _hooks.pop(domain, None)


def domain_of(metric_key):
    return metric_key.split(".", 1)[0]


def data_version(metric_key, cache=None):
    """The fingerprint for the data behind `metric_key`; `cache` (a dict) avoids asking a
    domain twice in one computation."""
    domain = domain_of(metric_key)
    if cache is not None and domain in cache:
        return cache[domain]
    hook = _hooks.get(domain)
    value = f"{domain}:{hook()}" if hook else f"{domain}:now:{timezone.now().isoformat()}"
    if cache is not None:
        cache[domain] = value
    return value


def table_fingerprint(*querysets, updated_field=None):
    """One aggregate query per table: row count, highest primary key and, when the model
    has it, the latest modification time. Deletions change the count, insertions the
    highest key, edits the modification time."""
    parts = []
    for queryset in querysets:
        model = queryset.model
        aggregates = {"n": Count("pk"), "top": Max("pk")}
        field = updated_field or next(
            (name for name in ("updated_at", "modified_at", "created_at") if _has_field(model, name)), None
        )
        if field:
            aggregates["at"] = Max(field)
        row = queryset.aggregate(**aggregates)
        at = row.get("at")
        parts.append(f"{model._meta.label}={row['n']}/{row['top']}/{at.isoformat() if at else ''}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
