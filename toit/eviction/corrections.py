"""Correcting and cancelling what people recorded in a file: an event, the household and its
members, a follow-up record. People make mistakes; each function takes the acting user and
a mandatory reason, checks that the user may correct the record (toit.eviction.access:
the organisation that recorded it, or any participant for the shared household), re-runs
the checks of the first entry (constraints, dates in the future, the procedure's order in
toit.eviction.chronology), writes in one transaction and stores the reason as the change
reason of the historical row (django-simple-history keeps the former version).

« Cancel » deletes the row: its history keeps every version, with who cancelled it, when
and why, and the indicators stop counting it at their next computation. A whole file opened
by mistake is not deleted but marked cancelled (cancel_file, restore_file): it leaves the
queues, the search and the indicators and takes no new record until restored. Every function ends
with `after_change(file, user, reason, what)`, the one place that tells the rest of Toit
(notifications, the observatory's recomputation, and any state derived from the events).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from toit.eviction import access, lease
from toit.eviction.chronology import NEW, Act, check_new_act, check_removal
from toit.eviction.enums import EventKind
from toit.eviction.models import (
    ContactAttempt,
    Event,
    FslDecision,
    HomeownerDifficulty,
    Household,
    HouseholdMember,
    OverIndebtednessCase,
    PreventionFile,
    RepaymentPayment,
    RepaymentPlan,
    SocialDiagnosis,
)

MIN_REASON = 5
# The longest reason a correction form takes; the change history keeps it whole, as text
# (SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD).
REASON_LENGTH = 500

# The event columns a person may correct (the kind is not one: cancel and record the right
# event instead; a report or a diagnosis is linked by Toit, never typed).
EVENT_FIELDS = frozenset(
    {"date", "amount", "hearing_date", "prefect_notified_on", "judgment_outcome", "complete", "settlement_mode", "note"}
)
DIAGNOSIS_KINDS = frozenset({EventKind.DIAGNOSIS_REQUESTED, EventKind.DIAGNOSIS_DONE})

HOUSEHOLD_FIELDS = frozenset(
    {
        "street",
        "address_complement",
        "commune",
        "sector",
        "social_landlord",
        "private_landlord",
        "monthly_resources",
        "housing_benefit",
        "third_party_payment",
        "third_party_payment_since",
        "phone",
        "email",
        "privacy_notice_given_on",
    }
)
MEMBER_FIELDS = frozenset({"last_name", "first_name", "birth_name", "birth_date", "relationship"})
LEASE_FIELDS = frozenset(lease.FIELDS)


class FollowupSpec:
    """How a kind of follow-up record is corrected: who recorded it, what may change, which
    dates may not be in the future."""

    def __init__(self, organisation, fields, dates):
        self.organisation, self.fields, self.dates = organisation, frozenset(fields), tuple(dates)


FOLLOWUP = {
    ContactAttempt: FollowupSpec("organisation", ["date", "channel", "outcome", "note"], ["date"]),
    SocialDiagnosis: FollowupSpec(
        "requested_by", ["requested_on", "done_on", "complete", "orientation"], ["requested_on", "done_on"]
    ),
    RepaymentPlan: FollowupSpec(
        "organisation", ["kind", "debt_amount", "start_date", "instalment_amount", "instalment_count", "note"], []
    ),
    RepaymentPayment: FollowupSpec("plan.organisation", ["date", "amount"], ["date"]),
    FslDecision: FollowupSpec(
        "organisation",
        ["purpose", "result", "decided_on", "under_guarantee", "aid_form", "amount"],
        ["decided_on"],
    ),
    OverIndebtednessCase: FollowupSpec(
        "organisation",
        ["filed_on", "admissibility_on", "admissible", "measures_on", "measures", "debt_cleared_on"],
        ["filed_on", "admissibility_on", "measures_on", "debt_cleared_on"],
    ),
    HomeownerDifficulty: FollowupSpec(
        "organisation", ["source", "reported_on", "lender_name", "arrears_amount", "note"], ["reported_on"]
    ),
}


def require_reason(
    reason, what="de la correction", kept="il est gardé dans l'historique du dossier avec les deux versions"
):
    """The reason a person gives for changing a record, in every domain: MIN_REASON
    characters at least, REASON_LENGTH at most. `what` and `kept` say, in French, what the
    reason is for and where it goes."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": f"Indiquez le motif {what} ({MIN_REASON} caractères au moins) : {kept}."})
    return reason_within_length(reason)


def reason_within_length(reason):
    """A reason (optional or required), refused rather than cut when too long: histories
    keep what the person wrote, whole."""
    reason = (reason or "").strip()
    if len(reason) > REASON_LENGTH:
        raise ValidationError(
            {"reason": f"Motif trop long : {len(reason)} caractères pour {REASON_LENGTH} au plus. Raccourcissez-le."}
        )
    return reason


