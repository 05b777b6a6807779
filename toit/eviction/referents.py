"""Naming the référent of a file for one participating organisation: whom the file's
summary names and whom notifications go to (toit.notifications)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from toit.eviction import access
from toit.eviction.models import FileReferent


def name_referent(file, organisation, referent, user):
    """`user`, acting for `organisation` on `file`, names `referent` (one of the
    organisation's agents, responsables or administrateurs) its référent; it replaces the
    previous one."""
    with transaction.atomic():
        access.require_may_act(user, organisation, file)
        if not access.nominative_memberships(referent).filter(organisation=organisation).exists():
            raise ValidationError(
                {"referent": f"{referent} n'est pas agent, responsable ou administrateur de « {organisation} »."}
            )
        current = FileReferent.objects.filter(file=file, organisation=organisation).first()
        if current is None:
            current = FileReferent(file=file, organisation=organisation)
        current.user, current.named_by = referent, user
        current._history_user = user
        current.save()
    return current
