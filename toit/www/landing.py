"""Where each person lands after logging in: their own work. An agent sees their
organisations' queues and the files recently active; a responsable, the same for their
team with the alerts that call for a decision; the observatory, its dashboard; anyone else,
the plan."""

from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone

from toit.eviction.access import acting_organisations
from toit.eviction.models import PreventionFile, RepaymentPlan, Report
from toit.notifications.models import Notification
from toit.organisations.enums import Role
from toit.organisations.perms import is_observatory, may_read_nominative, roles_of
from toit.utils.collation import french
from toit.www.eviction.common import log_listed
from toit.www.eviction.search import reference_person
from toit.www.plans import views as plan_views

RECENT = 10


def _queue_counts(user, today, organisation=None):
    files = PreventionFile.objects
    return [
        ("Signalements à rapprocher d'un dossier", "signalements", Report.objects.awaiting_match(user, organisation)),
        (
            # The delays are each département's local practices (toit.plans.practices): the
            # queue page names them; here the label stays general.
            "Assignations sans contact établi dans le délai de pratique locale",
            "sans-contact",
            files.awaiting_contact(user, organisation, today),
        ),
        (
            "Audiences proches sans diagnostic réalisé",
            "audiences",
            files.hearings_without_diagnosis(user, organisation, today),
        ),
        (
            "Réquisitions en attente de décision du préfet",
            "requisitions",
            files.requisitions_awaiting_decision(user, organisation, today),
        ),
        (
            "Plans d'apurement avec une échéance impayée",
            "plans",
            RepaymentPlan.objects.at_risk(user, organisation, today),
        ),
    ]


def home(request):
    user = request.user
    if not may_read_nominative(user):
        if is_observatory(user):
            return redirect("observatory:home")
        return plan_views.home(request)
    today = timezone.localdate()
    queues = [(label, slug, queryset.count()) for label, slug, queryset in _queue_counts(user, today)]
    recent = list(
        PreventionFile.objects.visible_to(user)
        .live()
        .with_household()
        .annotate(last_activity=Max("events__created_at"))
        .filter(last_activity__isnull=False)
        .order_by("-last_activity", "-pk")[:RECENT]
    )
    for file in recent:
        file.person = reference_person(file.household)
    is_manager = bool(roles_of(user) & {Role.MANAGER, Role.ADMIN})
    team = []
    overdue = 0
    if is_manager:
        for organisation in acting_organisations(user).order_by(french("name")):
            team.append(
                (
                    organisation,
                    [(label, slug, qs.count()) for label, slug, qs in _queue_counts(user, today, organisation)],
                )
            )
        overdue = PreventionFile.objects.requisitions_awaiting_decision(user, today=today, overdue_only=True).count()
    log_listed(request, recent)
    context = {
        "queues": queues,
        "recent": recent,
        "is_manager": is_manager,
        "team": team,
        "overdue_requisitions": overdue,
        "unread": Notification.objects.for_user(user).unread().count(),
    }
    return render(request, "landing.html", context)
