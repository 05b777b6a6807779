"""A household's priority channels in one view: starting from a record the user may read,
the records joined to it by accepted or confirmed links of the département's latest run,
narrowed to those the user may read. The others are not shown nor counted: a link grants
no access and reveals no existence."""

from collections import defaultdict

from django.db.models import Q

from toit.linkage import sources
from toit.linkage.models import RecordLink

MAX_RECORDS = 50


def linked_records(run, source_code, pk):
    """(source, pk) of every record joined to the given one in `run` (itself included)."""
    seen = {(source_code, pk)}
    frontier = [(source_code, pk)]
    links = RecordLink.objects.filter(run=run).same_person()
    # Households are small (a person appears once per file): a few rounds of one query each.
    while frontier and len(seen) < MAX_RECORDS:
        clause = Q(pk__in=[])
        for code, key in frontier:
            clause |= Q(left_source=code, left_pk=key) | Q(right_source=code, right_pk=key)
        found = set()
        for link in links.filter(clause).only("left_source", "left_pk", "right_source", "right_pk"):
            found |= {(link.left_source, link.left_pk), (link.right_source, link.right_pk)}
        frontier = sorted(found - seen)
        seen |= found
    return seen


def household_channels(run, user, source_code, pk):
    """RecordViews of the household of record (`source_code`, `pk`) the user may read,
    grouped by source, or None when the user may not read that record."""
    source = sources.get(source_code)
    if not source.visible_pks(user).filter(pk=pk).exists():
        return None
    records = linked_records(run, source_code, pk) if run else {(source_code, pk)}
    wanted = defaultdict(set)
    for code, key in records:
        wanted[code].add(key)
    grouped = {}
    for code, pks in sorted(wanted.items()):
        other = sources.get(code)
        readable = set(other.visible_pks(user).filter(pk__in=pks).values_list("pk", flat=True))
        if readable:
            views = other.describe(readable)
            grouped[other.label] = [views[key] for key in sorted(views)]
    return grouped
