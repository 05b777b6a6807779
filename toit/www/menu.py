"""The main navigation. Each feature adds its entry here, with the test deciding who sees it."""

from django.urls import reverse

from toit.organisations.perms import may_read_nominative

MENU = [
    # (label, url name, url-name prefix that marks the entry active, visible to)
    ("Plan d'action", "plans:home", "plans:", lambda user: True),
    ("Organisations", "organisations:list", "organisations:", lambda user: True),
    ("Observatoire", "observatory:home", "observatory:", lambda user: True),
    ("Pilotage", "steering:home", "steering:", lambda user: True),
    ("Prévention des expulsions", "eviction:search", "eviction:", may_read_nominative),
    ("Imports de fichiers", "imports:list", "imports:", may_read_nominative),
    # Shown to every nominative role (no query more on each page); the register itself lets
    # in members of a pôle only, and tells the others why.
    ("Habitat indigne et PST", "dwellings:register", "dwellings:", may_read_nominative),
    ("Hébergement", "accommodation:home", "accommodation:", lambda user: True),
    ("Accès prioritaire", "priority_access:home", "priority_access:", may_read_nominative),
]


def main_menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    items = [
        {"label": label, "url": reverse(name), "active": bool(current) and current.startswith(prefix)}
        for label, name, prefix, visible in MENU
        if visible(user)
    ]
    if user.is_staff:
        items.append({"label": "Administration", "url": reverse("admin:index"), "active": False})
    return items
