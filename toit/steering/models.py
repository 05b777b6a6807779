"""Steering of the plan (sheets 4A and 4C): committee meetings, their agenda and decisions,
and the studies ordered from the observatory."""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.steering.enums import OPEN_DECISIONS, OPEN_ORDERS, ORDER_STEPS, CommitteeKind, DecisionStatus, OrderStatus
from toit.steering.storage import PrivateStorage


class MeetingQuerySet(models.QuerySet):
    def held_in(self, period, today=None):
        """Meetings whose date falls in the period and is past: a meeting planned for next
        month is not "held"."""
        today = today or datetime.date.today()
        return self.filter(date__gte=period.start, date__lte=min(period.end, today))


class Meeting(models.Model):
    plan = models.ForeignKey("plans.Plan", verbose_name="plan", on_delete=models.PROTECT, related_name="meetings")
    committee = models.CharField("instance", max_length=20, choices=CommitteeKind.choices)
    date = models.DateField("date")
    place = models.CharField("lieu", max_length=255)
    attending = models.ManyToManyField(
        "organisations.Organisation", verbose_name="organisations présentes", related_name="meetings", blank=True
    )
    summary = models.TextField("relevé de la réunion", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créée par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "réunion"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["plan", "date"])]

    def __str__(self):
        return f"{self.get_committee_display()} du {self.date:%d/%m/%Y}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField("point de l'ordre du jour", max_length=255)
    actions = models.ManyToManyField(
        "plans.Action", verbose_name="fiches actions concernées", related_name="agenda_items", blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "points de l'ordre du jour"
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title


class DecisionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_DECISIONS)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or datetime.date.today())


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name="point de l'ordre du jour", null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField("décision")
    responsible = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation chargée du suivi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField("échéance", null=True, blank=True)
    status = models.CharField("suivi", max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.TODO)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DecisionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision"
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DecisionStatus.values), name="decision_status_valid"),
        ]

    def __str__(self):
        return self.text[:80]

    def is_overdue(self, today):
        return bool(self.due_date and self.due_date < today and self.status in OPEN_DECISIONS)

    def clean(self):
        if self.due_date and self.meeting_id and self.due_date < self.meeting.date:
            raise ValidationError(
                {"due_date": "L'échéance précède la réunion qui a pris la décision : indiquez une date postérieure."}
            )
        if self.agenda_item_id and self.meeting_id and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": "Ce point appartient à l'ordre du jour d'une autre réunion."})


class StudyOrderQuerySet(models.QuerySet):
    def placed_in(self, period):
        return self.filter(ordered_on__gte=period.start, ordered_on__lte=period.end)

    def overdue(self, today):
        """Due and not delivered yet."""
        return self.filter(status__in=OPEN_ORDERS, due_date__lt=today)


class StudyOrder(models.Model):
    """An order (commande d'étude) placed with the observatory by the plan's bodies."""

    plan = models.ForeignKey("plans.Plan", verbose_name="plan", on_delete=models.PROTECT, related_name="study_orders")
    title = models.CharField("intitulé", max_length=255)
    question = models.TextField("question posée")
    requested_by = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation qui commande",
        on_delete=models.PROTECT,
        related_name="study_orders",
    )
    committee = models.CharField("instance qui commande", max_length=20, choices=CommitteeKind.choices, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="décidée lors de la réunion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="study_orders",
    )
    actions = models.ManyToManyField(
        "plans.Action", verbose_name="fiches actions concernées", related_name="study_orders", blank=True
    )
    ordered_on = models.DateField("date de la commande")
    due_date = models.DateField("échéance", null=True, blank=True)
    status = models.CharField("état", max_length=12, choices=OrderStatus.choices, default=OrderStatus.ORDERED)
    started_on = models.DateField("commencée le", null=True, blank=True)
    delivered_on = models.DateField("livrée le", null=True, blank=True)
    accepted_on = models.DateField("acceptée le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="saisie par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StudyOrderQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "commande d'étude"
        verbose_name_plural = "commandes d'étude"
        ordering = ["-ordered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=models.F("ordered_on")),
                name="study_order_due_after_order",
            ),
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="study_order_status_valid"),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today):
        return bool(self.due_date and self.due_date < today and self.status in OPEN_ORDERS)

    @property
    def next_step(self):
        """The status the order may move to next, or None once delivered and accepted or
        abandoned."""
        statuses = [status for status, _ in ORDER_STEPS]
        if self.status not in statuses or self.status == statuses[-1]:
            return None
        return statuses[statuses.index(self.status) + 1]

    def step_dates(self):
        return [(status.label, getattr(self, field)) for status, field in ORDER_STEPS]

    def clean(self):
        """Each step reached has its date, no step ahead has one, and the dates follow each
        other. An abandoned order keeps the dates of the steps it had reached."""
        statuses = [status for status, _ in ORDER_STEPS]
        errors = {}
        previous = None
        reached = statuses.index(self.status) if self.status in statuses else None
        for index, (status, field) in enumerate(ORDER_STEPS):
            value = getattr(self, field)
            label = self._meta.get_field(field).verbose_name
            if reached is not None and index <= reached and value is None:
                state = self.get_status_display().lower()
                errors[field] = f"La commande est « {state} » : indiquez la date « {label} »."
            elif reached is not None and index > reached and value is not None:
                errors[field] = (
                    f"La commande n'est pas encore « {status.label.lower()} » : effacez la date « {label} » "
                    "ou changez son état."
                )
            elif value and previous and value < previous[1]:
                errors[field] = (
                    f"« {label} » ({value:%d/%m/%Y}) précède « {previous[0]} » ({previous[1]:%d/%m/%Y}) : "
                    "corrigez l'une des deux dates."
                )
            if value:
                previous = (label, value)
        if errors:
            raise ValidationError(errors)


def _attachment_path(instance, filename):
    # A random name: the original one (kept in the row) may say too much and may collide.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"pilotage/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """Minutes of a meeting, or the deliverable of a study order."""

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    order = models.ForeignKey(StudyOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("fichier", storage=PrivateStorage(), upload_to=_attachment_path, max_length=255)
    original_name = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(meeting__isnull=False) & Q(order__isnull=True))
                | (Q(meeting__isnull=True) & Q(order__isnull=False)),
                name="attachment_one_parent",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def plan_id(self):
        return (self.meeting or self.order).plan_id
