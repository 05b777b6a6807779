from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from toit.eviction import access
from toit.eviction.enums import (
    AMOUNT_KINDS,
    AMOUNT_REQUIRED_KINDS,
    EventKind,
    JudgmentOutcome,
    SettlementMode,
    TruceGround,
)
from toit.eviction.wording import describe_act

# Which typed column each kind requires; a column not listed for a kind must stay empty.
REQUIRED_FIELDS = {
    EventKind.SUMMONS: ("hearing_date",),
    EventKind.JUDGMENT: ("judgment_outcome",),
    EventKind.DIAGNOSIS_DONE: ("complete",),
    EventKind.COMPENSATION: ("settlement_mode", "amount"),
    EventKind.OCCUPATION_INDEMNITY: ("amount",),
}
FIELD_KINDS = {
    "hearing_date": {EventKind.SUMMONS},
    "prefect_notified_on": {EventKind.SUMMONS},
    "judgment_outcome": {EventKind.JUDGMENT},
    "complete": {EventKind.DIAGNOSIS_DONE},
    "settlement_mode": {EventKind.COMPENSATION},
    "amount": set(AMOUNT_KINDS),
    "report": {EventKind.UNPAID_REPORTED},
    "diagnosis": {EventKind.DIAGNOSIS_REQUESTED, EventKind.DIAGNOSIS_DONE},
    "truce_ground": {EventKind.EVICTION},
}
# The optional columns add_event accepts as keyword arguments.
TYPED_FIELDS = frozenset(FIELD_KINDS) | {"note"}


def _labels(kinds):
    return ", ".join(sorted(EventKind(k).label.lower() for k in kinds))


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.visible_through_file(self, user)

    def in_period(self, period):
        return self.filter(date__gte=period.start, date__lte=period.end)

    def timeline(self):
        return self.select_related("organisation", "recorded_by").order_by("date", "pk")

    def states_by_file(self):
        """{file id: FileState} of these events' files (toit.eviction.timeline.state_of),
        read as the few columns the state needs rather than as events: a list of 20 files
        built some hundred Event instances for one label each."""
        from toit.eviction.chronology import Act
        from toit.eviction.timeline import state_of

        acts = {}
        for pk, file_id, kind, date, judgment_outcome in self.order_by().values_list(
            "pk", "file_id", "kind", "date", "judgment_outcome"
        ):
            act = Act(kind=kind, date=date, key=pk, judgment_outcome=judgment_outcome or "")
            acts.setdefault(file_id, []).append(act)
        return {file_id: state_of(file_acts) for file_id, file_acts in acts.items()}


