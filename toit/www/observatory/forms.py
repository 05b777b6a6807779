from django import forms

from toit.observatory.enums import ReportKind
from toit.www.forms import DsfrFormMixin
from toit.www.widgets import QuickSelect


class DashboardFilterForm(DsfrFormMixin, forms.Form):
    orientation = forms.ChoiceField(label="Orientation", required=False)
    organisation = forms.ChoiceField(label="Organisation responsable", required=False)
    # Some 370 territories (every commune): written without a template per option.
    territoire = forms.ChoiceField(label="Territoire", required=False, widget=QuickSelect)

    def __init__(self, *args, orientations, organisations, territories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orientation"].choices = [("", "Toutes")] + [(o.code, str(o)) for o in orientations]
        self.fields["organisation"].choices = [("", "Toutes")] + [(o.code, o.name) for o in organisations]
        groups = {}
        for territory in territories:
            groups.setdefault(territory.level, []).append((territory.slug, territory.label))
        labels = {"departement": "Département", "territoire_plan": "Territoires du plan", "epci": "EPCI"}
        self.fields["territoire"].choices = [(labels.get(level, "Communes"), items) for level, items in groups.items()]


class ComputeForm(DsfrFormMixin, forms.Form):
    period = forms.ChoiceField(label="Période", required=False)
    all_territories = forms.BooleanField(
        label="Aussi chaque EPCI et chaque commune", required=False, help_text="Plus long : à lancer après un import."
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        periods = [plan.period, *plan.period.years(), *plan.period.quarters()]
        self.fields["period"].choices = [("", "Toutes les périodes du plan")] + [(p.code, p.label) for p in periods]


class ReportForm(DsfrFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Rapport", choices=ReportKind.choices)
    period = forms.ChoiceField(label="Période")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        quarters = [(p.code, p.label) for p in plan.period.quarters()]
        years = [(p.code, p.label) for p in plan.period.years()]
        self.fields["period"].choices = [("Trimestres", quarters), ("Années", years)]
        self.fields["period"].help_text = "Un trimestre pour le suivi trimestriel, une année pour le suivi annuel."
