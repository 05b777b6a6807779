"""Writing the access log. Views that show nominative data call log_access with what
they showed; a test walks every such view and checks that it did."""

import ipaddress

from django.conf import settings
from django.db import connections, models, router

from toit.audit.enums import AccessAction
from toit.audit.models import AccessLog


def _address(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted_networks():
    networks = []
    for item in settings.TOIT_TRUSTED_PROXIES:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue  # a typo in the setting trusts nothing more (checked at deploy: docs/security.md)
    return networks


def client_ip(request):
    """The client's address. X-Forwarded-For is written by whoever sends the request: it
    is read only when the request comes from a proxy listed in TOIT_TRUSTED_PROXIES, from
    right to left, skipping the trusted proxies; a malformed value stops the walk (the last
    trusted hop's address is kept). Always a valid address or None, so that neither the
    access log nor the login lockout (axes: AXES_CLIENT_IP_CALLABLE) can be fed a made-up
    or malformed one."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return None
    trusted = _trusted_networks()
    if not trusted or not any(remote in network for network in trusted):
        return str(remote)
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break
        client = address
        if not any(address in network for network in trusted):
            break
    return str(client)


def _reference(obj):
    return str(getattr(obj, "reference", "") or "")[:64]


def _request_fields(request):
    """What every entry of one request shares: computed once, not once per object listed
    (a work-queue page lists a hundred files)."""
    user = request.user
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else ""
    return {
        "user": user if user.is_authenticated else None,
        "username": user.get_username() if user.is_authenticated else "",
        "view": view[:200],
        "path": request.get_full_path()[:500],
        "ip_address": client_ip(request),
    }


def _entry(request, *, action, organisation, reason, object_type, object_id, object_ref, shared=None):
    return AccessLog(
        **(shared or _request_fields(request)),
        # An Organisation or its primary key (what a query annotated), or None.
        organisation_id=getattr(organisation, "pk", organisation),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_ref=object_ref,
        reason=reason,
    )


def log_access(request, objects, *, action=AccessAction.READ, organisation=None, reason=""):
    """Record that the request's user saw `objects` (an instance or an iterable). Returns
    the number of entries written."""
    if objects is None:
        return 0
    if isinstance(objects, models.Model):
        objects = [objects]
    seen = [(obj._meta.label_lower, str(obj.pk), _reference(obj)) for obj in objects]
    if not seen:
        return 0
    entry = _entry(
        request,
        action=action,
        organisation=organisation,
        reason=reason,
        object_type="",
        object_id="",
        object_ref="",
        shared=_request_fields(request),
    )
    _insert(entry, seen)
    return len(seen)


# The columns that differ from one object to the next of a request's entries.
OBJECT_COLUMNS = ("object_type", "object_id", "object_ref")


def _cast(field, connection):
    # Text as text: a cast to varchar(n) would cut a value too long where the column refuses it.
    if field.get_internal_type() in ("CharField", "TextField"):
        return "text"
    return field.cast_db_type(connection)


def _insert(entry, seen):
    """Write `entry` once per (object_type, object_id, object_ref) of `seen`. The entry's
    columns are prepared by its fields once, as Django would (auto_now_add, foreign keys,
    the IP address); only the object's three text columns vary, sent as three arrays on
    PostgreSQL. bulk_create prepared every field of every entry: 11 ms of Python for the
    hundred rows of a work-queue page, where the insert itself takes 5."""
    connection = connections[router.db_for_write(AccessLog)]
    fields = [field for field in AccessLog._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    table = quote(AccessLog._meta.db_table)
    prepared = {field.attname: field.get_db_prep_save(field.pre_save(entry, add=True), connection) for field in fields}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            shared = [field for field in fields if field.attname not in OBJECT_COLUMNS]
            values = ", ".join(
                f"t.{quote(field.attname)}" if field.attname in OBJECT_COLUMNS else f"%s::{_cast(field, connection)}"
                for field in fields
            )
            arrays = ", ".join(["%s::text[]"] * len(OBJECT_COLUMNS))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {values} "  # noqa: S608 # nosec B608
                f"FROM UNNEST({arrays}) AS t({', '.join(quote(name) for name in OBJECT_COLUMNS)})",
                [prepared[field.attname] for field in shared] + [list(column) for column in zip(*seen, strict=True)],
            )
            return
        rows = []
        for values in seen:
            row = {**prepared, **dict(zip(OBJECT_COLUMNS, values, strict=True))}
            rows.append([row[field.attname] for field in fields])
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608 # nosec B608


def log_reference(request, model, reference, *, action, organisation=None, reason=""):
    """Record a request about a record named by its reference that may not exist (a
    break-glass request for an unknown reference): the entry has no object id."""
    entry = _entry(
        request,
        action=action,
        organisation=organisation,
        reason=reason,
        object_type=model._meta.label_lower,
        object_id="",
        object_ref=str(reference or "")[:64],
    )
    entry.save()
    return entry


def record_access(user, obj, *, action, organisation=None, reason="", view=""):
    """An entry written by a domain function, outside any request (an import, a decision
    to let an organisation into a file): who, on behalf of whom, what, why."""
    entry = AccessLog(
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "",
        organisation_id=getattr(organisation, "pk", organisation),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_ref=_reference(obj),
        view=view[:200],
        reason=reason,
    )
    entry.save()
    return entry


def log_reference_attempt(request, view_name, named, status):
    """A refused request (403 or 404) naming a record by reference or id (toit.audit.middleware)."""
    reference = str(named.get("reference", ""))[:64]
    identifier = str(named.get("pk", named.get("transmission_pk", "")))[:64]
    entry = _entry(
        request,
        action=AccessAction.REFUSED,
        organisation=None,
        reason=f"Réponse {status}",
        object_type=view_name[:100],
        object_id=identifier,
        object_ref=reference,
    )
    entry.save()
    return entry
