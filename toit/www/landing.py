"""Where each person lands after logging in: their own work. An agent sees their
organisations' queues and the files recently active; a responsable, the same for their
team with the alerts that call for a decision; the observatory, its dashboard; anyone else,
the plan."""

from contextlib import contextmanager

from django.db import connection
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from toit.eviction import access
from toit.eviction.access import acting_organisations
from toit.eviction.models import Event, PreventionFile, RepaymentPlan, Report
from toit.notifications.models import Notification
from toit.organisations.enums import Role
from toit.organisations.perms import is_observatory, may_read_nominative, roles_of
from toit.utils.collation import french
from toit.www.eviction.common import log_listed
from toit.www.eviction.queues import COUNT_CAP, capped_ids
from toit.www.eviction.search import reference_person
from toit.www.plans import views as plan_views

RECENT = 10


@contextmanager
def small_work_mem():
    """The events' row-level security goes through their file (toit.rowsecurity): PostgreSQL
    checks it either file by file or by hashing every file of the instance first, whichever
    its estimate of the whole read finds cheaper, not knowing that the read stops after 200
    events (or 101 ids for a count). The hash fits in the default work_mem up to a few
    hundred thousand files: at 100 000 households it cost the préfecture's landing page
    about 45 ms of SQL (p50 101 -> 55 ms with this, docs/security.md). These reads need no
    memory, so they run with a work_mem too small for that hash. Set on the DB-API
    connection like the row-level security settings: not a query of the page. The work
    queues no longer need it since the files carry their département (rowsecurity/0003)."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', '1MB', false)")
    try:
        yield
    finally:
        with connection.connection.cursor() as cursor:
            cursor.execute("RESET work_mem")


EVENTS_PER_READ = 200
READS = 5


def recent_files(user, organisation_ids=None):
    """The RECENT live files the user sees where an event was recorded most recently, each
    with `last_activity`. Events are read newest first through their creation index, 200 at
    a time, until RECENT files are found (or READS reads): ranking every visible file by its
    last event instead cost as much as the files the user sees (30 s for the préfecture at
    1 000 000 households, bench/eviction.py --replicate 10)."""
    visible = access.visible_files(PreventionFile.objects.all(), user, organisation_ids).live()
    events = Event.objects.filter(file__in=visible).order_by("-created_at", "-id")
    last_activity, after = {}, None
    for _ in range(READS):
        page = events
        if after:
            page = page.filter(Q(created_at__lt=after[0]) | Q(created_at=after[0], id__lt=after[1]))
        with small_work_mem():
            rows = list(page.values_list("file_id", "created_at", "id")[:EVENTS_PER_READ])
        for file_id, created_at, _id in rows:
            last_activity.setdefault(file_id, created_at)
        if len(last_activity) >= RECENT or len(rows) < EVENTS_PER_READ:
            break
        after = rows[-1][1:]
    ids = list(last_activity)[:RECENT]
    files = PreventionFile.objects.filter(pk__in=ids).with_household().in_bulk()
    recent = [files[pk] for pk in ids]
    for file in recent:
        file.last_activity = last_activity[file.pk]
    return recent


def _queue_counts(user, today, organisation=None, reading_ids=None, acting_ids=None):
    """(label, slug, queryset, parts) of each queue. The organisation ids are resolved once,
    as the queue page does (given as a subquery, PostgreSQL hashed every report or file of
    the user's organisations: 1 s for the reports to match at 1 000 000 households), and
    keep each queryset's own rule: files through the organisations the user reads for
    (access.organisation_ids, services included), reports to match made by the user's own
    organisations (acting_organisations, as access.visible_reports). `parts`: the plans read
    in two index-ordered parts (RepaymentPlan.in_breaking_order)."""
    files = PreventionFile.objects
    ids = reading_ids
    at_risk = RepaymentPlan.objects.at_risk(user, organisation, today, organisation_ids=ids)
    return [
        (
            "Signalements à rapprocher d'un dossier",
            "signalements",
            Report.objects.awaiting_match(user, organisation, organisation_ids=acting_ids),
            None,
        ),
        (
            # The delays are each département's local practices (toit.plans.practices): the
            # queue page names them; here the label stays general.
            "Assignations sans contact établi dans le délai de pratique locale",
            "sans-contact",
            files.awaiting_contact(user, organisation, today, organisation_ids=ids),
            None,
        ),
        (
            "Audiences proches sans diagnostic réalisé",
            "audiences",
            files.hearings_without_diagnosis(user, organisation, today, organisation_ids=ids),
            None,
        ),
        (
            "Réquisitions en attente de décision du préfet",
            "requisitions",
            files.requisitions_awaiting_decision(user, organisation, today, organisation_ids=ids),
            None,
        ),
        ("Plans d'apurement avec une échéance impayée", "plans", at_risk, at_risk.in_breaking_order(today)),
    ]


def capped_count(queryset, parts=None):
    """The queue's size as the queue page counts it: exact up to COUNT_CAP, COUNT_CAP + 1
    for « plus de COUNT_CAP » (an exact count costs as much as the files the user sees: 1 s
    per queue for the préfecture at 1 000 000 households)."""
    with small_work_mem():
        return len(capped_ids(queryset, parts))


def home(request):
    user = request.user
    if not may_read_nominative(user):
        if is_observatory(user):
            return redirect("observatory:home")
        return plan_views.home(request)
    today = timezone.localdate()
    acting = list(acting_organisations(user).order_by(french("name")))
    acting_ids, reading_ids = [o.pk for o in acting], access.organisation_ids(user)
    counted = _queue_counts(user, today, None, reading_ids, acting_ids)
    queues = [(label, slug, capped_count(qs, parts)) for label, slug, qs, parts in counted]
    recent = recent_files(user, reading_ids)
    for file in recent:
        file.person = reference_person(file.household)
    is_manager = bool(roles_of(user) & {Role.MANAGER, Role.ADMIN})
    team = []
    overdue = 0
    if is_manager:
        for organisation in acting:
            counted = _queue_counts(user, today, organisation, reading_ids, acting_ids)
            team.append((organisation, [(label, slug, capped_count(qs, parts)) for label, slug, qs, parts in counted]))
        overdue = PreventionFile.objects.requisitions_awaiting_decision(user, today=today, overdue_only=True).count()
    log_listed(request, recent)
    context = {
        "queues": queues,
        "count_cap": COUNT_CAP,
        "recent": recent,
        "is_manager": is_manager,
        "team": team,
        "overdue_requisitions": overdue,
        "unread": Notification.objects.for_user(user).unread().count(),
    }
    return render(request, "landing.html", context)
