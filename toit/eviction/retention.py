"""Retention of eviction-prevention data (RGPD, article 5.1.e): a household's files are
anonymised TOIT_RETENTION_MONTHS (24) months after their last dated activity, as the CNIL
reference framework for social support advises (two years after the last contact).

What goes: everything that identifies the household or says something about it in words —
members' names, birth names and birth dates, contact details, street address, the private
landlord's identity, the identity a report carried, and every free text (observations,
orientation of the diagnosis, over-indebtedness measures, lender name) — and the change
history of those rows, which holds the same values.

What stays: everything the indicators of sheets 1A-1F read (toit.eviction.metrics) —
events and their dates and amounts, the commune, the housing sector, the social landlord
(an organisation), housing benefit and tiers payant, repayment plans and payments, FSL
decisions, over-indebtedness dates, homeowner sources, reports' dates, sources, debts and
communes — and the file's reference, so that the access log still points somewhere. Past
indicators therefore do not change (tests compute every metric before and after).

The unit is the household: it is anonymised once none of its files has had any activity
since the cut-off. Activity is what the files record with a date (opening, events, hearing
dates, contacts, diagnoses, repayment plans and payments, FSL decisions, over-indebtedness
steps, homeowner difficulties, reports); the day a row was typed does not count, so a file
typed late about an old procedure is anonymised at the next run (the dry run shows it).
Reports never attached to a file are anonymised on the same delay after their date.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from toit.eviction.models import (
    ContactAttempt,
    Event,
    FileParticipant,
    FslDecision,
    HomeownerDifficulty,
    Household,
    HouseholdMember,
    OverIndebtednessCase,
    PreventionFile,
    PrivateLandlord,
    RepaymentPayment,
    RepaymentPlan,
    Report,
    SocialDiagnosis,
)
from toit.eviction.rules import add_months

# Dated rows of a file: (model, path from the row to the file, its date fields).
DATED = [
    (Event, "file", ("date", "hearing_date", "prefect_notified_on")),
    (ContactAttempt, "file", ("date",)),
    (SocialDiagnosis, "file", ("requested_on", "done_on")),
    (RepaymentPlan, "file", ("start_date",)),
    (RepaymentPayment, "plan__file", ("date",)),
    (FslDecision, "file", ("decided_on",)),
    (OverIndebtednessCase, "file", ("filed_on", "admissibility_on", "measures_on", "debt_cleared_on")),
    (HomeownerDifficulty, "file", ("reported_on",)),
    (Report, "file", ("reported_on",)),
]

# Free text of the rows hanging off a file, emptied.
FREE_TEXT = [
    (Event, {"note": ""}),
    (ContactAttempt, {"note": ""}),
    (SocialDiagnosis, {"orientation": ""}),
    (RepaymentPlan, {"note": ""}),
    (OverIndebtednessCase, {"measures": ""}),
    (HomeownerDifficulty, {"note": "", "lender_name": ""}),
]
MEMBER_IDENTITY = {
    "last_name": "",
    "first_name": "",
    "birth_name": "",
    "birth_date": None,
    "name_key": "",
    "birth_name_key": "",
}
HOUSEHOLD_IDENTITY = {
    "street": "",
    "address_complement": "",
    "address_key": "",
    "phone": "",
    "email": "",
    "private_landlord": None,
}
REPORT_IDENTITY = {
    "last_name": "",
    "first_name": "",
    "birth_name": "",
    "birth_date": None,
    "street": "",
    "private_landlord_name": "",
}


def cutoff_for(months=None, today=None):
    """The last day of activity that is old enough: households whose files have had
    nothing dated after it are due."""
    months = settings.TOIT_RETENTION_MONTHS if months is None else months
    if months < 1:
        raise ValueError(f"Durée de conservation invalide ({months} mois) : indiquez au moins un mois.")
    return add_months(today or timezone.localdate(), -months)


def _active_after(cutoff):
    """Q on PreventionFile: something dated after `cutoff` happened in the file."""
    active = Q(opened_on__gt=cutoff)
    for model, path, dates in DATED:
        recent = Q()
        for name in dates:
            recent |= Q(**{f"{name}__gt": cutoff})
        active |= Exists(model.objects.filter(recent, **{path: OuterRef("pk")}))
    return active


def due_households(cutoff):
    """Households not yet anonymised none of whose files has had activity after `cutoff`
    (a household without any file is due once created before it)."""
    files = PreventionFile.objects.filter(household=OuterRef("pk"))
    created_before = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.max))
    return (
        Household.objects.filter(anonymised_at__isnull=True)
        .exclude(Exists(files.filter(_active_after(cutoff))))
        .filter(Exists(files) | Q(created_at__lte=created_before))
    )


def due_unmatched_reports(cutoff):
    return Report.objects.filter(file__isnull=True, anonymised_at__isnull=True, reported_on__lte=cutoff)


def last_activities(files):
    """{file id: date of its last activity} for a PreventionFile queryset: one grouped
    query per kind of dated row, whatever the number of files."""
    ids = files.order_by().values("pk")
    last = dict(files.order_by().values_list("pk", "opened_on"))
    for model, path, dates in DATED:
        rows = model.objects.filter(**{f"{path}__in": ids}).order_by().values(path)
        for row in rows.annotate(**{f"_{name}": Max(name) for name in dates}):
            file_id = row[path]
            for name in dates:
                if (value := row[f"_{name}"]) is not None and value > last[file_id]:
                    last[file_id] = value
    return last


@dataclass
class RetentionReport:
    cutoff: datetime.date
    months: int
    households: int = 0
    files: int = 0
    reports: int = 0
    unmatched_reports: int = 0
    oldest: datetime.date | None = None
    newest: datetime.date | None = None
    dry_run: bool = True
    history_rows: int = 0
    landlords: int = 0

    def describe(self):
        """The report in French, as the command prints it."""
        verb = "seraient anonymisés" if self.dry_run else "ont été anonymisés"
        lines = [
            f"Durée de conservation : {self.months} mois après la dernière activité, soit une dernière activité "
            f"au plus tard le {self.cutoff:%d/%m/%Y}.",
        ]
        if not (self.households or self.unmatched_reports):
            lines.append("Aucun ménage ni signalement à anonymiser.")
            return "\n".join(lines)
        lines.append(
            f"{self.households} ménage(s), {self.files} dossier(s) et {self.reports} signalement(s) rattaché(s) {verb}."
        )
        if self.oldest is not None:
            lines.append(
                f"Dernière activité de ces dossiers : la plus ancienne le {self.oldest:%d/%m/%Y}, "
                f"la plus récente le {self.newest:%d/%m/%Y}."
            )
        lines.append(f"{self.unmatched_reports} signalement(s) jamais rattaché(s) à un dossier {verb}.")
        if not self.dry_run:
            lines.append(
                f"{self.landlords} bailleur(s) privé(s) sans autre locataire supprimé(s) ; "
                f"{self.history_rows} ligne(s) d'historique des modifications effacée(s)."
            )
        return "\n".join(lines)


def plan(months=None, today=None):
    """What a run would anonymise (the dry run): counts and the span of last activities."""
    months = settings.TOIT_RETENTION_MONTHS if months is None else months
    cutoff = cutoff_for(months, today)
    households = due_households(cutoff)
    files = PreventionFile.objects.filter(household__in=households.values("pk"))
    last = last_activities(files)
    return RetentionReport(
        cutoff=cutoff,
        months=months,
        households=households.count(),
        files=len(last),
        reports=Report.objects.filter(file__in=files.values("pk")).count(),
        unmatched_reports=due_unmatched_reports(cutoff).count(),
        oldest=min(last.values(), default=None),
        newest=max(last.values(), default=None),
    )


def _history(model):
    """The historical manager django-simple-history adds to a tracked model, or None."""
    return getattr(model, "history", None)


def _purge_history(model, *conditions, **lookup):
    """Delete the change history of the rows matching the lookup on the historical table:
    it holds every former value, names included. Matching on the historical table (whose
    foreign keys are plain columns) also reaches rows deleted since."""
    history = _history(model)
    return 0 if history is None else history.filter(*conditions, **lookup).delete()[0]


ANONYMISED_REASON = "Anonymisation : durée de conservation écoulée"


@transaction.atomic
def anonymise(*, user=None, months=None, today=None):
    """Anonymise every household due (its members, its files, their follow-up and reports)
    and the unmatched reports past the delay, in one transaction. `user` is who runs it
    (None for the scheduled command): the one history entry left per file names it.
    Returns the RetentionReport of what was done."""
    report = plan(months, today)
    report.dry_run = False
    now = timezone.now()
    cutoff = report.cutoff
    household_ids = list(due_households(cutoff).values_list("pk", flat=True))
    file_ids = list(PreventionFile.objects.filter(household__in=household_ids).values_list("pk", flat=True))
    report_ids = list(
        Report.objects.filter(Q(file__in=file_ids) | Q(pk__in=due_unmatched_reports(cutoff).values("pk"))).values_list(
            "pk", flat=True
        )
    )
    landlord_ids = set(
        Household.objects.filter(pk__in=household_ids, private_landlord__isnull=False).values_list(
            "private_landlord", flat=True
        )
    )

    # Bulk updates on purpose: they write no history row (the history is purged below).
    for model, cleared in FREE_TEXT:
        model.objects.filter(file__in=file_ids).update(**cleared)
    HouseholdMember.objects.filter(household__in=household_ids).update(**MEMBER_IDENTITY)
    Household.objects.filter(pk__in=household_ids).update(**HOUSEHOLD_IDENTITY, anonymised_at=now)
    PreventionFile.objects.filter(pk__in=file_ids).update(anonymised_at=now)
    Report.objects.filter(pk__in=report_ids).update(**REPORT_IDENTITY, anonymised_at=now)
    # A private landlord left without tenant is nobody's landlord any more: deleted.
    orphan_ids = list(
        PrivateLandlord.objects.filter(pk__in=landlord_ids)
        .exclude(Exists(Household.objects.filter(private_landlord=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    report.landlords = PrivateLandlord.objects.filter(pk__in=orphan_ids).delete()[0]

    plan_ids = set(RepaymentPlan.objects.filter(file__in=file_ids).values_list("pk", flat=True))
    if (plan_history := _history(RepaymentPlan)) is not None:
        plan_ids |= set(plan_history.filter(file_id__in=file_ids).values_list("id", flat=True))
    purged = _purge_history(PreventionFile, id__in=file_ids)
    purged += _purge_history(Household, id__in=household_ids)
    purged += _purge_history(HouseholdMember, household_id__in=household_ids)
    purged += _purge_history(PrivateLandlord, id__in=orphan_ids)
    purged += _purge_history(Report, Q(id__in=report_ids) | Q(file_id__in=file_ids))
    purged += _purge_history(RepaymentPayment, plan_id__in=plan_ids)
    for model in (
        FileParticipant,
        Event,
        ContactAttempt,
        SocialDiagnosis,
        RepaymentPlan,
        FslDecision,
        OverIndebtednessCase,
        HomeownerDifficulty,
    ):
        purged += _purge_history(model, file_id__in=file_ids)
    report.history_rows = purged

    # What the file's history shows from now on: when it was anonymised, by whom, why.
    if (file_history := _history(PreventionFile)) is not None:
        for start in range(0, len(file_ids), BATCH):
            files = list(PreventionFile.objects.filter(pk__in=file_ids[start : start + BATCH]))
            file_history.bulk_history_create(
                files, update=True, default_user=user, default_change_reason=ANONYMISED_REASON, default_date=now
            )
    return report


BATCH = 1000
