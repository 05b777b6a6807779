"""Which plans a user may open, and which one is theirs. No plan is anyone's default by
being the most recent of the instance (issue 14): a user's plan is the current plan of their
organisations' département, and switching is explicit, among the plans they take part in."""

import datetime

from django.db.models import Q
from django.utils import timezone

from toit.organisations.perms import active_memberships, departments_of
from toit.plans.models import Plan

SESSION_KEY = "toit_plan"


def plans_for(user):
    """Plans of the user's départements, and plans naming one of their organisations (a
    national body, or a partner of a neighbouring département). A superuser, documented as
    instance-wide (docs/access.md), opens every plan."""
    if not user.is_authenticated:
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.all()
    organisations = active_memberships(user).values("organisation")
    return Plan.objects.filter(
        Q(department_code__in=departments_of(user))
        | Q(pk__in=Plan.objects.filter(actions__responsible__in=organisations).values("pk"))
        | Q(pk__in=Plan.objects.filter(actions__partners__in=organisations).values("pk"))
    )


def _running_first(plans, today):
    running = [p for p in plans if p.starts_on <= today <= p.ends_on]
    if running:
        return max(running, key=lambda p: (p.starts_on, p.code))
    # Between two plans (or after the last), the most recent one; before the first, the first.
    past = [p for p in plans if p.starts_on <= today]
    if past:
        return max(past, key=lambda p: (p.ends_on, p.starts_on, p.code))
    return min(plans, key=lambda p: (p.starts_on, p.code)) if plans else None


def current_plan(user, session=None, today: datetime.date | None = None):
    """The plan the user works on: the one they chose (kept in their session) if they may still
    open it, else the running plan of their own département(s), else of the plans naming their
    organisations. None when they may open none."""
    available = list(plans_for(user))
    if not available:
        return None
    chosen = session.get(SESSION_KEY) if session is not None else None
    for plan in available:
        if plan.code == chosen:
            return plan
    today = today or timezone.localdate()
    own = [p for p in available if p.department_code in departments_of(user)]
    return _running_first(own or available, today)


def choose_plan(user, session, code):
    """Switch the session to the plan `code`, which the user must be able to open; returns it
    or None (the caller answers 404, as for any plan the user may not see)."""
    plan = plans_for(user).filter(code=code).first()
    if plan is not None:
        session[SESSION_KEY] = plan.code
    return plan
