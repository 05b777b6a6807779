"""Recording the acts of the procedure. A form calls add_event and shows the
ValidationError it may raise (keyed by field: form.add_error(None, error))."""

from django.db import transaction
from django.utils import timezone

from toit.eviction import access
from toit.eviction.chronology import NEW, Act, check_new_act
from toit.eviction.models import Event, PreventionFile
from toit.eviction.models.event import TYPED_FIELDS
from toit.notifications.notify import notify_event


def add_event(file, kind, date, user, organisation, *, today=None, **fields):
    """Record an event of `kind` on `date` in `file`, on behalf of `organisation`.

    `fields` are the typed columns the kind takes: amount, hearing_date,
    prefect_notified_on, judgment_outcome, complete, settlement_mode, report, diagnosis,
    note. Raises PermissionDenied when the user may not act for the organisation on this
    file, ValidationError when a field is missing or the procedure forbids the event at
    that date (naming the conflicting event). Nothing is written unless all passes; the
    préfecture joins the file from the assignation on (toit.eviction.access).
    """
    unknown = set(fields) - TYPED_FIELDS
    if unknown:
        raise TypeError(f"add_event() : champ(s) inconnu(s) {', '.join(sorted(unknown))}")
    today = today or timezone.localdate()
    with transaction.atomic():
        # Lock the file so that two concurrent additions are checked one after the other.
        file = PreventionFile.objects.select_for_update().get(pk=file.pk)
        access.require_may_act(user, organisation, file)
        event = Event(file=file, kind=kind, date=date, organisation=organisation, recorded_by=user, **fields)
        event.full_clean()
        existing = [Act.from_event(e) for e in file.events.all()]
        check_new_act(existing, Act.from_event(event, key=NEW), today)
        event.save()
        access.grant_after_event(event, user)
        notify_event(event, user)
    return event
