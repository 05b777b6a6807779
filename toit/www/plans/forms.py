from django import forms

from toit.metrics.enums import Periodicity
from toit.plans import measurements
from toit.www.forms import DsfrFormMixin


class MeasurementForm(DsfrFormMixin, forms.Form):
    period = forms.ChoiceField(label="Période")
    territory = forms.ChoiceField(label="Territoire", required=False)
    value = forms.CharField(label="Valeur", max_length=2000)
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

    # The same checks as record_measurement, so a form shows every problem at once.
    def clean_value(self):
        value = self.cleaned_data["value"]
        try:
            measurements.clean_value(self.indicator, value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["value"]) from None
        return value

    def territory_object(self):
        code = self.cleaned_data.get("territory")
        return self.territories[code] if code else None


class MeasurementCorrectionForm(DsfrFormMixin, forms.Form):
    """Correct the value, source or comment of a measurement, with the reason."""

    value = forms.CharField(label="Valeur", max_length=2000)
    source = forms.CharField(label="Source", max_length=255)
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label="Motif de la correction",
        help_text="Obligatoire : il est gardé dans l'historique de la mesure avec les deux versions.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
    )


class MeasurementCancelForm(DsfrFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motif de la suppression",
        help_text="Obligatoire : la mesure reste dans son historique, avec ce motif.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
    )
