"""What every eviction-prevention view shares: who may come in, and how a file named in
a URL is found (through visible_to, so that a file of another organisation and a file that
does not exist give the same 404)."""

from functools import wraps

from django.http import Http404
from django.shortcuts import render

from toit.eviction.models import PreventionFile
from toit.eviction.references import clean_reference
from toit.organisations.perms import may_read_nominative

NOT_FOUND = "Aucun dossier visible ne porte cette référence."


def nominative_required(view):
    """Household files are nominative: the observatory role (aggregates only) and users
    without a nominative membership are refused before anything is read."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_read_nominative(request.user):
            # The site has no 403 page of its own: say in French why, and what to ask for.
            return render(request, "eviction/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def visible_file(user, reference, queryset=None):
    """The file with this reference among those the user may read, or 404."""
    canonical = clean_reference(reference)
    if not canonical:
        raise Http404(NOT_FOUND)
    queryset = queryset if queryset is not None else PreventionFile.objects.all()
    try:
        return queryset.visible_to(user).get(reference=canonical)
    except PreventionFile.DoesNotExist:
        raise Http404(NOT_FOUND) from None
