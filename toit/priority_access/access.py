"""Who may see the nominative records of priority access (sheets 3A-3D). Every rule is
here, so that the security review reads one module.

=====================================  ===========================================================
What                                   Who
=====================================  ===========================================================
a nominative record (demand, DALO      members (agent, responsable, administrateur) of the
appeal, contingent proposal, démarche  organisation holding the partner's file it comes from
projet, sliding lease, MOUS follow-up) (`holder`): the register's manager for the demand, the
                                       commission's secretariat for DALO, the préfecture for its
                                       contingent, the conseil général for the démarche projet,
                                       the association for a sliding lease, the MOUS operator
a link between two records             who sees both records (toit.linkage.access); a link never
(toit.linkage)                         opens a record to anyone
ACD targets, charters and signatories, every signed-in user: no personal data
MOUS coverage, dated settings
observatory                            no record: metrics and the cross-matching counts only
superuser                              everything in the Django admin, nothing more elsewhere
=====================================  ===========================================================
"""

from django.core.exceptions import PermissionDenied

from toit.eviction.access import nominative_memberships


def visible_records(queryset, user):
    """Nominative records (any PersonRecord queryset) narrowed, in SQL, to the user's."""
    return queryset.filter(holder__in=nominative_memberships(user).values("organisation"))


def may_record_for(user, organisation):
    return nominative_memberships(user).filter(organisation=organisation).exists()


def require_may_record_for(user, organisation):
    if not may_record_for(user, organisation):
        raise PermissionDenied(
            f"Vous ne pouvez pas enregistrer ou corriger une fiche au nom de « {organisation} » : seuls ses agents, "
            "responsables et administrateurs le peuvent."
        )
