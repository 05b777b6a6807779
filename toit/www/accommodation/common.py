"""What the accommodation views share: the refusal of non-nominative roles where persons
are shown, and the département named in the URL (never a default one)."""

from functools import wraps

from django.http import Http404
from django.shortcuts import render

from toit.organisations.perms import may_read_nominative
from toit.territory.models import Department


def nominative_required(view):
    """Residents and applicants are persons: the observatory role is refused before anything
    is read."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_read_nominative(request.user):
            return render(request, "accommodation/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def department_or_404(code):
    try:
        return Department.objects.get(code=code)
    except Department.DoesNotExist:
        raise Http404("Département inconnu.") from None
