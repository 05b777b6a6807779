from django import forms

from toit.eviction.corrections import REASON_LENGTH
from toit.plans.models import Action
from toit.steering.enums import CommitteeKind, DecisionStatus, OrderStatus
from toit.steering.models import Meeting
from toit.www.forms import DsfrFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _actions(plan):
    return Action.objects.filter(plan=plan).order_by("position")


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.title[:90]}"


class MeetingForm(DsfrFormMixin, forms.Form):
    committee = forms.ChoiceField(label="Instance", choices=CommitteeKind.choices)
    date = forms.DateField(label="Date", widget=DATE)
    place = forms.CharField(label="Lieu", max_length=255)
    attending = forms.ModelMultipleChoiceField(
        label="Organisations présentes",
        queryset=None,
        required=False,
        help_text="Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    summary = forms.CharField(label="Relevé de la réunion", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(
        label="Motif de la correction", max_length=REASON_LENGTH, help_text="Gardé dans l'historique."
    )

    def __init__(self, *args, organisations, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attending"].queryset = organisations
        if not correction:
            del self.fields["reason"]


class AgendaItemForm(DsfrFormMixin, forms.Form):
    title = forms.CharField(label="Point de l'ordre du jour", max_length=255)
    actions = ActionChoiceField(
        label="Fiches actions concernées", queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )

    def __init__(self, *args, plan, **kwargs):
        kwargs.setdefault("prefix", "point")
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = _actions(plan)


class AgendaItemCorrectionForm(AgendaItemForm):
    reason = forms.CharField(
        label="Motif de la correction", max_length=REASON_LENGTH, help_text="Gardé dans l'historique."
    )


class DecisionForm(DsfrFormMixin, forms.Form):
    agenda_item = forms.ModelChoiceField(label="Point de l'ordre du jour", queryset=None, required=False)
    text = forms.CharField(label="Décision", widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.ModelChoiceField(label="Organisation chargée du suivi", queryset=None, required=False)
    due_date = forms.DateField(label="Échéance", required=False, widget=DATE)
    status = forms.ChoiceField(label="Suivi", choices=DecisionStatus.choices)

    def __init__(self, *args, meeting, organisations, **kwargs):
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.fields["responsible"].queryset = organisations


REASON_HELP = "Gardé dans l'historique avec les deux versions."


class DecisionCorrectionForm(DecisionForm):
    reason = forms.CharField(label="Motif de la correction", max_length=REASON_LENGTH, help_text=REASON_HELP)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "correction")
        super().__init__(*args, **kwargs)


class DecisionFollowUpForm(DsfrFormMixin, forms.Form):
    status = forms.ChoiceField(label="Suivi", choices=DecisionStatus.choices)
    due_date = forms.DateField(label="Échéance", required=False, widget=DATE)
    reason = forms.CharField(
        label="Motif (pour reporter l'échéance ou abandonner)",
        required=False,
        max_length=REASON_LENGTH,
        help_text=REASON_HELP,
    )


class StudyOrderForm(DsfrFormMixin, forms.Form):
    title = forms.CharField(label="Intitulé", max_length=255)
    question = forms.CharField(label="Question posée à l'observatoire", widget=forms.Textarea(attrs={"rows": 4}))
    requested_by = forms.ModelChoiceField(label="Organisation qui commande", queryset=None)
    committee = forms.ChoiceField(
        label="Instance qui commande",
        choices=[("", "Aucune (commande directe)"), *CommitteeKind.choices],
        required=False,
    )
    meeting = forms.ModelChoiceField(label="Décidée lors de la réunion", queryset=None, required=False)
    actions = ActionChoiceField(
        label="Fiches actions concernées", queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    ordered_on = forms.DateField(label="Date de la commande", widget=DATE)
    due_date = forms.DateField(label="Échéance", required=False, widget=DATE)
    # A correction only: a new order is « commandée »; it then moves on with OrderStepForm.
    status = forms.ChoiceField(label="État", choices=OrderStatus.choices)
    started_on = forms.DateField(label="Commencée le", required=False, widget=DATE)
    delivered_on = forms.DateField(label="Livrée le", required=False, widget=DATE)
    accepted_on = forms.DateField(label="Acceptée le", required=False, widget=DATE)
    reason = forms.CharField(label="Motif de la correction", max_length=REASON_LENGTH, help_text=REASON_HELP)

    CORRECTION_ONLY = ("status", "started_on", "delivered_on", "accepted_on", "reason")

    def __init__(self, *args, plan, organisations, correction=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_by"].queryset = organisations
        self.fields["meeting"].queryset = Meeting.objects.filter(plan=plan)
        self.fields["actions"].queryset = _actions(plan)
        if not correction:
            for name in self.CORRECTION_ONLY:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("due_date") and data.get("ordered_on") and data["due_date"] < data["ordered_on"]:
            self.add_error("due_date", "L'échéance précède la commande : indiquez une date postérieure.")
        return data


class OrderStepForm(DsfrFormMixin, forms.Form):
    status = forms.ChoiceField(label="Nouvel état")
    on = forms.DateField(label="Date", widget=DATE)
    reason = forms.CharField(label="Motif (obligatoire pour un abandon)", required=False, max_length=REASON_LENGTH)

    def __init__(self, *args, order, **kwargs):
        kwargs.setdefault("prefix", "etape")
        super().__init__(*args, **kwargs)
        choices = [(order.next_step.value, order.next_step.label)] if order.next_step else []
        if order.status not in (OrderStatus.ACCEPTED, OrderStatus.ABANDONED):
            choices.append((OrderStatus.ABANDONED.value, OrderStatus.ABANDONED.label))
        self.fields["status"].choices = choices


class AttachmentForm(DsfrFormMixin, forms.Form):
    file = forms.FileField(
        label="Fichier",
        help_text="PDF ou document bureautique (ODT, ODS, DOCX, XLSX, DOC, XLS).",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "piece")
        super().__init__(*args, **kwargs)
