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
    the view of one request all ask, one query answers (request.user lives one request)."""
    cached = getattr(user, "_toit_roles", None)
    if cached is None:
        cached = frozenset(active_memberships(user).values_list("role", flat=True))
        if user.is_authenticated:
            user._toit_roles = cached
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
