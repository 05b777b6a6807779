"""Operations spanning several rows (a meeting and its attendance, an order and its
actions), each in one transaction with the acting user recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction

from toit.eviction.corrections import reason_within_length, require_reason
from toit.steering.enums import ORDER_STEPS, DecisionStatus, OrderStatus
from toit.steering.models import AgendaItem, Decision, Meeting, StudyOrder


def _reason(reason, what):
    return require_reason(reason, what, "il est gardé dans l'historique")


@transaction.atomic
def save_meeting(*, user, plan, data, attending, instance=None, reason=""):
    """A new meeting, or the correction of `instance` (any field, attendance included) with a
    reason kept in its history."""
    if instance:
        reason = _reason(reason, "de la correction")
        instance = Meeting.objects.select_for_update().get(pk=instance.pk)
    meeting = instance or Meeting(plan=plan, created_by=user)
    for name, value in data.items():
        setattr(meeting, name, value)
    meeting.full_clean(exclude=["created_by"])
    meeting._history_user = user
    meeting._change_reason = reason or None
    meeting.save()
    meeting.attending.set(attending)
    return meeting


@transaction.atomic
def add_agenda_item(*, user, meeting, title, actions):
    position = meeting.agenda_items.count()
    item = AgendaItem(meeting=meeting, title=title, position=position)
    item._history_user = user
    item.save()
    item.actions.set(actions)
    return item


@transaction.atomic
def correct_agenda_item(*, user, item, title, actions, reason):
    """The title or the action sheets of an agenda item, corrected with a reason kept in its
    history."""
    reason = _reason(reason, "de la correction")
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    item.title = title
    item.full_clean()
    item._history_user = user
    item._change_reason = reason
    item.save()
    item.actions.set(actions)
    return item


# What a decision's follow-up may change without a reason: its state (done, in progress).
# Anything else changed afterwards is a correction or a postponement, kept with its reason.
DECISION_CORRECTED_FIELDS = ("text", "agenda_item_id", "responsible_id", "due_date")


@transaction.atomic
def record_decision(*, user, meeting, data, instance=None, reason=""):
    """A new decision, or the follow-up or correction of `instance`: moving its due date,
    abandoning it or correcting its text, agenda item or body in charge needs a reason, kept
    in its history with both versions."""
    decision = instance or Decision(meeting=meeting)
    before = {name: getattr(decision, name) for name in (*DECISION_CORRECTED_FIELDS, "status")} if instance else None
    for name, value in data.items():
        setattr(decision, name, value)
    if before:
        corrected = any(getattr(decision, name) != before[name] for name in DECISION_CORRECTED_FIELDS)
        abandoned = decision.status == DecisionStatus.ABANDONED and before["status"] != DecisionStatus.ABANDONED
        if corrected or abandoned:
            reason = _reason(reason, "du report de l'échéance, de l'abandon ou de la correction")
    decision.full_clean()
    decision._history_user = user
    decision._change_reason = reason_within_length(reason) or None
    decision.save()
    return decision


@transaction.atomic
def save_order(*, user, plan, data, actions, instance=None, reason=""):
    """A new order (« commandée »), or the correction of `instance` with a reason: any field,
    its state and the dates of its steps included, checked together (StudyOrder.clean)."""
    if instance:
        reason = _reason(reason, "de la correction")
    order = instance or StudyOrder(plan=plan, created_by=user)
    for name, value in data.items():
        setattr(order, name, value)
    order.full_clean(exclude=["created_by"])
    order._history_user = user
    order._change_reason = reason or None
    order.save()
    order.actions.set(actions)
    return order


@transaction.atomic
def advance_order(*, user, order, status, on, today, reason=""):
    """Move `order` to its next step (commandée → en cours → livrée → acceptée) on date
    `on`, or abandon it (with a reason). A delivered order has its deliverable attached."""
    order = StudyOrder.objects.select_for_update().get(pk=order.pk)
    status = OrderStatus(status)
    if status == OrderStatus.ABANDONED:
        if order.status in (OrderStatus.ACCEPTED, OrderStatus.ABANDONED):
            raise ValidationError(f"Une commande « {order.get_status_display().lower()} » ne s'abandonne plus.")
        reason = _reason(reason, "de l'abandon")
    elif status != order.next_step:
        expected = order.next_step.label.lower() if order.next_step else None
        raise ValidationError(
            f"La commande est « {order.get_status_display().lower()} » : "
            + (f"son étape suivante est « {expected} »." if expected else "elle n'a plus d'étape suivante.")
            + " Pour revenir en arrière, corrigez-la avec un motif."
        )
    if on > today:
        raise ValidationError({"on": f"Le {on:%d/%m/%Y} est dans le futur : enregistrez l'étape une fois survenue."})
    field = dict(ORDER_STEPS).get(status)
    if field:
        if status == OrderStatus.DELIVERED and not order.attachments.exists():
            raise ValidationError("Déposez d'abord le livrable de l'étude : une commande livrée a son livrable.")
        setattr(order, field, on)
    order.status = status
    order.full_clean(exclude=["created_by"])
    order._history_user = user
    order._change_reason = reason_within_length(reason) or None
    order.save()
    return order
