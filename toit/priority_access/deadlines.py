"""The legal deadlines of many DALO appeals at once (toit.priority_access.rules), with the
size of each département's agglomeration read in one query."""

from collections import defaultdict

from toit.priority_access.enums import DaloDecision
from toit.priority_access.models import DaloAgglomeration
from toit.priority_access.rules import commission_deadline, rehousing_deadline


def large_agglomeration_lookup(department_ids):
    """department id -> function(day) -> bool (False when nothing is recorded)."""
    rows = defaultdict(list)
    for row in DaloAgglomeration.objects.filter(department__in=department_ids).order_by("since"):
        rows[row.department_id].append(row)

    def at(department_id, day):
        current = False
        for row in rows.get(department_id, ()):
            if row.since <= day:
                current = row.large_agglomeration
        return current

    return at


def awaiting_housing(appeal, day):
    """Whether the appeal still awaits housing on `day` (DaloAppealQuerySet.not_rehoused_on,
    for one appeal already read): neither rehoused nor ended without a rehousing by then."""
    return all(when is None or when > day for when in (appeal.rehoused_on, appeal.ended_on))


def with_deadlines(appeals, today):
    """Set commission_deadline, rehousing_deadline and overdue on each appeal (a list)."""
    large = large_agglomeration_lookup({a.department_id for a in appeals})
    for appeal in appeals:
        appeal.commission_deadline = commission_deadline(appeal.filed_on, large(appeal.department_id, appeal.filed_on))
        appeal.rehousing_deadline = None
        if appeal.decision == DaloDecision.PRIORITY and appeal.decided_on:
            appeal.rehousing_deadline = rehousing_deadline(
                appeal.decided_on, large(appeal.department_id, appeal.decided_on)
            )
        if appeal.decided_on is None:
            appeal.overdue = appeal.commission_deadline < today
        elif appeal.rehousing_deadline is not None and awaiting_housing(appeal, today):
            appeal.overdue = appeal.rehousing_deadline < today
        else:
            appeal.overdue = False
    return appeals
