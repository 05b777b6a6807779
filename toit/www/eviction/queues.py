"""Work queues of the user's organisations (fiches 1A and 1B): what to act on now."""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone

from toit.eviction import access, rules
from toit.eviction.access import acting_organisations
from toit.eviction.models import PreventionFile, RepaymentPlan, Report
from toit.plans.practices import practices_by_department
from toit.utils.collation import french
from toit.www.eviction.common import log_listed, nominative_required
from toit.www.eviction.search import reference_person

SHOWN = 25
# Past this many rows a queue says « plus de » (as the search does): an exact count reads
# every row of the queue, thousands of old assignations at a million households, where the
# page shows 25 (bench/eviction.py).
COUNT_CAP = 100


@dataclass
class Queue:
    slug: str
    title: str
    kind: str  # which rows the template draws: reports, files or plans
    count: int
    rows: list
    capped: bool = False  # more than `count` rows


def capped_ids(queryset, parts=None):
    """The ids of the queue's first COUNT_CAP + 1 rows, in its order: from `parts` one after
    the other when given (querysets whose rows are the queue's, each read from an index in
    order where the whole queryset would not), else from the queryset."""
    ids = []
    for part in parts or [queryset]:
        if len(ids) > COUNT_CAP:
            break
        ids += part.prefetch_related(None).values_list("pk", flat=True)[: COUNT_CAP + 1 - len(ids)]
    return ids


def _queue(slug, title, kind, queryset, parts=None, today=None):
    """`parts`: querysets whose rows, one after the other, are the queue's in its order, when
    each reads an index in order where the whole queryset would not."""
    # The ids first, COUNT_CAP + 1 at most, in the queue's order: the count and the rows shown
    # both come from them, at a cost bounded whatever the files visible. Then the rows shown,
    # by id, with what they show: asked for 25 ids, PostgreSQL checks the row-level security
    # of 25 files, where the whole queue made it hash every household of the département.
    # The files' row-level security compares their own département column (rowsecurity/0003):
    # the ids queries no longer need the small work_mem that kept PostgreSQL from hashing every
    # household (measured with and without, docs/security.md).
    ids = capped_ids(queryset, parts)
    rows = _rows_shown(kind, ids[:SHOWN], today)
    return Queue(slug, title, kind, min(len(ids), COUNT_CAP), rows, capped=len(ids) > COUNT_CAP)


# The columns the page draws of each kind of row (eviction/queues.html, _report_table.html)
# and what the access log names; the rest of their wide rows was read and built into
# objects for nothing, a hundred rows a page.
DRAWN = {
    "reports": (
        "reported_on",
        "last_name",
        "first_name",
        "birth_name",
        "street",
        "debt_amount",
        "source",
        "commune__name",
        "reporting_organisation__name",
    ),
    "files": (
        "reference",
        "last_summons_on",
        "hearing_on",
        "last_requisition_on",
        "household__commune__name",
    ),
    "plans": (
        "kind",
        "start_date",
        "instalment_count",
        "file__reference",
        "file__household__commune__name",
    ),
}


def _rows_shown(kind, ids, today):
    """The rows of these ids, in their order, with what the page draws of them. The queue's
    rule chose the ids among what the user may read a moment before, in this request: reading
    the rule again for 25 rows cost as much as choosing them (its visibility subqueries and
    joins, planned and checked again), and the lists' select_related fetched landlords and
    openers the page does not show."""
    if not ids:
        return []
    if kind == "reports":
        rows = Report.objects.select_related("reporting_organisation", "commune")
    elif kind == "plans":
        rows = (
            RepaymentPlan.objects.select_related("file__household__commune")
            .prefetch_related("file__household__members")
            .with_paid_as_of(today)
        )
    else:
        rows = PreventionFile.objects.select_related("household__commune").prefetch_related("household__members")
    position = {pk: index for index, pk in enumerate(ids)}
    return sorted(rows.only(*DRAWN[kind]).filter(pk__in=ids), key=lambda row: position[row.pk])


