"""What a caller may do, decided before anything is fetched.

Each API view declares `scopes`: {HTTP method: Scope or None}. A method missing from the
mapping is refused (a test walks every view and checks each allowed method is declared).
A key needs the scope; a browser session needs none, its rights are its memberships. For
a nominative scope both need a nominative role (agent, responsable, administrateur) in
an active membership: the observatory role sees aggregates only. What the caller may see
among objects is decided by the same scoped querysets as the web pages (visible_to)."""

from rest_framework import exceptions, permissions

from toit.api.authentication import api_key
from toit.api.enums import NOMINATIVE_SCOPES, Scope
from toit.organisations.perms import may_read_nominative


class ScopeMissing(exceptions.PermissionDenied):
    problem_type = "permission-manquante"


def required_scope(view, method):
    scopes = getattr(view, "scopes", None)
    if scopes is None:
        raise exceptions.PermissionDenied("Cette opération n'est pas ouverte par l'API.")
    if method == "HEAD":
        method = "GET"
    if method == "OPTIONS":
        return scopes.get("OPTIONS")
    if method not in scopes:
        raise exceptions.MethodNotAllowed(method)
    return scopes[method]


class ScopedAccess(permissions.BasePermission):
    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated()
        scope = required_scope(view, request.method)
        if scope is None:
            return True
        scope = Scope(scope)
        key = api_key(request)
        if key is not None and not key.has_scope(scope):
            raise ScopeMissing(
                f"Cette clé d'API n'a pas la permission « {scope.value} » ({scope.label.lower()}) : demandez à "
                "l'administrateur de Toit une clé qui l'a."
            )
        if scope in NOMINATIVE_SCOPES and not may_read_nominative(request.user):
            raise exceptions.PermissionDenied(
                "Les données nominatives (dossiers, signalements, imports, séjours) sont réservées aux agents, "
                "responsables et administrateurs des organisations partenaires ; votre rôle donne accès aux seuls "
                "agrégats."
            )
        return True


def session_scopes(user):
    """What a browser session may do, said in scopes (for /api/me/)."""
    from toit.api.enums import Scope

    if may_read_nominative(user):
        return list(Scope.values)
    return [s for s in Scope.values if Scope(s) not in NOMINATIVE_SCOPES]