def _unknown(changes, allowed, function):
    if unknown := set(changes) - allowed:
        raise TypeError(f"{function}() : champ(s) non modifiable(s) {', '.join(sorted(unknown))}")


def _apply(instance, changes):
    """Set the changes; raise when none differs from what is stored."""
    changed = False
    for name, value in changes.items():
        attname = instance._meta.get_field(name).attname
        current = getattr(instance, attname)
        new = value.pk if hasattr(value, "pk") and attname != name else value
        if current != new:
            changed = True
            setattr(instance, name, value)
    if not changed:
        raise ValidationError("Aucune modification : les valeurs saisies sont celles déjà enregistrées.")


def _not_future(instance, today, fields):
    errors = {}
    for name in fields:
        value = getattr(instance, name)
        if value and value > today:
            label = instance._meta.get_field(name).verbose_name
            errors[name] = f"« {label} » ({value:%d/%m/%Y}) est dans le futur : enregistrez-le une fois survenu."
    if errors:
        raise ValidationError(errors)


def _save(instance, user, reason):
    instance._history_user = user
    instance._change_reason = reason
    instance.save()


def _delete(instance, user, reason):
    instance._history_user = user
    instance._change_reason = reason
    instance.delete()


def _lock(file, *, live=True):
    file = PreventionFile.objects.select_for_update().get(pk=file.pk)
    if live:
        access.require_live(file)
    return file


def after_change(file, user, reason, what):
    """Everything that follows a correction or a cancellation, once committed: the
    référents of the file are told and the observatory recomputes. A state derived from
    the events (e.g. a stored procedure stage) is refreshed here too."""
    from toit.eviction.procedure import refresh_procedure_state
    from toit.notifications.notify import notify_correction

    # The procedure state columns the queues read (toit.eviction.procedure_state) follow the
    # corrected events in the same transaction.
    refresh_procedure_state(file)
    notify_correction(file, user, reason, what)
    department = file.household.commune.department.code
    transaction.on_commit(
        lambda: _recompute(f"Correction dans le dossier {file.reference} : {what}"[:255], user, department)
    )


def _recompute(reason, user, department_code):
    from toit.observatory.runs import data_changed

    data_changed(reason, user=user, department_codes=[department_code])


# Events -------------------------------------------------------------------------------


def _editable_event(event):
    if event.kind in DIAGNOSIS_KINDS:
        raise ValidationError(
            "Cet événement suit le diagnostic social et financier : corrigez ou annulez le diagnostic lui-même "
            "(partie « Accompagnement » du dossier)."
        )


def correct_event(event, user, reason, *, today=None, **changes):
    """Correct the columns of an event (see EVENT_FIELDS). The corrected event must pass
    every check of a new one against the other events of the file."""
    _unknown(changes, EVENT_FIELDS, "correct_event")
    today = today or timezone.localdate()
    with transaction.atomic():
        file = _lock(event.file)
        event = Event.objects.select_for_update().get(pk=event.pk)
        access.require_may_correct(user, event.organisation, file)
        reason = require_reason(reason)
        _editable_event(event)
        before = event.describe()
        _apply(event, changes)
        event.full_clean()
        others = [Act.from_event(e) for e in file.events.exclude(pk=event.pk)]
        check_new_act(others, Act.from_event(event, key=NEW), today)
        _save(event, user, reason)
        after_change(file, user, reason, f"{before} corrigé{'e' if _feminine(event) else ''}")
    return event


def cancel_event(event, user, reason):
    """Cancel an event recorded by mistake; refused when another event rests on it (a
    judgment on its assignation…), naming that event."""
    with transaction.atomic():
        file = _lock(event.file)
        event = Event.objects.select_for_update().get(pk=event.pk)
        access.require_may_correct(user, event.organisation, file)
        reason = require_reason(reason)
        _editable_event(event)
        check_removal([Act.from_event(e) for e in file.events.all()], event.pk)
        what = f"{event.describe()} annulé{'e' if _feminine(event) else ''}"
        _delete(event, user, reason)
        after_change(file, user, reason, what)


def _feminine(event):
    from toit.eviction.chronology import _e

    return bool(_e(Act.from_event(event)))


# Household and members -------------------------------------------------------------------


def _household_file(household, file):
    if file.household_id != household.pk:
        raise PermissionDenied("Ce ménage n'est pas celui du dossier.")


