"""Who may do what, decided from memberships. Views and querysets call these; nothing
else reads roles directly."""

from toit.organisations.enums import NOMINATIVE_ROLES, Role
from toit.organisations.models import Membership


def active_memberships(user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user)


def roles_of(user):
    """The user's active roles, remembered on the user object: the menu, the middleware and
    the view of one request all ask, one query answers (request.user lives one request).
    The same query gives the user's départements (departments_of)."""
    cached = getattr(user, "_toit_roles", None)
    if cached is None:
        rows = list(active_memberships(user).values_list("role", "organisation__department__code"))
        cached = frozenset(role for role, _ in rows)
        if user.is_authenticated:
            user._toit_roles = cached
            user._toit_departments = frozenset(code for _, code in rows if code)
    return cached


def is_admin(user):
    return user.is_authenticated and (user.is_superuser or Role.ADMIN in roles_of(user))


def is_observatory(user):
    return Role.OBSERVATORY in roles_of(user)


def may_read_nominative(user):
    return bool(roles_of(user) & NOMINATIVE_ROLES)


def administered_organisations(user):
    """Organisations the user administers (active membership with the administrateur role):
    what a staff user who is not a superuser may manage in the Django admin."""
    from toit.organisations.models import Organisation

    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Membership.objects.active().filter(user=user, role=Role.ADMIN).values("organisation")
    )


def departments_of(user):
    """INSEE codes of the départements of the user's active memberships, remembered on the user
    object like roles_of. Members of national bodies only get an empty set: they reach a plan
    through the actions naming their organisation, never a whole département."""
    if not user.is_authenticated:
        return frozenset()
    if getattr(user, "_toit_departments", None) is None:
        roles_of(user)
    return user._toit_departments


def departments_with_role(user, role):
    """Départements where the user holds `role` through an organisation of that département:
    the observatory and administrateur roles are granted per département, never instance-wide
    (only a superuser is)."""
    return frozenset(
        code
        for code in active_memberships(user).filter(role=role).values_list("organisation__department__code", flat=True)
        if code
    )
