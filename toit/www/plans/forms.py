from django import forms

from toit.eviction.corrections import REASON_LENGTH
from toit.metrics.enums import Periodicity
from toit.plans import measurements
from toit.www.forms import DsfrFormMixin


class MeasurementForm(DsfrFormMixin, forms.Form):
    period = forms.ChoiceField(label="Période")
    territory = forms.ChoiceField(label="Territoire", required=False)
    value = forms.CharField(label="Valeur", max_length=2000)
    base = forms.CharField(label="Effectif de base", required=False, max_length=20)
    source = forms.CharField(
        label="Source", max_length=255, help_text="Organisme, fichier ou rapport d'où vient la valeur."
    )
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicator, territories=None, **kwargs):
        self.indicator = indicator
        # One form per indicator on the action page: the prefix keeps their ids distinct.
        kwargs.setdefault("prefix", f"mesure-{indicator.code}")
        super().__init__(*args, **kwargs)
        plan = indicator.plan
        periods = plan.period.subperiods(indicator.periodicity)
        if indicator.periodicity == Periodicity.QUARTER:
            periods += plan.period.years()
        elif indicator.periodicity == Periodicity.YEAR:
            periods.append(plan.period)
        else:
            periods = [plan.period, *plan.period.years()]
        self.fields["period"].choices = [(p.code, p.label) for p in periods]
        self.territories = {t.code: t for t in (territories if territories is not None else plan.territories.all())}
        self.fields["territory"].choices = [("", "Tout le département")] + [
            (t.code, t.label) for t in self.territories.values()
        ]
        self.fields["value"].help_text = {
            "count": "Nombre entier.",
            "percent": "Pourcentage entre 0 et 100 (ex. 33 ou 33,5).",
            "ratio": "Nombre décimal (ex. 0,75).",
            "eur": "Montant en euros (ex. 42 000).",
            "days": "Nombre de jours.",
            "text": "Constat rédigé.",
        }[indicator.unit]
        if indicator.unit == "text":
            self.fields["value"].widget = forms.Textarea(attrs={"rows": 3})
            self.fields["value"].widget.attrs["class"] = "fr-input"
        ask_base(self, indicator)

    # The same checks as record_measurement, so a form shows every problem at once.
    def clean_value(self):
        return _checked_value(self.indicator, self.cleaned_data["value"])

    def clean(self):
        return _check_base(self, super().clean())

    def territory_object(self):
        code = self.cleaned_data.get("territory")
        return self.territories[code] if code else None


BASE_HELP = (
    "Nombre de ménages (ou de logements, de places…) sur lequel porte la valeur, un entier : "
    "par exemple, pour un taux de relogement, le nombre de ménages suivis. "
)


def ask_base(form, indicator):
    """The base is asked for a rate, an amount, a ratio or a duration only: a count is its
    own base. Its help says what happens without it."""
    if not measurements.needs_base(indicator):
        del form.fields["base"]
        return
    form.fields["base"].help_text = BASE_HELP + measurements.NO_BASE_WARNING
    form.fields["base"].widget.attrs["inputmode"] = "numeric"


def _checked_value(indicator, value):
    try:
        measurements.clean_value(indicator, value)
    except forms.ValidationError as exc:
        raise forms.ValidationError(exc.message_dict["value"]) from None
    return value


def _check_base(form, data):
    if "base" not in form.fields or "base" in form.errors:
        return data
    number = None
    if "value" in data:
        number, _ = measurements.clean_value(form.indicator, data["value"])
    try:
        measurements.clean_base(form.indicator, data.get("base"), number)
    except forms.ValidationError as exc:
        form.add_error("base", exc.message_dict["base"])
    return data


class MeasurementCorrectionForm(DsfrFormMixin, forms.Form):
    """Correct the value, base, source or comment of a measurement, with the reason."""

    value = forms.CharField(label="Valeur", max_length=2000)
    base = forms.CharField(label="Effectif de base", required=False, max_length=20)
    source = forms.CharField(label="Source", max_length=255)
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label="Motif de la correction",
        help_text="Obligatoire : il est gardé dans l'historique de la mesure avec les deux versions.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_LENGTH,
    )

    def __init__(self, *args, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        ask_base(self, indicator)

    def clean_value(self):
        return _checked_value(self.indicator, self.cleaned_data["value"])

    def clean(self):
        return _check_base(self, super().clean())


class MeasurementCancelForm(DsfrFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motif de la suppression",
        help_text="Obligatoire : la mesure reste dans son historique, avec ce motif.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_LENGTH,
    )
