"""Who may see a link and decide on it. A link says that two records may be one person;
seeing it is seeing both records, so:

- a link is visible to a user who may read BOTH records (each source's own rule:
  toit.priority_access.access, toit.eviction.access), and to nobody else — not the
  observatory, not a member of one side only;
- deciding on a link (toit.linkage.review) requires seeing it, acting for one of one's own
  organisations;
- a link grants nothing: pages that follow links (a household's channels) show only the
  records the user could already read, and say nothing of the others, not even that they
  exist;
- launching a run reads every registered file of the département without showing it:
  responsables and administrateurs only (MAY_RUN_ROLES); the run's counts are aggregates.
"""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from toit.linkage import sources
from toit.organisations.enums import Role
from toit.organisations.perms import roles_of

MAY_RUN_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def _side_visible(user, side):
    clauses = [
        Q(**{f"{side}_source": source.code, f"{side}_pk__in": source.visible_pks(user)})
        for source in sources.all_sources()
    ]
    return reduce(or_, clauses, Q(pk__in=[]))


def visible_links(queryset, user):
    """RecordLink queryset narrowed, in SQL, to links whose two records the user may read."""
    if not user or not user.is_authenticated:
        return queryset.none()
    return queryset.filter(_side_visible(user, "left")).filter(_side_visible(user, "right"))


def visible_pks(user, source_code, pks):
    """The subset of `pks` of `source_code` the user may read (one query)."""
    return set(sources.get(source_code).visible_pks(user).filter(pk__in=pks).values_list("pk", flat=True))


def may_run(user):
    return bool(user and user.is_authenticated and roles_of(user) & MAY_RUN_ROLES)


def require_may_run(user):
    if not may_run(user):
        raise PermissionDenied(
            "Seuls les responsables et administrateurs d'une organisation partenaire peuvent lancer un rapprochement "
            "des fichiers."
        )
