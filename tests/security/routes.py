"""Every URL of Toit, read from the URL resolver, with its parameters filled from a world
of fixtures by parameter name: the access-log check and the access matrix walk this list,
so that a new view is tested the day it is added (or the tests say what to declare)."""

import itertools
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

# Namespaces outside Toit's own pages: the Django admin (tested by tests/eviction/test_admin.py
# and tests/security/test_admin.py) and ProConnect's callbacks when it is on.
FOREIGN_NAMESPACES = {"admin", "oidc"}


@dataclass(frozen=True)
class Route:
    namespace: str
    name: str
    parameters: tuple

    @property
    def view_name(self):
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    def __str__(self):
        return self.view_name


def _parameters(pattern):
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    return tuple(pattern.regex.groupindex)


def _walk(resolver, namespace, parameters):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in FOREIGN_NAMESPACES:
                continue
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(pattern, full, parameters + _parameters(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            if not pattern.name:
                raise AssertionError(
                    f"Le motif d'URL « {pattern.pattern} » n'a pas de nom : nommez-le (name=…) pour que les tests "
                    "d'accès le couvrent."
                )
            yield Route(namespace, pattern.name, parameters + _parameters(pattern.pattern))


def all_routes():
    """Every named URL of Toit (not the admin), in the resolver's order."""
    return list(dict.fromkeys(_walk(get_resolver(), "", ())))


def urls(route, values):
    """Every URL of `route` with its parameters filled by `values` (parameter name → a
    function (view name, world) → list of values). An unknown parameter name fails the
    test in French, so that a new view with a new parameter cannot escape."""

    def fill(world):
        choices = []
        for name in route.parameters:
            if name not in values:
                raise AssertionError(
                    f"Paramètre d'URL « {name} » (vue « {route.view_name} ») inconnu des tests d'accès : ajoutez-le à "
                    "PARAMETERS dans tests/security/conftest.py, avec la valeur à prendre dans les données de test."
                )
            choices.append([(name, v) for v in values[name](route.view_name, world)])
        return [reverse(route.view_name, kwargs=dict(combo)) for combo in itertools.product(*choices)]

    return fill