def correct_household(household, user, reason, *, file, **changes):
    """Correct the household of `file` (address, landlord, resources, contact details). Its
    data is shared by the file's participants: any of them may correct it."""
    _unknown(changes, HOUSEHOLD_FIELDS, "correct_household")
    with transaction.atomic():
        file = _lock(file)
        _household_file(household, file)
        access.require_may_correct(user, None, file)
        reason = require_reason(reason)
        household = Household.objects.select_for_update().get(pk=household.pk)
        if household.anonymised_at:
            raise ValidationError("Ce ménage est anonymisé : il ne se corrige plus.")
        _apply(household, changes)
        household.full_clean()
        _save(household, user, reason)
        after_change(file, user, reason, "ménage corrigé")
    return household


def correct_member(member, user, reason, *, file, today=None, **changes):
    _unknown(changes, MEMBER_FIELDS, "correct_member")
    with transaction.atomic():
        file = _lock(file)
        _household_file(member.household, file)
        access.require_may_correct(user, None, file)
        reason = require_reason(reason)
        member = HouseholdMember.objects.select_for_update().get(pk=member.pk)
        _apply(member, changes)
        member.full_clean()
        _not_future(member, today or timezone.localdate(), ["birth_date"])
        _save(member, user, reason)
        after_change(file, user, reason, f"membre du ménage « {member} » corrigé")
    return member


def add_member(household, user, reason, *, file, today=None, **values):
    _unknown(values, MEMBER_FIELDS, "add_member")
    with transaction.atomic():
        file = _lock(file)
        _household_file(household, file)
        access.require_may_correct(user, None, file)
        reason = require_reason(reason)
        # By id: the caller's household object may predate a move to another commune, and the
        # member copies the household's département as stored (HouseholdMember.refresh_keys).
        member = HouseholdMember(household_id=household.pk, **values)
        member.full_clean()
        _not_future(member, today or timezone.localdate(), ["birth_date"])
        _save(member, user, reason)
        after_change(file, user, reason, f"membre du ménage « {member} » ajouté")
    return member


def cancel_member(member, user, reason, *, file):
    """Remove a member entered by mistake; a household keeps at least one person."""
    with transaction.atomic():
        file = _lock(file)
        _household_file(member.household, file)
        access.require_may_correct(user, None, file)
        reason = require_reason(reason)
        if not HouseholdMember.objects.filter(household=member.household_id).exclude(pk=member.pk).exists():
            raise ValidationError(
                "C'est la seule personne du ménage : corrigez-la plutôt que de la retirer (un ménage compte au "
                "moins une personne)."
            )
        what = f"membre du ménage « {member} » retiré"
        _delete(member, user, reason)
        after_change(file, user, reason, what)


# The lease -----------------------------------------------------------------------------------


def correct_lease(file, user, reason, *, today=None, **changes):
    """Correct the lease of `file` (see toit.eviction.lease: signature date, landlord kind,
    monthly rent), by a member of any participant, with a reason kept in the file's
    history. They choose the delay of the commandement de payer and the CCAPEX alerts,
    which are computed when the file is read; the procedure state columns do not depend
    on them (after_change refreshes them all the same)."""
    _unknown(changes, LEASE_FIELDS, "correct_lease")
    today = today or timezone.localdate()
    with transaction.atomic():
        file = _lock(file)
        access.require_may_correct(user, None, file)
        reason = require_reason(reason)
        if "landlord_kind" in changes and changes["landlord_kind"] is None:
            changes["landlord_kind"] = ""
        values = {name: changes.get(name, getattr(file, name)) for name in lease.FIELDS}
        if errors := lease.lease_errors(today=today, **values):
            raise ValidationError(errors)
        _apply(file, changes)
        file.full_clean(exclude=["household", "opened_by", "created_by"])
        _save(file, user, reason)
        after_change(file, user, reason, "bail corrigé")
    return file


# Follow-up records -----------------------------------------------------------------------


def _file_of(record):
    return record.plan.file if isinstance(record, RepaymentPayment) else record.file


def _recorded_by(record, spec):
    value = record
    for part in spec.organisation.split("."):
        value = getattr(value, part)
    return value


def _spec(record):
    spec = FOLLOWUP.get(type(record))
    if spec is None:
        raise TypeError(f"{type(record).__name__} n'est pas un enregistrement d'accompagnement.")
    return spec


def _sync_diagnosis_events(diagnosis, user, reason):
    """The diagnosis's events follow its dates (metrics and alerts read the events)."""
    for event in diagnosis.events.select_for_update():
        if event.kind == EventKind.DIAGNOSIS_REQUESTED:
            changes = {"date": diagnosis.requested_on}
        else:
            changes = {"date": diagnosis.done_on, "complete": diagnosis.complete}
        if any(getattr(event, k) != v for k, v in changes.items()):
            for name, value in changes.items():
                setattr(event, name, value)
            _save(event, user, reason)


