"""Strict readers for environment variables.

Production settings must never start with a silently missing or malformed value: every
helper raises ImproperlyConfigured naming the variable and what was expected.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()
_TRUE = {"1", "true", "yes", "on", "oui"}
_FALSE = {"0", "false", "no", "off", "non", ""}


def env_str(name, default=_MISSING):
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire et absente.")
        return default
    return value


def env_bool(name, default=_MISSING):
    raw = env_str(name, None)
    if raw is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire et absente.")
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"La variable d'environnement {name} vaut {raw!r} : attendu un booléen (1/0, true/false, oui/non)."
    )


def env_int(name, default=_MISSING):
    raw = env_str(name, None)
    if raw is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire et absente.")
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} vaut {raw!r} : attendu un nombre entier."
        ) from None


def env_list(name, default=_MISSING):
    raw = env_str(name, None)
    if raw is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire et absente.")
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_date(name, default=_MISSING):
    """A date written the ISO way (2012-11-15); empty counts as absent."""
    import datetime

    raw = (env_str(name, "") or "").strip()
    if not raw:
        if default is _MISSING:
            raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire et absente.")
        return default
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} vaut {raw!r} : attendu une date au format AAAA-MM-JJ "
            "(par exemple 2012-11-15)."
        ) from None
