"""What every dwelling-register view shares: only members of a pôle come in (others get a
403 that says why, before anything is read: no existence oracle), a record named in a URL
is found among what the user reads (else 404), and what a page shows is logged."""

from functools import wraps

from django.http import Http404
from django.shortcuts import render

from toit.audit.enums import AccessAction
from toit.audit.log import log_access
from toit.dwellings import access
from toit.dwellings.models import Dwelling

NOT_FOUND = "Aucun logement du registre que vous lisez ne porte ce numéro."


def pole_member_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.may_read_register(request.user):
            return render(request, "dwellings/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def visible_dwelling(user, pk, queryset=None):
    queryset = queryset if queryset is not None else Dwelling.objects.all()
    try:
        return queryset.visible_to(user).get(pk=pk)
    except Dwelling.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def log_read(request, obj, department_id):
    log_access(request, obj, organisation=access.acting_organisation(request.user, department_id))


def log_listed(request, objects, action=AccessAction.LIST):
    objects = list(objects)
    organisation = None
    if objects:
        organisation = access.acting_organisation(request.user, objects[0].department_id)
    log_access(request, objects, action=action, organisation=organisation)
