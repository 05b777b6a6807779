"""« Bailleur indélicat »: the pôle's dated, reasoned, reviewable decision on a landlord
(sheet 2B). The register of landlords in force at a date is IndelicacyDecision.objects.in_force."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from toit.dwellings.access import require_may_decide_indelicacy
from toit.dwellings.enums import ReviewOutcome
from toit.dwellings.models import HousingPole, IndelicacyDecision, IndelicacyReview
from toit.dwellings.models.landlords import GROUNDS_MIN

# Without a date set by the pôle, a decision is reviewed one year on.
DEFAULT_REVIEW_DAYS = 365


def _grounds(text, field="grounds"):
    text = (text or "").strip()
    if len(text) < GROUNDS_MIN:
        raise ValidationError(
            {field: f"Énoncez les motifs en {GROUNDS_MIN} caractères au moins : ils fondent une décision nominative."}
        )
    return text


@transaction.atomic
def record_decision(owner, *, decided_on, grounds, user, review_due_on=None):
    require_may_decide_indelicacy(user, owner.department_id)
    pole = HousingPole.objects.filter(department_id=owner.department_id).first()
    if pole is None:
        raise ValidationError("Aucun pôle n'est défini pour ce département : créez-le d'abord.")
    if IndelicacyDecision.objects.filter(owner=owner).in_force(decided_on).exists():
        raise ValidationError("Une décision en vigueur vise déjà ce bailleur : réexaminez-la plutôt.")
    decision = IndelicacyDecision(
        pole=pole,
        owner=owner,
        decided_on=decided_on,
        grounds=_grounds(grounds),
        review_due_on=review_due_on or decided_on + datetime.timedelta(days=DEFAULT_REVIEW_DAYS),
        decided_by=user,
    )
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def review_decision(decision, *, reviewed_on, outcome, grounds, user, next_review_on=None):
    require_may_decide_indelicacy(user, decision.owner.department_id)
    decision = IndelicacyDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.withdrawn_on is not None:
        raise ValidationError("Cette décision est déjà levée.")
    if reviewed_on < decision.decided_on:
        raise ValidationError({"reviewed_on": "Le réexamen ne peut précéder la décision."})
    outcome = ReviewOutcome(outcome)
    if outcome == ReviewOutcome.MAINTAINED and (next_review_on is None or next_review_on <= reviewed_on):
        raise ValidationError(
            {"next_review_on": "Une décision maintenue a une nouvelle date de réexamen, après celui-ci."}
        )
    review = IndelicacyReview.objects.create(
        decision=decision,
        reviewed_on=reviewed_on,
        outcome=outcome,
        grounds=_grounds(grounds),
        next_review_on=next_review_on if outcome == ReviewOutcome.MAINTAINED else None,
        reviewed_by=user,
    )
    if outcome == ReviewOutcome.WITHDRAWN:
        decision.withdrawn_on = reviewed_on
    else:
        decision.review_due_on = next_review_on
    decision._change_reason = f"Réexamen du {reviewed_on:%d/%m/%Y} : {review.get_outcome_display()}"
    decision.save()
    return review
