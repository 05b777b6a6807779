from django import forms

from toit.imports.jobs import importing_organisations
from toit.imports.mappings import choices
from toit.www.forms import DsfrFormMixin


class UploadForm(DsfrFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label="Au nom de", empty_label=None)
    source_kind = forms.ChoiceField(label="Type de fichier", choices=choices)
    file = forms.FileField(
        label="Fichier",
        help_text="CSV (UTF-8, Windows-1252 ou ISO-8859-1 ; séparateur point-virgule, virgule ou tabulation) ou "
        "classeur XLSX (première feuille). Rien n'est importé avant votre choix.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = importing_organisations(user)
        # The DSFR's file input, not a text input.
        self.fields["file"].widget.attrs["class"] = "fr-upload"
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.tsv,.xlsx"
