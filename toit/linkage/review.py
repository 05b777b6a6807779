"""Deciding on links: a person who sees both records confirms or rejects a link (from the
review queue, or against the thresholds' verdict). Every decision is a new LinkDecision row
with who made it, for which organisation, when and why."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from toit.eviction.access import nominative_memberships
from toit.linkage.enums import LinkStatus, Verdict
from toit.linkage.models import LinkDecision, RecordLink

STATUS_OF_VERDICT = {Verdict.CONFIRMED: LinkStatus.CONFIRMED, Verdict.REJECTED: LinkStatus.REJECTED}
MIN_REASON = 10


def review_queue(user, department=None):
    """Links waiting for a person, among those the user sees both sides of, best first."""
    queryset = RecordLink.objects.visible_to(user).filter(status=LinkStatus.REVIEW).select_related("run")
    if department is not None:
        queryset = queryset.filter(run__department=department)
    return queryset.order_by("-probability", "pk")


def decide(link, user, organisation, verdict, reason="", *, now=None):
    """Record `user`'s verdict on `link`, acting for `organisation`. Overturning an
    automatic acceptance requires a reason of MIN_REASON characters."""
    verdict = Verdict(verdict)
    if not nominative_memberships(user).filter(organisation=organisation).exists():
        raise PermissionDenied(
            f"Vous n'agissez pas au titre de « {organisation} » : choisissez une organisation dont vous êtes agent, "
            "responsable ou administrateur."
        )
    with transaction.atomic():
        # Not visible and missing look the same: no oracle on other partners' records.
        locked = RecordLink.objects.visible_to(user).select_for_update().filter(pk=link.pk).first()
        if locked is None:
            raise RecordLink.DoesNotExist("Ce lien n'existe pas ou vous ne voyez pas ses deux fiches.")
        reason = (reason or "").strip()
        if locked.status == LinkStatus.ACCEPTED and verdict == Verdict.REJECTED and len(reason) < MIN_REASON:
            raise ValidationError(
                {
                    "reason": f"Ce lien a été accepté au-dessus du seuil haut : indiquez en {MIN_REASON} caractères au "
                    "moins pourquoi ce ne sont pas les mêmes personnes."
                }
            )
        status = STATUS_OF_VERDICT[verdict]
        decision = LinkDecision.objects.create(
            link=locked,
            status=status,
            verdict=verdict,
            decided_by=user,
            acting_for=organisation,
            decided_at=now or timezone.now(),
            reason=reason,
        )
        locked.status = status
        locked.save(update_fields=["status"])
    return decision
