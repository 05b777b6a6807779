"""Retention of the register's nominative data (RGPD, article 5.1.e; docs/rgpd.md).

The nominative data of the register are the owners' identities (name, contact), the
« bailleur indélicat » decisions' grounds and the free texts of the cases (disorders,
findings, visitor's name). They are kept while the owner has a case open on one of their
dwellings or a decision in force, then TOIT_DWELLINGS_RETENTION_MONTHS (24) months after the
last of these ended (exit from indignity, closure, withdrawal of the decision); then the
owner is anonymised, with the free texts of the cases of their dwellings and the grounds of
their withdrawn decisions, and the change history of those rows, which holds the same values.

What stays: everything the 2A-2C indicators read — dwellings (address of the building, not
a person), dates, qualifications, acts, works, exits, tenure, decisions' dates — so past
indicators do not change (a test computes them before and after).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from toit.dwellings.models import Case, CaseReport, Dwelling, IndelicacyDecision, IndelicacyReview, Owner, Visit
from toit.eviction.rules import add_months

ANONYMISED_NAME = "Propriétaire anonymisé"
REASON = "Anonymisation (durée de conservation du registre atteinte)"


@dataclass
class RetentionReport:
    cutoff: datetime.date
    owners: int = 0
    cases: int = 0
    decisions: int = 0
    history_rows: int = 0


def cutoff_for(months=None, today=None):
    months = getattr(settings, "TOIT_DWELLINGS_RETENTION_MONTHS", 24) if months is None else months
    if months < 1:
        raise ValueError(f"Durée de conservation invalide ({months} mois) : indiquez au moins un mois.")
    return add_months(today or timezone.localdate(), -months)


def due_owners(cutoff):
    """Owners not yet anonymised with no case open or ended after `cutoff` on their
    dwellings and no decision in force or withdrawn after it."""
    recent_case = Case.objects.filter(dwelling__owner=OuterRef("pk")).filter(
        (Q(exit_on__isnull=True) & Q(closed_on__isnull=True)) | Q(exit_on__gt=cutoff) | Q(closed_on__gt=cutoff)
    )
    recent_decision = IndelicacyDecision.objects.filter(owner=OuterRef("pk")).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=cutoff)
    )
    return (
        Owner.objects.filter(anonymised_at__isnull=True).exclude(Exists(recent_case)).exclude(Exists(recent_decision))
    )


@transaction.atomic
def anonymise(*, today=None, months=None, dry_run=False, now=None):
    cutoff = cutoff_for(months, today)
    report = RetentionReport(cutoff=cutoff)
    owner_ids = list(due_owners(cutoff).values_list("pk", flat=True))
    case_ids = list(Case.objects.filter(dwelling__owner__in=owner_ids).values_list("pk", flat=True))
    decision_ids = list(IndelicacyDecision.objects.filter(owner__in=owner_ids).values_list("pk", flat=True))
    report.owners, report.cases, report.decisions = len(owner_ids), len(case_ids), len(decision_ids)
    if dry_run:
        return report
    now = now or timezone.now()
    # Bulk updates on purpose: they write no history row (the history is purged below).
    Owner.objects.filter(pk__in=owner_ids).update(name=ANONYMISED_NAME, name_key="", contact="", anonymised_at=now)
    CaseReport.objects.filter(case__in=case_ids).update(disorders="")
    Visit.objects.filter(case__in=case_ids).update(findings="", visitor="")
    IndelicacyDecision.objects.filter(pk__in=decision_ids).update(grounds=REASON)
    IndelicacyReview.objects.filter(decision__in=decision_ids).update(grounds=REASON)
    purged = Owner.history.filter(id__in=owner_ids).delete()[0]
    purged += CaseReport.history.filter(case_id__in=case_ids).delete()[0]
    purged += Visit.history.filter(case_id__in=case_ids).delete()[0]
    purged += IndelicacyDecision.history.filter(id__in=decision_ids).delete()[0]
    purged += IndelicacyReview.history.filter(decision_id__in=decision_ids).delete()[0]
    report.history_rows = purged
    # What the owners' history shows from now on: when, why.
    owners = list(Owner.objects.filter(pk__in=owner_ids))
    Owner.history.bulk_history_create(owners, update=True, default_change_reason=REASON, default_date=now)
    return report


def nominative_dwellings():
    """Dwellings whose owner is still identified (for the dry-run's message)."""
    return Dwelling.objects.filter(owner__anonymised_at__isnull=True, owner__isnull=False)
