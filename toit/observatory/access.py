"""Who may see and do what in the observatory and the steering pages. Decided from
memberships before anything is fetched; the observatory role sees aggregates only, which
is all these pages show."""

from dataclasses import dataclass

from django.db.models import Q

from toit.organisations.enums import Role
from toit.organisations.models import Organisation
from toit.organisations.perms import active_memberships


@dataclass(frozen=True)
class Access:
    view: bool = False  # dashboard, reports, steering pages
    operate: bool = False  # start computations, publish reports
    steer: bool = False  # create and edit meetings, decisions, orders


def plan_organisations(plan):
    """Organisations the plan names: responsible for or partner in one of its actions."""
    return Organisation.objects.filter(Q(responsible_for__plan=plan) | Q(partner_in__plan=plan)).distinct()


def access_for(user, plan):
    """Two queries at most. The observatory and administrateur roles count for the plans of
    their organisation's département only (issue 14); a superuser is instance-wide."""
    if not user.is_authenticated:
        return Access()
    if user.is_superuser:
        return Access(view=True, operate=True, steer=True)
    memberships = list(
        active_memberships(user).values_list("role", "organisation_id", "organisation__department__code")
    )
    here = [(role, org) for role, org, department in memberships if department == plan.department_code]
    admin = any(role == Role.ADMIN for role, _ in here)
    observatory = any(role == Role.OBSERVATORY for role, _ in here)
    if admin:
        return Access(view=True, operate=True, steer=True)
    organisations = {org for _, org, _ in memberships}
    in_plan = (
        set(plan_organisations(plan).filter(pk__in=organisations).values_list("pk", flat=True))
        if organisations
        else set()
    )
    managers = {org for role, org, _ in memberships if role == Role.MANAGER}
    return Access(
        view=observatory or bool(in_plan),
        operate=observatory,
        steer=bool(managers & in_plan),
    )
