"""Who may see what of accommodation data. Every rule is here, so that the security review
reads one module; querysets, views, the API and the admin call it.

Residents' data are sensitive (a stay in a résidence accueil tells a mental illness):

=====================================  ===========================================================
What                                   Who
=====================================  ===========================================================
residents and stays of a structure     members with a nominative role (agent, responsable,
                                       administrateur) of the structure's manager organisation
record or correct a stay               the same
applications to the admission          members with a nominative role of the commission's
commission                             secretariat organisation
structures, places, funding,           every logged-in user: aggregates and no person (the State
conventions, occupancy, projects,      services and the observatory see these and the plan's
youth offer                            indicators only)
observatory role                       aggregates only: no resident, no stay, no application
superuser                              everything in the Django admin, nothing more elsewhere
=====================================  ===========================================================

A structure's staff do not see the applications (the commission decides), and the commission
does not see stays: the wait between application and entry is recorded on the application.
"""

from django.db.models import Q

from toit.organisations.enums import NOMINATIVE_ROLES
from toit.organisations.models import Membership, Organisation


def _organisations(user):
    if not user or not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Membership.objects.active().filter(user=user, role__in=NOMINATIVE_ROLES).values("organisation")
    )


def staff_organisations(user):
    """Organisations through which the user reads residents: what a form offers."""
    return _organisations(user)


def staffed_structures_q(user, prefix=""):
    return Q(**{f"{prefix}manager__in": _organisations(user).values("pk")})


def visible_residents(queryset, user):
    return queryset.filter(staffed_structures_q(user, "structure__"))


def visible_stays(queryset, user):
    return queryset.filter(staffed_structures_q(user, "structure__"))


def visible_applications(queryset, user):
    return queryset.filter(commission__secretariat__in=_organisations(user).values("pk"))


def may_read_residents(user, structure):
    return _organisations(user).filter(pk=structure.manager_id).exists()


def commissions_of(user):
    from toit.accommodation.models import AdmissionCommission

    return AdmissionCommission.objects.filter(secretariat__in=_organisations(user).values("pk"))
