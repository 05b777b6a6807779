"""Retention of accommodation data (RGPD, article 5.1.e), on the delay of eviction files
(TOIT_RETENTION_MONTHS, 24 months after the last dated activity).

A resident is anonymised once none of their stays is open and the last exit is older than
the delay; an application once the commission has decided (or it was withdrawn, or the
person entered) and its last date is older than the delay. Pending applications and open
stays are never touched.

What goes: names and birth dates, and the change history of those rows (it holds the same
values). What stays: every date and reason the indicators of sheets 2D-2G read (stays'
entry and exit dates, origins, destinations; applications' dates and decisions) and the
link between a resident and their stays, so past figures — returns to accommodation within
24 months included — do not change (a test computes them before and after)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from toit.accommodation.enums import CommissionDecision
from toit.accommodation.models import Application, Resident, Stay
from toit.eviction.rules import add_months

IDENTITY = {"last_name": "", "first_name": "", "birth_date": None}


def cutoff_for(months=None, today=None):
    months = settings.TOIT_RETENTION_MONTHS if months is None else months
    if months < 1:
        raise ValueError(f"Durée de conservation invalide ({months} mois) : indiquez au moins un mois.")
    return add_months(today or timezone.localdate(), -months)


def due_residents(cutoff):
    stays = Stay.objects.filter(resident=OuterRef("pk"))
    return (
        Resident.objects.filter(anonymised_at__isnull=True)
        .filter(Exists(stays))
        .exclude(Exists(stays.filter(Q(exit_on__isnull=True) | Q(exit_on__gt=cutoff))))
    )


def due_applications(cutoff):
    last = Greatest("applied_on", Coalesce("examined_on", "applied_on"), Coalesce("entered_on", "applied_on"))
    return (
        Application.objects.filter(anonymised_at__isnull=True)
        .exclude(decision=CommissionDecision.PENDING)
        .alias(_last=last)
        .filter(_last__lte=cutoff)
    )


@dataclass
class AccommodationRetentionReport:
    cutoff: datetime.date
    months: int
    residents: int = 0
    applications: int = 0
    history_rows: int = 0
    dry_run: bool = True

    def describe(self):
        verb = "seraient anonymisés" if self.dry_run else "ont été anonymisés"
        lines = [
            f"Durée de conservation : {self.months} mois après la dernière activité, soit au plus tard le "
            f"{self.cutoff:%d/%m/%Y}.",
            f"{self.residents} résident(s) sorti(s) et {self.applications} demande(s) d'admission tranchée(s) {verb}.",
        ]
        if not self.dry_run:
            lines.append(f"{self.history_rows} ligne(s) d'historique des modifications effacée(s).")
        return "\n".join(lines)


def plan(months=None, today=None):
    months = settings.TOIT_RETENTION_MONTHS if months is None else months
    cutoff = cutoff_for(months, today)
    return AccommodationRetentionReport(
        cutoff=cutoff,
        months=months,
        residents=due_residents(cutoff).count(),
        applications=due_applications(cutoff).count(),
    )


@transaction.atomic
def anonymise(*, months=None, today=None):
    report = plan(months, today)
    report.dry_run = False
    now = timezone.now()
    resident_ids = list(due_residents(report.cutoff).values_list("pk", flat=True))
    application_ids = list(due_applications(report.cutoff).values_list("pk", flat=True))
    # Bulk updates on purpose: no history row with the former names (the history is purged).
    Resident.objects.filter(pk__in=resident_ids).update(**IDENTITY, anonymised_at=now)
    Application.objects.filter(pk__in=application_ids).update(**IDENTITY, anonymised_at=now)
    purged = Resident.history.filter(id__in=resident_ids).delete()[0]
    purged += Application.history.filter(id__in=application_ids).delete()[0]
    report.history_rows = purged
    return report