def _refresh_plan(record):
    """A repayment plan's stored outcome (respected, behind, broken) follows its corrected
    terms or payments (toit.eviction.procedure.refresh_plan_state)."""
    from toit.eviction.procedure import refresh_plan_state

    if isinstance(record, RepaymentPlan):
        refresh_plan_state(record)
    elif isinstance(record, RepaymentPayment):
        refresh_plan_state(record.plan)


def correct_followup(record, user, reason, *, today=None, **changes):
    """Correct a follow-up record (contact, diagnosis, repayment plan or payment, FSL
    decision, overindebtedness case, homeowner difficulty) by the organisation that
    recorded it."""
    spec = _spec(record)
    _unknown(changes, spec.fields, "correct_followup")
    today = today or timezone.localdate()
    model = type(record)
    with transaction.atomic():
        file = _lock(_file_of(record))
        record = model.objects.select_for_update().get(pk=record.pk)
        organisation = _recorded_by(record, spec)
        if isinstance(record, SocialDiagnosis) and record.done_by_id and not access.may_act(user, organisation, file):
            organisation = record.done_by
        access.require_may_correct(user, organisation, file)
        reason = require_reason(reason)
        _apply(record, changes)
        record.full_clean()
        _not_future(record, today, spec.dates)
        _save(record, user, reason)
        if isinstance(record, SocialDiagnosis):
            if record.done_on is None and record.events.filter(kind=EventKind.DIAGNOSIS_DONE).exists():
                raise ValidationError(
                    {"done_on": "Ce diagnostic est réalisé : indiquez sa date (ou annulez le diagnostic)."}
                )
            _sync_diagnosis_events(record, user, reason)
        _refresh_plan(record)
        after_change(file, user, reason, f"{model._meta.verbose_name} « {record} » corrigé")
    return record


def cancel_followup(record, user, reason):
    """Cancel a follow-up record entered by mistake (a plan with its payments, a diagnosis
    with its events)."""
    spec = _spec(record)
    model = type(record)
    with transaction.atomic():
        file = _lock(_file_of(record))
        record = model.objects.select_for_update().get(pk=record.pk)
        access.require_may_correct(user, _recorded_by(record, spec), file)
        reason = require_reason(reason)
        what = f"{model._meta.verbose_name} « {record} » annulé"
        if isinstance(record, RepaymentPlan):
            for payment in record.payments.all():
                _delete(payment, user, reason)
        if isinstance(record, SocialDiagnosis):
            for event in record.events.all():
                _delete(event, user, reason)
        _delete(record, user, reason)
        if isinstance(record, RepaymentPayment):
            _refresh_plan(record)
        after_change(file, user, reason, what)


# The whole file -----------------------------------------------------------------------------


def require_may_cancel_file(user, file):
    """Cancelling or restoring a file is for the organisation that opened it: one of its
    agents, responsables or administrateurs, while it takes part in the file."""
    if not access.may_act(user, file.opened_by, file):
        raise PermissionDenied(
            f"Seuls les agents, responsables et administrateurs de « {file.opened_by} », qui a ouvert le dossier "
            f"{file.reference}, peuvent l'annuler ou le rétablir. Demandez-le-leur."
        )


def cancel_file(file, user, reason):
    """Cancel a file opened by mistake (a duplicate, the wrong household). Nothing is
    deleted: the file keeps its records and its history (who, when, why), leaves the work
    queues, the search (but for its exact reference), the lists and the indicators, and no
    longer takes new records or corrections until it is restored (restore_file)."""
    with transaction.atomic():
        file = _lock(file, live=False)
        require_may_cancel_file(user, file)
        if file.cancelled_at:
            raise ValidationError(f"Le dossier {file.reference} est déjà annulé.")
        reason = require_reason(reason)
        file.cancelled_at = timezone.now()
        file.cancelled_by = user
        file.cancellation_reason = reason
        _save(file, user, reason)
        after_change(file, user, reason, "dossier annulé")
    return file


def restore_file(file, user, reason):
    """Restore a file cancelled by mistake: it counts again everywhere, as before."""
    with transaction.atomic():
        file = _lock(file, live=False)
        require_may_cancel_file(user, file)
        if not file.cancelled_at:
            raise ValidationError(f"Le dossier {file.reference} n'est pas annulé : il n'y a rien à rétablir.")
        reason = require_reason(reason)
        file.cancelled_at = None
        file.cancelled_by = None
        file.cancellation_reason = ""
        _save(file, user, reason)
        after_change(file, user, reason, "dossier rétabli")
    return file
