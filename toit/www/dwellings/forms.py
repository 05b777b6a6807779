from django import forms

from toit.dwellings.enums import Qualification, ReviewOutcome, Stage
from toit.eviction.corrections import REASON_LENGTH
from toit.www.forms import DsfrFormMixin
from toit.www.widgets import QuickSelect


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RegisterFilterForm(DsfrFormMixin, forms.Form):
    q = forms.CharField(label="Adresse", required=False, max_length=200, help_text="Ex. : 12 bis bd Leclerc")
    # 350 communes in a département: (id, label) pairs read in one query and written in
    # Python, not a model instance and a template render per option.
    commune = forms.TypedChoiceField(label="Commune", required=False, coerce=int, empty_value=None, widget=QuickSelect)
    qualification = forms.ChoiceField(
        label="Qualification", required=False, choices=[("", "Toutes"), *Qualification.choices]
    )
    stage = forms.ChoiceField(label="Étape", required=False, choices=[("", "Toutes"), *Stage.choices])

    def __init__(self, *args, communes, **kwargs):
        """`communes`: the communes the user may pick, as (id, name, INSEE code) rows."""
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", "Toutes"), *((pk, f"{name} ({code})") for pk, name, code in communes)]


class MergeDecisionForm(DsfrFormMixin, forms.Form):
    accept = forms.TypedChoiceField(
        label="Décision",
        choices=[("1", "C'est le même logement : fusionner"), ("0", "Ce sont deux logements distincts")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class IndelicacyForm(DsfrFormMixin, forms.Form):
    decided_on = forms.DateField(label="Date de la décision du pôle", widget=DateInput)
    grounds = forms.CharField(label="Motifs", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    review_due_on = forms.DateField(
        label="À réexaminer au plus tard le",
        widget=DateInput,
        required=False,
        help_text="Un an après la décision si vous ne dites rien.",
    )


class ReviewForm(DsfrFormMixin, forms.Form):
    reviewed_on = forms.DateField(label="Date du réexamen", widget=DateInput)
    outcome = forms.ChoiceField(label="Issue", choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    grounds = forms.CharField(label="Motifs", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    next_review_on = forms.DateField(label="Prochain réexamen (décision maintenue)", widget=DateInput, required=False)


def correction_form(model, fields):
    """A model form of the fields a person may correct, and the mandatory reason."""

    def formfield(db_field, **kwargs):
        if db_field.get_internal_type() == "DateField":
            kwargs["widget"] = DateInput
        if db_field.get_internal_type() == "TextField":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        return db_field.formfield(**kwargs)

    base = forms.modelform_factory(model, fields=fields, formfield_callback=formfield)

    class CorrectionForm(DsfrFormMixin, base):
        reason = forms.CharField(
            label="Motif de la correction",
            max_length=REASON_LENGTH,
            help_text="Gardé dans l'historique avec votre nom.",
        )

    return CorrectionForm


def add_errors(form, error):
    """A domain refusal shown in the form: a ValidationError next to its fields, a
    PermissionDenied above the form."""
    from django.core.exceptions import PermissionDenied

    from toit.www.eviction.forms import add_domain_errors

    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    else:
        add_domain_errors(form, error)
