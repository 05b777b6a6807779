"""Creating, checking and revoking API keys. The admin, the command line and the
authentication class call these and nothing else.

A token reads « toit_<prefix>_<secret> »: the prefix (8 hexadecimal characters) is public
and finds the key; the secret is 32 random bytes (secrets.token_urlsafe). Toit keeps only
the SHA-256 of the whole token and compares digests with hmac.compare_digest.
"""

import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from toit.api.enums import Scope
from toit.api.models import ApiKey
from toit.organisations.enums import Role
from toit.organisations.models import Membership

TOKEN_PREFIX = "toit"  # noqa: S105 - the visible start of every token, not a secret
PREFIX_BYTES = 4  # 8 hexadecimal characters
SECRET_BYTES = 32
TOKEN_PATTERN = re.compile(r"^toit_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{20,128})$")
# last_used_at is written at most this often, not on every request.
TOUCH_EVERY = datetime.timedelta(minutes=1)
SERVICE_EMAIL_DOMAIN = "cles-api.toit.invalid"  # RFC 2606: never a real mailbox

# Compared against when the prefix is unknown, so that a wrong prefix and a wrong secret
# take the same time.
_DUMMY_HASH = hashlib.sha256(b"toit-api-no-such-key").hexdigest()


class KeyRefused(Exception):
    """Why a token is refused. `code` names the problem type (toit.api.problems)."""

    code = "authentification-invalide"

    def __init__(self, message, code=None):
        super().__init__(message)
        if code:
            self.code = code


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class CreatedKey:
    key: ApiKey
    token: str  # shown once, never stored


def _normalise_scopes(scopes):
    values = []
    for scope in scopes:
        scope = str(scope).strip()
        if scope and scope not in values:
            values.append(scope)
    return values


def _service_user(prefix, name, organisation):
    User = get_user_model()
    user = User(
        username=f"api-{prefix}",
        email=f"api-{prefix}@{SERVICE_EMAIL_DOMAIN}",
        first_name="Clé d'API",
        last_name=f"« {name} » ({organisation.code})"[:150],
        is_active=False,  # no login through any backend, ever
    )
    user.set_unusable_password()
    user.save()
    return user


def create_key(organisation, *, name, scopes, created_by=None, expires_at=None):
    """Create a key for `organisation` with these scopes. Returns CreatedKey, whose token
    must be shown to the person now: it cannot be found again. Raises ValidationError
    (keyed by field) when the name, the scopes or the expiry date are wrong."""
    scopes = _normalise_scopes(scopes)
    if not organisation.is_active:
        raise ValidationError(
            {"organisation": f"« {organisation} » n'est plus active : réactivez-la avant de lui créer une clé."}
        )
    for _attempt in range(5):
        prefix = secrets.token_hex(PREFIX_BYTES)
        token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
        key = ApiKey(
            organisation=organisation,
            name=(name or "").strip(),
            prefix=prefix,
            secret_hash=hash_token(token),
            scopes=scopes,
            created_by=created_by,
            expires_at=expires_at,
        )
        key.full_clean(exclude=["user"])
        try:
            with transaction.atomic():
                key.user = _service_user(prefix, key.name, organisation)
                key.save()
                role = Role.AGENT if key.is_nominative else Role.OBSERVATORY
                Membership.objects.create(user=key.user, organisation=organisation, role=role)
        except IntegrityError:
            if ApiKey.objects.filter(prefix=prefix).exists():
                continue  # one chance in four billion: draw another prefix
            raise
        return CreatedKey(key, token)
    raise RuntimeError("Impossible de tirer un préfixe de clé libre.")


def revoke_key(key, *, by=None):
    """Revoke `key` for good (idempotent); its service account loses its membership."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.revoked_by = by
            key.save(update_fields=["revoked_at", "revoked_by"])
        Membership.objects.filter(user_id=key.user_id).update(is_active=False)
    return key


def check_token(token, now=None):
    """The key this token belongs to, if it may be used now; raises KeyRefused with a
    French message saying what is wrong and what to do otherwise."""
    now = now or timezone.now()
    match = TOKEN_PATTERN.match(token or "")
    if match is None:
        raise KeyRefused(
            "Clé d'API mal formée : elle s'écrit « toit_<préfixe de 8 caractères>_<secret> ». "
            "Copiez-la en entier, sans espace ni guillemet.",
            code="cle-mal-formee",
        )
    key = ApiKey.objects.select_related("organisation__department", "user").filter(prefix=match["prefix"]).first()
    expected = key.secret_hash if key is not None else _DUMMY_HASH
    if not hmac.compare_digest(expected, hash_token(token)) or key is None:
        raise KeyRefused(
            "Clé d'API inconnue ou secret incorrect : vérifiez que la clé est copiée en entier, "
            "ou demandez une nouvelle clé à l'administrateur de Toit.",
            code="cle-invalide",
        )
    if key.revoked_at is not None:
        raise KeyRefused(
            f"Cette clé d'API a été révoquée le {timezone.localtime(key.revoked_at):%d/%m/%Y à %H:%M} : "
            "demandez une nouvelle clé à l'administrateur de Toit.",
            code="cle-revoquee",
        )
    if key.is_expired(now):
        raise KeyRefused(
            f"Cette clé d'API a expiré le {timezone.localtime(key.expires_at):%d/%m/%Y à %H:%M} : "
            "demandez une nouvelle clé à l'administrateur de Toit.",
            code="cle-expiree",
        )
    if not key.organisation.is_active:
        raise KeyRefused(
            f"L'organisation « {key.organisation} » n'est plus active dans Toit : ses clés d'API sont refusées.",
            code="cle-invalide",
        )
    return key


def touch(key, now=None):
    """Record that the key was used, writing at most once a minute."""
    now = now or timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


def parse_scopes(text):
    """Scopes from a comma- or space-separated list, as typed on the command line."""
    scopes = _normalise_scopes(re.split(r"[\s,]+", text or ""))
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown:
        raise ValidationError(
            {
                "scopes": f"Permission(s) inconnue(s) : {', '.join(unknown)}. "
                f"Permissions possibles : {', '.join(Scope.values)}."
            }
        )
    return scopes
