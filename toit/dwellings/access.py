"""Who may see and act on the dwelling register, its cases, owners and the PST (sheets 2A
to 2C). Every rule is here. The register is the pôle's observatoire nominatif: its members
only read it, each pôle defined per département (HousingPole, PoleMember), never one pôle
per instance.

=====================================  ===========================================================
What                                   Who
=====================================  ===========================================================
read dwellings, cases, owners, PST,    agents, responsables and administrateurs of an organisation
DPE of a département                   that is a current member of that département's pôle
                                       (PoleMember, since ≤ today ≤ until); a member limited to an
                                       EPCI or a commune (an EPCI, a communal hygiene service)
                                       reads the dwellings of that territory only
correct a record (with a reason),      the same, on what they read
decide a merge proposal
create a dwelling, open a case,        the same, on what they read; a new dwelling only in a
record a report, visit, qualification, commune of their territory (communes_q), its owner
act, works, rehousing, exit, DPE       among the owners they read (toit.dwellings.recording)
attach a DPE by an import (sheet 2C)   the organisation that imports, for what it reads as a member
                                       of the pôle, and a PST operator for the dwellings of its own
                                       PST list (never another dwelling: toit.imports.sinks.energy)
record or review a « bailleur          responsables and administrateurs of a member organisation
indélicat » decision                   for the whole département (not limited to a territory)
observatory role                       aggregates only (metrics), never a dwelling
anybody else                           nothing: 403 on the pages, 404 on a record
=====================================  ===========================================================
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from toit.eviction.access import nominative_memberships
from toit.organisations.enums import Role

DECIDING_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


@dataclass(frozen=True)
class Reach:
    """One current pôle membership of the user: a département, maybe one territory."""

    department_id: int
    epci_id: int | None
    commune_id: int | None
    organisation_id: int
    role: str

    @property
    def whole_department(self):
        return self.epci_id is None and self.commune_id is None


def reaches(user, today=None):
    """The user's current pôle memberships, remembered on the user for the request."""
    if not user or not user.is_authenticated:
        return ()
    from toit.dwellings.models import PoleMember

    today = today or timezone.localdate()
    cache = user.__dict__.setdefault("_toit_pole_reaches", {})
    if today in cache:
        return cache[today]
    roles = dict(nominative_memberships(user).values_list("organisation_id", "role"))
    members = (
        PoleMember.objects.filter(organisation_id__in=roles, since__lte=today)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .values_list("pole__department_id", "epci_id", "commune_id", "organisation_id")
    )
    found = tuple(Reach(d, e, c, o, roles[o]) for d, e, c, o in members)
    cache[today] = found
    return found


def may_read_register(user):
    return bool(reaches(user))


def dwelling_q(user, prefix="", today=None, organisation=None):
    """Q on Dwelling (or through `prefix`, e.g. "dwelling__") selecting what the user reads,
    through `organisation` only when given (what a file deposited on its behalf reaches)."""
    q = Q(pk__in=[])
    for reach in reaches(user, today):
        if organisation is not None and reach.organisation_id != organisation.pk:
            continue
        part = Q(**{f"{prefix}department_id": reach.department_id})
        if reach.epci_id is not None:
            part &= Q(**{f"{prefix}commune__epci_id": reach.epci_id})
        if reach.commune_id is not None:
            part &= Q(**{f"{prefix}commune_id": reach.commune_id})
        q |= part
    return q


def communes_q(user, today=None):
    """Q on Commune selecting where the user may register a dwelling: the territory of each
    current membership (the whole département, or its EPCI or commune)."""
    q = Q(pk__in=[])
    for reach in reaches(user, today):
        part = Q(department_id=reach.department_id)
        if reach.epci_id is not None:
            part &= Q(epci_id=reach.epci_id)
        if reach.commune_id is not None:
            part &= Q(pk=reach.commune_id)
        q |= part
    return q


def dpe_import_q(user, organisation, today=None):
    """Q on Dwelling: where a DPE file deposited by `user` on behalf of `organisation` may
    attach a DPE. A dwelling outside it is « unknown » to the file, whether it exists or not."""
    return dwelling_q(user, today=today, organisation=organisation) | Q(pst__operator=organisation)


def visible_dwellings(queryset, user, today=None):
    return queryset.filter(dwelling_q(user, today=today))


def visible_through_dwelling(queryset, user, path="dwelling"):
    return queryset.filter(dwelling_q(user, f"{path}__"))


def visible_owners(queryset, user):
    """Owners of a département the user reads whole, or owning a dwelling the user reads."""
    from toit.dwellings.models import Dwelling

    whole = [r.department_id for r in reaches(user) if r.whole_department]
    owns = Exists(Dwelling.objects.filter(dwelling_q(user), owner=OuterRef("pk")))
    return queryset.filter(Q(department_id__in=whole) | owns)


def departments_read(user):
    return sorted({r.department_id for r in reaches(user)})


def acting_organisation(user, department_id):
    """The organisation through which the user reads a département's register (the access
    log's « au titre de »): the first whole-département membership, else any."""
    found = sorted(
        (not r.whole_department, r.organisation_id) for r in reaches(user) if r.department_id == department_id
    )
    return found[0][1] if found else None


def may_decide_indelicacy(user, department_id):
    return any(
        r.department_id == department_id and r.whole_department and r.role in DECIDING_ROLES for r in reaches(user)
    )


def require_may_decide_indelicacy(user, department_id):
    if not may_decide_indelicacy(user, department_id):
        raise PermissionDenied(
            "Seuls les responsables et administrateurs d'un membre du pôle départemental de lutte contre l'habitat "
            "indigne, pour tout le département, enregistrent ou réexaminent une décision « bailleur indélicat »."
        )


def require_reads(user, dwelling):
    from toit.dwellings.models import Dwelling

    if not Dwelling.objects.visible_to(user).filter(pk=dwelling.pk).exists():
        raise PermissionDenied("Ce logement n'est pas dans le registre que vous pouvez lire.")
