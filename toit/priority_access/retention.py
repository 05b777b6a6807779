"""Retention of priority-access records (RGPD, article 5.1.e; docs/rgpd.md).

A record is kept while its case is open; once closed, for TOIT_PRIORITY_ACCESS_RETENTION_MONTHS
(24 by default: the CNIL's référentiel « accompagnement social », two years after the
last contact) and then anonymised. When a record is closed:

- a social housing demand: on its allocation or its radiation; a demand neither allocated
  nor radiated whose validity (one year from its filing or last renewal, article R. 441-2-7
  of the CCH) has run out is radiated by the register for want of renewal (R. 441-2-8): it
  is closed DEMAND_VALIDITY_MONTHS after that date;
- a DALO appeal: on the rehousing, on a decision other than « prioritaire et urgent »
  (rejection, reorientation towards accommodation), or on the end of the State's obligation
  without a rehousing (`ended_on`: adapted offer refused, rehoused by its own means,
  unreachable, withdrawal, departure from the département); a priority household neither
  rehoused nor ended keeps its appeal, the State's obligation running;
- a contingent proposal: once answered (allocated, refused), from its allocation or proposal;
- a démarche projet follow-up, a sliding lease: on their dated outcome (relogement, arrêt,
  glissement, fin, litige);
- a MOUS follow-up: on the rehousing, or on the end of the mediation without a rehousing
  (`ended_on`: the household gave up, contact lost, another solution found).
A record still open is never touched, however old.

What goes: names, birth name and date, the demand's and the appeal's numbers (replaced
by « ANONYME-<id> ») and the demand number a contingent proposal carries, and the change
history of those rows (it holds the same values). What stays: every date, outcome, commune,
household size and priority ground the indicators of sheets 3A-3D read, so past figures do
not change. Then links of the cross-matching that point to an anonymised or deleted record
go (toit.linkage.retention), their counts staying on their runs."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from toit.eviction.rules import add_months
from toit.linkage import retention as linkage_retention
from toit.priority_access.enums import Channel, DaloDecision, LeaseOutcome, ProjectOutcome, ProposalOutcome
from toit.priority_access.models import (
    ContingentProposal,
    DaloAppeal,
    HousingDemand,
    MousFollowup,
    ProjectFollowup,
    SlidingLease,
)

DEMAND_VALIDITY_MONTHS = 12
IDENTITY = {"last_name": "", "first_name": "", "birth_name": "", "birth_date": None}
PSEUDONYM = Concat(Value("ANONYME-"), Cast("pk", CharField()))


def cutoff_for(months=None, today=None):
    months = settings.TOIT_PRIORITY_ACCESS_RETENTION_MONTHS if months is None else months
    if months < 1:
        raise ValueError(f"Durée de conservation invalide ({months} mois) : indiquez au moins un mois.")
    return add_months(today or timezone.localdate(), -months)


def _demands(cutoff):
    lapsed_before = add_months(cutoff, -DEMAND_VALIDITY_MONTHS)
    return (
        Q(allocated_on__lte=cutoff)
        | Q(cancelled_on__lte=cutoff)
        | Q(allocated_on__isnull=True, cancelled_on__isnull=True, _last_renewal__lte=lapsed_before)
    )


def _dalo(cutoff):
    return (
        Q(rehoused_on__lte=cutoff)
        | Q(ended_on__lte=cutoff)
        | Q(decision__in=[DaloDecision.REJECTED, DaloDecision.ACCOMMODATION], decided_on__lte=cutoff)
    )


def _contingent(cutoff):
    return ~Q(outcome=ProposalOutcome.PENDING) & Q(_answered__lte=cutoff)


def _project(cutoff):
    return ~Q(outcome=ProjectOutcome.ONGOING) & Q(ended_on__lte=cutoff)


def _lease(cutoff):
    return Q(outcome=LeaseOutcome.GLIDED, glided_on__lte=cutoff) | Q(
        outcome__in=[LeaseOutcome.ENDED, LeaseOutcome.DISPUTE], ended_on__lte=cutoff
    )


def _mous(cutoff):
    return Q(rehoused_on__lte=cutoff) | Q(ended_on__lte=cutoff)


@dataclass(frozen=True)
class Kind:
    channel: str
    model: type
    label: str
    closed_by: object  # cutoff -> Q on the model
    aliases: dict = field(default_factory=dict)
    erased: dict = field(default_factory=dict)  # more fields to erase than IDENTITY

    def due(self, cutoff):
        return (
            self.model.objects.filter(anonymised_at__isnull=True).alias(**self.aliases).filter(self.closed_by(cutoff))
        )


KINDS = (
    Kind(
        Channel.DEMAND,
        HousingDemand,
        "demande(s) de logement social",
        _demands,
        {"_last_renewal": Coalesce("renewed_on", "filed_on")},
        {"number": PSEUDONYM},
    ),
    Kind(Channel.DALO, DaloAppeal, "recours DALO", _dalo, erased={"number": PSEUDONYM}),
    Kind(
        Channel.CONTINGENT,
        ContingentProposal,
        "proposition(s) sur le contingent",
        _contingent,
        {"_answered": Coalesce("allocated_on", "proposed_on")},
        {"demand_number": ""},
    ),
    Kind(Channel.PROJECT, ProjectFollowup, "suivi(s) en démarche projet", _project),
    Kind(Channel.SLIDING_LEASE, SlidingLease, "bail(aux) glissant(s)", _lease),
    Kind(Channel.MOUS, MousFollowup, "suivi(s) de la MOUS", _mous),
)


@dataclass
class PriorityAccessRetentionReport:
    cutoff: datetime.date
    months: int
    records: dict = field(default_factory=dict)  # label -> count
    links: int = 0
    decisions: int = 0
    history_rows: int = 0
    dry_run: bool = True

    def describe(self):
        verb = "seraient" if self.dry_run else "ont été"
        counts = ", ".join(f"{count} {label}" for label, count in self.records.items())
        lines = [
            f"Durée de conservation : {self.months} mois après la clôture, soit une clôture au plus tard le "
            f"{self.cutoff:%d/%m/%Y} (une demande ni attribuée ni radiée : validité échue au plus tard le "
            f"{add_months(self.cutoff, -DEMAND_VALIDITY_MONTHS):%d/%m/%Y}).",
            f"Fiches qui {verb} anonymisées : {counts}.",
            f"{self.links} lien(s) du rapprochement des fichiers et {self.decisions} décision(s) sur ces liens "
            f"{verb} effacés (fiche anonymisée ou supprimée) ; leurs nombres restent comptés sur leur rapprochement.",
        ]
        if not self.dry_run:
            lines.append(f"{self.history_rows} ligne(s) d'historique des modifications effacée(s).")
        return "\n".join(lines)


def plan(months=None, today=None):
    """What anonymise() would do, without changing anything."""
    months = settings.TOIT_PRIORITY_ACCESS_RETENTION_MONTHS if months is None else months
    cutoff = cutoff_for(months, today)
    report = PriorityAccessRetentionReport(cutoff=cutoff, months=months)
    leaving = {}
    for kind in KINDS:
        due = kind.due(cutoff)
        report.records[kind.label] = due.count()
        leaving[kind.channel] = due.values("pk")
    purge = linkage_retention.count_stale(leaving)
    report.links, report.decisions = purge.links, purge.decisions
    return report


@transaction.atomic
def anonymise(*, months=None, today=None):
    months = settings.TOIT_PRIORITY_ACCESS_RETENTION_MONTHS if months is None else months
    report = PriorityAccessRetentionReport(cutoff=cutoff_for(months, today), months=months, dry_run=False)
    now = timezone.now()
    for kind in KINDS:
        ids = list(kind.due(report.cutoff).values_list("pk", flat=True))
        report.records[kind.label] = len(ids)
        for start in range(0, len(ids), linkage_retention.BATCH):
            batch = ids[start : start + linkage_retention.BATCH]
            # A bulk update on purpose: no history row with the former identity (purged below).
            kind.model.objects.filter(pk__in=batch).update(**IDENTITY, **kind.erased, anonymised_at=now)
            report.history_rows += kind.model.history.filter(id__in=batch).delete()[0]
    purge = linkage_retention.purge_stale_links()
    report.links, report.decisions = purge.links, purge.decisions
    return report
