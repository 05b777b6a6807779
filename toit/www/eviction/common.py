"""What every eviction-prevention view shares: who may come in, how a file named in a URL
is found (through visible_to, so that a file of another organisation and a file that does
not exist give the same 404), and the access log of what a page shows (every view that
renders nominative data calls log_read; a test walks every URL and checks it)."""

from functools import wraps

from django.http import Http404
from django.shortcuts import render

from toit.audit.enums import AccessAction
from toit.audit.log import log_access
from toit.eviction import access
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
    # Resolved once: the user's organisations as a subquery (memberships three levels
    # down the hierarchy), written twice, took longer to compile than the query took to
    # run (28 → 16 ms a page at 100 000 households, for one more query of 1 ms).
    ids = access.organisation_ids(user)
    try:
        return (
            access.visible_files(queryset, user, ids)
            .annotate(reading_organisation_id=access.reading_organisation(user, organisation_ids=ids))
            .get(reference=canonical)
        )
    except PreventionFile.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def log_file_read(request, file):
    """The page shows the file (its household at least): one access-log entry, on behalf
    of the organisation through which the user reads it."""
    log_access(request, file, organisation=getattr(file, "reading_organisation_id", None))


def log_listed(request, objects, action=AccessAction.LIST):
    """A list shows these rows (names, addresses): one entry each. Files found by a search
    are logged with action SEARCH."""
    log_access(request, list(objects), action=action)
