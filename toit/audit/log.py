"""Writing the access log. Views that show nominative data call log_access with what
they showed; a test walks every such view and checks that it did."""

import ipaddress

from django.conf import settings
from django.db import models

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
    shared = _request_fields(request)
    entries = [
        _entry(
            request,
            action=action,
            organisation=organisation,
            reason=reason,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_ref=_reference(obj),
            shared=shared,
        )
        for obj in objects
    ]
    AccessLog.objects.bulk_create(entries)
    return len(entries)


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