class Event(models.Model):
    """One dated act or outcome of a file. Every kind lives in this one table with typed
    optional columns, so a timeline or a yearly count is a single-table scan; the
    constraints say which column each kind requires or forbids."""

    file = models.ForeignKey(
        "eviction.PreventionFile", verbose_name="dossier", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("événement", max_length=30, choices=EventKind.choices)
    date = models.DateField("date")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="enregistré au titre de",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)
    note = models.TextField("observations", blank=True)

    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    hearing_date = models.DateField("date d'audience", null=True, blank=True)
    prefect_notified_on = models.DateField("notifiée au préfet le", null=True, blank=True)
    judgment_outcome = models.CharField(
        "décision", max_length=20, choices=JudgmentOutcome.choices, blank=True, default=""
    )
    complete = models.BooleanField("diagnostic complet", null=True, blank=True)
    settlement_mode = models.CharField(
        "règlement", max_length=20, choices=SettlementMode.choices, blank=True, default=""
    )
    report = models.OneToOneField(
        "eviction.Report",
        verbose_name="signalement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event",
    )
    truce_ground = models.CharField(
        "motif d'exécution pendant la trêve",
        max_length=20,
        choices=TruceGround.choices,
        blank=True,
        default="",
        help_text="Seulement pour une expulsion exécutée pendant la trêve hivernale.",
    )
    diagnosis = models.ForeignKey(
        "eviction.SocialDiagnosis",
        verbose_name="diagnostic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )

    objects = EventQuerySet.as_manager()

    # Read by event (id) and by file (the file's history, retention): imports write one
    # historical row per event, so nothing else is indexed there.
    history = HistoricalRecords(no_db_index=["organisation", "recorded_by", "report", "diagnosis"])

    class Meta:
        verbose_name = "événement"
        ordering = ["file", "date", "pk"]
        indexes = [
            models.Index(fields=["kind", "date"], name="event_kind_date_idx"),
            models.Index(fields=["file", "date"], name="event_file_date_idx"),
            # The landing page's « recently updated files »: events newest first, read until
            # ten visible files are found (toit.www.landing.recent_files).
            models.Index(fields=["created_at", "id"], name="event_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values),
                name="event_kind_valid",
                violation_error_message="Type d'événement inconnu.",
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.SUMMONS, hearing_date__isnull=False)
                | (~Q(kind=EventKind.SUMMONS) & Q(hearing_date__isnull=True)),
                name="event_hearing_iff_summons",
                violation_error_message="Une assignation indique la date d'audience ; les autres événements non.",
            ),
            models.CheckConstraint(
                condition=Q(prefect_notified_on__isnull=True) | Q(kind=EventKind.SUMMONS),
                name="event_prefect_notice_only_summons",
                violation_error_message="Seule une assignation est notifiée au préfet.",
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.JUDGMENT, judgment_outcome__in=JudgmentOutcome.values)
                | (~Q(kind=EventKind.JUDGMENT) & Q(judgment_outcome="")),
                name="event_outcome_iff_judgment",
                violation_error_message="Un jugement indique sa décision ; les autres événements non.",
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.DIAGNOSIS_DONE, complete__isnull=False)
                | (~Q(kind=EventKind.DIAGNOSIS_DONE) & Q(complete__isnull=True)),
                name="event_complete_iff_diagnosis_done",
                violation_error_message="Un diagnostic réalisé indique s'il est complet ; les autres événements non.",
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.COMPENSATION, settlement_mode__in=SettlementMode.values)
                | (~Q(kind=EventKind.COMPENSATION) & Q(settlement_mode="")),
                name="event_mode_iff_compensation",
                violation_error_message="Une indemnisation est amiable ou contentieuse ; les autres événements non.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(kind__in=sorted(AMOUNT_KINDS), amount__gte=0),
                name="event_amount_allowed",
                violation_error_message=f"Seuls ces événements portent un montant positif : {_labels(AMOUNT_KINDS)}.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | ~Q(kind__in=sorted(AMOUNT_REQUIRED_KINDS)),
                name="event_amount_required",
                violation_error_message=f"Ces événements indiquent un montant : {_labels(AMOUNT_REQUIRED_KINDS)}.",
            ),
            models.CheckConstraint(
                condition=Q(hearing_date__isnull=True) | Q(hearing_date__gte=F("date")),
                name="event_hearing_after_summons",
                violation_error_message="L'audience ne peut pas précéder l'assignation.",
            ),
            models.CheckConstraint(
                condition=Q(prefect_notified_on__isnull=True) | Q(prefect_notified_on__gte=F("date")),
                name="event_notice_after_summons",
                violation_error_message="L'assignation ne peut pas être notifiée au préfet avant d'être délivrée.",
            ),
            models.CheckConstraint(
                condition=Q(truce_ground="") | Q(kind=EventKind.EVICTION, truce_ground__in=TruceGround.values),
                name="event_truce_ground_only_eviction",
                violation_error_message="Seule une expulsion porte un motif d'exécution pendant la trêve.",
            ),
            models.CheckConstraint(
                condition=Q(report__isnull=True) | Q(kind=EventKind.UNPAID_REPORTED),
                name="event_report_only_unpaid",
                violation_error_message="Seul un impayé signalé renvoie à un signalement.",
            ),
            models.CheckConstraint(
                condition=Q(diagnosis__isnull=True)
                | Q(kind__in=[EventKind.DIAGNOSIS_REQUESTED, EventKind.DIAGNOSIS_DONE]),
                name="event_diagnosis_only_diagnosis",
                violation_error_message="Seul un événement de diagnostic renvoie à un diagnostic.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"

    def describe(self):
        """ "l'assignation du 03/02/2010": how error messages name an event."""
        return describe_act(self.kind, self.date)

    def clean(self):
        """Field-level errors a form can show next to each input, before the constraints."""
        errors = {}
        kind = EventKind(self.kind) if self.kind in EventKind.values else None
        if kind is None:
            raise ValidationError({"kind": f"Type d'événement inconnu : « {self.kind} »."})
        for field in REQUIRED_FIELDS.get(kind, ()):
            if getattr(self, field) in (None, ""):
                label = self._meta.get_field(field).verbose_name
                errors[field] = f"{kind.label} : renseignez le champ « {label} »."
        for field, kinds in FIELD_KINDS.items():
            value = getattr(self, f"{field}_id" if field in ("report", "diagnosis") else field)
            if value not in (None, "") and kind not in kinds:
                label = self._meta.get_field(field).verbose_name
                errors[field] = (
                    f"Le champ « {label} » ne s'applique pas à l'événement « {kind.label} » : laissez-le vide."
                )
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "Le montant ne peut pas être négatif."
        if self.hearing_date and self.date and self.hearing_date < self.date:
            errors["hearing_date"] = (
                f"L'audience du {self.hearing_date:%d/%m/%Y} ne peut pas précéder "
                f"l'assignation du {self.date:%d/%m/%Y}."
            )
        if self.prefect_notified_on and self.date and self.prefect_notified_on < self.date:
            errors["prefect_notified_on"] = (
                f"La notification au préfet du {self.prefect_notified_on:%d/%m/%Y} ne peut pas précéder "
                f"l'assignation du {self.date:%d/%m/%Y}."
            )
        if errors:
            raise ValidationError(errors)
