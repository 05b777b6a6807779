"""Who may see what of accommodation data. Every rule is here, so that the security review
reads one module; querysets, views, the API and the admin call it.

Residents' data are sensitive (a stay in a résidence accueil tells a mental illness):

=====================================  ===========================================================
What                                   Who
=====================================  ===========================================================
residents and stays of a structure     members with a nominative role (agent, responsable,
                                       administrateur) of the structure's manager organisation
record or correct a stay, correct a    the same
resident's identity
a structure's places (dated capacity), the same: the managing organisation's staff
its partnership conventions, its
funding per place
file an application to the admission   members with a nominative role of an organisation of the
commission                             commission's département (a structure's manager, a CCAS,
                                       the conseil général's social services, an association…)
                                       or of its secretariat; the filer does not see the
                                       application afterwards unless it is the secretariat
create a project, move it to the next  members with a nominative role of a State service (DDT,
stage                                  DDCS, préfecture: kind « etat ») or of a local authority
                                       (kind « collectivite »: the conseil départemental, and
                                       also EPCI and communes, which Toit does not tell apart)
                                       of the project's département
applications to the admission          members with a nominative role of the commission's
commission, their decision and         secretariat organisation
correction
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

from toit.organisations.enums import NOMINATIVE_ROLES, OrganisationKind
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


def managed_structures(queryset, user):
    """Structures whose places and conventions the user records: the managing organisation's
    staff (agents, responsables, administrateurs), as for the residents."""
    return queryset.filter(staffed_structures_q(user))


def may_manage_structure(user, structure):
    return may_read_residents(user, structure)


def referring_organisations(user, commission):
    """The user's organisations in whose name an application to `commission` may be filed:
    those of its département, and its secretariat."""
    return _organisations(user).filter(Q(department_id=commission.department_id) | Q(pk=commission.secretariat_id))


def filing_commissions(user):
    """Commissions the user may file an application to (what the form offers)."""
    from toit.accommodation.models import AdmissionCommission

    organisations = _organisations(user)
    return AdmissionCommission.objects.filter(
        Q(department__in=organisations.filter(department__isnull=False).values("department"))
        | Q(secretariat__in=organisations.values("pk"))
    )


PROJECT_WRITER_KINDS = frozenset({OrganisationKind.STATE, OrganisationKind.LOCAL_AUTHORITY})


def project_departments(user):
    """Ids of the départements whose projects the user records (State services and local
    authorities of the département, nominative roles)."""
    return (
        _organisations(user)
        .filter(kind__in=PROJECT_WRITER_KINDS, department__isnull=False)
        .values_list("department_id", flat=True)
    )


def may_write_projects(user, department_id):
    return _organisations(user).filter(kind__in=PROJECT_WRITER_KINDS, department_id=department_id).exists()
