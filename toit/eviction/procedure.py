"""Recording the acts of the procedure. A form calls add_event and shows the
ValidationError it may raise (keyed by field: form.add_error(None, error))."""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from toit.eviction import access
from toit.eviction.chronology import NEW, Act, check_new_act
from toit.eviction.dates import early_date_errors
from toit.eviction.models import Event, PreventionFile, RepaymentPayment, RepaymentPlan
from toit.eviction.models.event import TYPED_FIELDS
from toit.eviction.procedure_state import EVENT_COLUMNS, plan_outcome, procedure_state
from toit.notifications.notify import notify_event

ACT_DATES = ("hearing_date", "prefect_notified_on")


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
        if errors := early_date_errors(today, date=date, **{n: fields.get(n) for n in ACT_DATES}):
            raise ValidationError(errors)  # before the order of the dates, which they would upset
        event.full_clean()
        existing = [Act.from_event(e) for e in file.events.all()]
        check_new_act(existing, Act.from_event(event, key=NEW), today)
        event.save()
        refresh_procedure_state(file)
        access.grant_after_event(event, user)
        notify_event(event, user)
    return event


def refresh_procedure_state(file):
    """Recompute the file's procedure state columns from its events and store them (one
    read, one write). Call it inside the transaction of every function that adds, corrects
    or removes an event: add_event does."""
    state = procedure_state(Event.objects.filter(file=file).values_list(*EVENT_COLUMNS))
    PreventionFile.objects.filter(pk=file.pk).update(**state.as_columns())
    for field, value in state.as_columns().items():
        setattr(file, field, value)
    return state


# Files whose events one query reads, and whose ids one UPDATE names, in refresh_procedure_states.
REFRESH_CHUNK = 500


def refresh_procedure_states(file_ids):
    """refresh_procedure_state for many files at once, the same pure function per file:
    their events read by chunks, then one UPDATE per distinct state (the files an import
    reaches mostly share theirs: « impayé signalé », last recorded now). One by one, two
    statements a file, the 1 985 files a 100 000-row import attached reports to took 5 s,
    more than the rest of the import (bench/imports.py); Django's bulk_update, a CASE per
    column and file, 0.6 s per 500 files, to build the statement."""
    file_ids = sorted(set(file_ids))
    for start in range(0, len(file_ids), REFRESH_CHUNK):
        chunk = file_ids[start : start + REFRESH_CHUNK]
        events = {pk: [] for pk in chunk}
        for file_id, *event in Event.objects.filter(file__in=chunk).order_by().values_list("file", *EVENT_COLUMNS):
            events[file_id].append(event)
        by_state = defaultdict(list)
        for pk in chunk:
            by_state[procedure_state(events[pk])].append(pk)
        for state, pks in by_state.items():
            PreventionFile.objects.filter(pk__in=pks).update(**state.as_columns())


def refresh_plan_state(plan):
    """Recompute the plan's outcome columns from its payments and store them. Call it
    inside the transaction of every function that sets up a plan or records, corrects or
    removes a payment: toit.eviction.followup does."""
    RepaymentPlan.objects.select_for_update().filter(pk=plan.pk).exists()  # two payments at once: one after the other
    payments = list(RepaymentPayment.objects.filter(plan=plan).values_list("date", "amount"))
    outcome = plan_outcome(
        plan.debt_amount,
        plan.instalment_amount,
        plan.instalment_count,
        plan.start_date,
        payments,
        settings.TOIT_REPAYMENT_MISSED_LIMIT,
    )
    RepaymentPlan.objects.filter(pk=plan.pk).update(**outcome.as_columns())
    for field, value in outcome.as_columns().items():
        setattr(plan, field, value)
    return outcome
