"""Where each person lands after logging in: their own work. An agent sees their
organisations' queues and the files recently active; a responsable, the same for their
team with the alerts that call for a decision; someone whose organisations have nothing in
eviction prevention (an accommodation or MOUS operator), their other spaces; the
observatory, its dashboard; anyone else, the plan."""

from django.shortcuts import redirect, render
from django.utils import timezone

from toit.eviction import access
from toit.eviction.access import acting_organisations
from toit.eviction.models import PreventionFile
from toit.notifications.models import Notification
from toit.organisations.enums import Role
from toit.organisations.perms import is_observatory, may_read_nominative, roles_of
from toit.utils.collation import french
from toit.www.eviction.common import log_listed
from toit.www.eviction.queues import COUNT_CAP, capped_ids, queue_querysets
from toit.www.eviction.search import reference_person
from toit.www.plans import views as plan_views

RECENT = 10


def recent_files(user, organisation_ids=None):
    """The RECENT live files the user sees where an event was recorded most recently, each
    with `last_activity`: the visible files walked backward through the index of their last
    recorded event (PreventionFile.last_event_at, kept with the procedure state). Reading
    the events themselves newest first went through every file's recent events to find the
    user's: 105 000 of them for the CAF's 200 at 1 000 000 households (0.5 to 1 s), and
    ranking every visible file by its last event cost 30 s for the préfecture."""
    visible = access.visible_files(PreventionFile.objects.all(), user, organisation_ids).live()
    ids = list(
        visible.filter(last_event_at__isnull=False)  # the index's condition: only this walk states it
        .order_by("-last_event_at", "-pk")
        .values_list("pk", flat=True)[:RECENT]
    )
    files = PreventionFile.objects.filter(pk__in=ids).with_household().in_bulk()
    recent = [files[pk] for pk in ids]
    for file in recent:
        file.last_activity = file.last_event_at
    return recent


# The queue page names the delays of each département's local practices
# (toit.plans.practices); here the labels stay general.
LABELS = {
    "signalements": "Signalements à rapprocher d'un dossier",
    "sans-contact": "Assignations sans contact établi dans le délai de pratique locale",
    "audiences": "Audiences proches sans diagnostic réalisé",
    "requisitions": "Réquisitions en attente de décision du préfet",
    "plans": "Plans d'apurement avec une échéance impayée",
}


def _queue_counts(user, today, organisation=None, reading_ids=None, acting_ids=None):
    """(label, slug, queryset, parts) of each queue, as the queue page lists them
    (queues.queue_querysets)."""
    return [
        (LABELS[slug], slug, queryset, parts)
        for slug, queryset, parts in queue_querysets(user, today, organisation, reading_ids, acting_ids)
    ]


def capped_count(queryset, parts=None):
    """The queue's size as the queue page counts it: exact up to COUNT_CAP, COUNT_CAP + 1
    for « plus de COUNT_CAP » (an exact count costs as much as the files the user sees: 1 s
    per queue for the préfecture at 1 000 000 households)."""
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
    # An operator of accommodation, a MOUS or the pôle habitat indigne may follow no eviction
    # file at all: empty queues would greet them, with their own work a menu away.
    follows_files = bool(recent) or any(count for _label, _slug, count in queues)
    is_manager = bool(roles_of(user) & {Role.MANAGER, Role.ADMIN})
    team = []
    overdue = 0
    # With no file in any of the user's queues, every organisation's queues are empty too.
    if is_manager and follows_files:
        for organisation in acting:
            counted = _queue_counts(user, today, organisation, reading_ids, acting_ids)
            team.append((organisation, [(label, slug, capped_count(qs, parts)) for label, slug, qs, parts in counted]))
        overdue = PreventionFile.objects.requisitions_awaiting_decision(user, today=today, overdue_only=True).count()
    log_listed(request, recent)
    context = {
        "follows_files": follows_files,
        "queues": queues,
        "count_cap": COUNT_CAP,
        "recent": recent,
        "is_manager": is_manager,
        "team": team,
        "overdue_requisitions": overdue,
        "unread": Notification.objects.for_user(user).unread().count(),
    }
    return render(request, "landing.html", context)
