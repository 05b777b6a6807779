"""Operations spanning several rows (a meeting and its attendance, an order and its
actions), each in one transaction with the acting user recorded."""

from django.db import transaction

from toit.steering.models import AgendaItem, Decision, Meeting, StudyOrder


@transaction.atomic
def save_meeting(*, user, plan, data, attending, instance=None):
    meeting = instance or Meeting(plan=plan, created_by=user)
    for name, value in data.items():
        setattr(meeting, name, value)
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    meeting.attending.set(attending)
    return meeting


@transaction.atomic
def add_agenda_item(*, user, meeting, title, actions):
    position = meeting.agenda_items.count()
    item = AgendaItem.objects.create(meeting=meeting, title=title, position=position)
    item.actions.set(actions)
    return item


@transaction.atomic
def record_decision(*, user, meeting, data, instance=None):
    decision = instance or Decision(meeting=meeting)
    for name, value in data.items():
        setattr(decision, name, value)
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def save_order(*, user, plan, data, actions, instance=None):
    order = instance or StudyOrder(plan=plan, created_by=user)
    for name, value in data.items():
        setattr(order, name, value)
    order.full_clean(exclude=["created_by"])
    order.save()
    order.actions.set(actions)
    return order
