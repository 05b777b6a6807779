"""Retention of the cross-matching's results (RGPD, article 5.1.e). A link is personal data:
it says that two records are the same person. Once one of its records is anonymised or
deleted (each file's own retention: toit.priority_access.retention, toit.eviction.retention)
the link has no purpose left and would re-identify the anonymised side: it is deleted with
every decision taken on it. Its count stays on its run (LinkRun.purged_links, by the
status it had), so that a run's figures do not change."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from toit.linkage import sources
from toit.linkage.models import LinkDecision, LinkRun, RecordLink

BATCH = 500  # SQLite caps the parameters of one statement


def _retained(source):
    if source.retained_pks is not None:
        return source.retained_pks()
    return source.model.objects.values("pk") if source.model is not None else None


def stale_links_q(leaving=None):
    """Q on RecordLink: links one of whose records is anonymised or deleted, or among
    `leaving` ({source code: pks, or a queryset of them, about to be anonymised}, for a dry run)."""
    leaving = leaving or {}
    clause = Q(pk__in=[])
    for source in sources.all_sources():
        retained = _retained(source)
        if retained is None:
            continue
        for side in ("left", "right"):
            gone = ~Q(**{f"{side}_pk__in": retained})
            if (pks := leaving.get(source.code)) is not None:
                gone |= Q(**{f"{side}_pk__in": pks})
            clause |= Q(**{f"{side}_source": source.code}) & gone
    return clause


@dataclass
class LinkPurge:
    links: int = 0
    decisions: int = 0


def count_stale(leaving=None):
    stale = RecordLink.objects.filter(stale_links_q(leaving))
    return LinkPurge(links=stale.count(), decisions=LinkDecision.objects.filter(link__in=stale.values("pk")).count())


@transaction.atomic
def purge_stale_links():
    """Delete the stale links and their decisions, adding their counts to their runs."""
    stale = RecordLink.objects.filter(stale_links_q())
    by_run = Counter(stale.values_list("run_id", "status"))
    if not by_run:
        return LinkPurge()
    for run in LinkRun.objects.select_for_update().filter(pk__in={run_id for run_id, _status in by_run}):
        counts = dict(run.purged_links or {})
        for (run_id, status), count in by_run.items():
            if run_id == run.pk:
                counts[status] = counts.get(status, 0) + count
        run.purged_links = counts
        run.save(update_fields=["purged_links"])
    ids = list(stale.values_list("pk", flat=True))
    purge = LinkPurge()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        purge.decisions += LinkDecision.objects.filter(link_id__in=batch).delete()[0]
        purge.links += RecordLink.objects.filter(pk__in=batch).delete()[0]
    return purge
