"""Running the cross-matching of a département's partner files (sheet 3A) and storing what
it found: links at or above the lower threshold, each with the thresholds' decision."""

from django.db import transaction
from django.utils import timezone

from toit.linkage import access, engine, sources
from toit.linkage.enums import LinkStatus
from toit.linkage.models import LinkDecision, LinkRun, RecordLink

STATUS_OF_ENGINE = {"accepted": LinkStatus.ACCEPTED, "review": LinkStatus.REVIEW}


def _split(unique_id):
    source, pk = unique_id.split(":", 1)
    return source, int(pk)


def run_cross_matching(department, *, user=None, now=None, thresholds=None, source_codes=None, is_synthetic=False):
    """Link every registered file of `department` (or those of `source_codes`). `user` is
    who asked (None for a scheduled or demo run). Returns the LinkRun."""
    if user is not None:
        access.require_may_run(user)
    thresholds = thresholds or engine.Thresholds()
    chosen = [sources.get(code) for code in source_codes] if source_codes else sources.all_sources()
    identities = [identity for source in chosen for identity in source.identities(department)]
    result = engine.link_identities(identities, thresholds=thresholds)
    now = now or timezone.now()
    with transaction.atomic():
        run = LinkRun.objects.create(
            department=department,
            sources=[source.code for source in chosen],
            started_at=now,
            started_by=user,
            lower_threshold=thresholds.lower,
            upper_threshold=thresholds.upper,
            record_count=len(identities),
            candidate_pairs=result.candidate_pairs,
            seconds=round(result.seconds, 3),
            is_synthetic=is_synthetic,
        )
        links = []
        for pair in result.pairs:
            if pair.status not in STATUS_OF_ENGINE:
                continue
            (left_source, left_pk), (right_source, right_pk) = sorted((_split(pair.left), _split(pair.right)))
            links.append(
                RecordLink(
                    run=run,
                    left_source=left_source,
                    left_pk=left_pk,
                    right_source=right_source,
                    right_pk=right_pk,
                    probability=round(pair.probability, 6),
                    status=STATUS_OF_ENGINE[pair.status],
                )
            )
        RecordLink.objects.bulk_create(links, batch_size=1000)
        saved = RecordLink.objects.filter(run=run).only("pk", "status")
        LinkDecision.objects.bulk_create(
            [LinkDecision(link=link, status=link.status, decided_at=now) for link in saved], batch_size=1000
        )
    return run


def latest_run(department):
    return LinkRun.objects.filter(department=department).first()