def _delay_title(practices, text, unit_text):
    """The queue's title with the département's delay (local practice), or says it varies or
    is not declared."""
    days = {p.days for p in practices.values()}
    if len(days) == 1:
        return f"{text} {unit_text.format(days=days.pop())}"
    if not days:
        return f"{text} (aucun délai de pratique locale déclaré par le plan du département)"
    return f"{text} (délai de pratique locale de chaque département)"


def queue_querysets(user, today, organisation=None, reading_ids=None, acting_ids=None, contact=None, hearing=None):
    """(slug, queryset, parts) of each work queue, in the page's order: the one definition
    the queue page lists and the landing page counts. The organisation ids are resolved once
    by the caller (given as a subquery, PostgreSQL hashed every report or file of the user's
    organisations: 1 s for the reports to match at 1 000 000 households); each queryset keeps
    its own rule: files and plans through the organisations the user reads for
    (`reading_ids`, access.organisation_ids: services included), reports to match made by the
    user's own organisations (`acting_ids`, as access.visible_reports); None lets the
    queryset resolve them. `contact`, `hearing`: the local practices, when the caller read
    them already. `parts`: the plans in two index-ordered parts (in_breaking_order)."""
    files = PreventionFile.objects
    at_risk = RepaymentPlan.objects.at_risk(user, organisation, today, organisation_ids=reading_ids)
    return [
        ("signalements", Report.objects.awaiting_match(user, organisation, organisation_ids=acting_ids), None),
        (
            "sans-contact",
            files.awaiting_contact(user, organisation, today, practices=contact, organisation_ids=reading_ids),
            None,
        ),
        (
            "audiences",
            files.hearings_without_diagnosis(
                user, organisation, today, practices=hearing, organisation_ids=reading_ids
            ),
            None,
        ),
        (
            "requisitions",
            files.requisitions_awaiting_decision(user, organisation, today, organisation_ids=reading_ids),
            None,
        ),
        ("plans", at_risk, at_risk.in_breaking_order(today)),
    ]


@nominative_required
def queues(request):
    user, today = request.user, timezone.localdate()
    contact = practices_by_department("contact_after_summons_days", today)
    hearing = practices_by_department("diagnosis_before_hearing_days", today)
    organisations = list(acting_organisations(user).order_by(french("name")))
    organisation = next((o for o in organisations if o.code == request.GET.get("organisation")), None)
    acting_ids, reading_ids = [o.pk for o in organisations], access.organisation_ids(user)
    shown = {  # slug: (title, which rows the template draws)
        "signalements": ("Signalements à rapprocher d'un dossier", "reports"),
        "sans-contact": (
            _delay_title(contact, "Assignations sans contact établi", "depuis {days} jours ou plus"),
            "files",
        ),
        "audiences": (_delay_title(hearing, "Audiences", "dans les {days} jours sans diagnostic réalisé"), "files"),
        "requisitions": ("Réquisitions de la force publique en attente de décision du préfet", "files"),
        "plans": ("Plans d'apurement avec au moins une échéance impayée", "plans"),
    }
    found = []
    for slug, queryset, parts in queue_querysets(
        user, today, organisation, reading_ids, acting_ids, contact=contact, hearing=hearing
    ):
        found.append(_queue(slug, *shown[slug], queryset, parts, today))
    for queue in found:
        for row in queue.rows:
            household = row.file.household if queue.kind == "plans" else getattr(row, "household", None)
            if queue.kind == "plans":
                row.instalments_due_as_of = row.due_instalments(today)
            row.person = reference_person(household) if household else None
            if getattr(row, "last_requisition_on", None):
                row.decision_due = rules.prefect_decision_expiry(row.last_requisition_on)
                row.overdue = row.decision_due < today
    # Each row shown names a household: the report, or the file (a plan's file).
    log_listed(request, [row.file if queue.kind == "plans" else row for queue in found for row in queue.rows])
    context = {"queues": found, "organisations": organisations, "organisation": organisation, "shown": SHOWN}
    return render(request, "eviction/queues.html", context)
