"""Forms entering the register (toit.dwellings.recording). Each checks what it can show next to
a field; `submit()` calls the domain function, whose ValidationError (keyed by field) and
PermissionDenied join the form, and nothing is written."""

from django import forms

from toit.dwellings import access, recording
from toit.dwellings.enums import (
    ActKind,
    BuildingType,
    DpeStage,
    EnergyClass,
    ExitMode,
    Interdiction,
    OwnerKind,
    Qualification,
    RehousingKind,
    ReportSource,
    Sector,
    Tenure,
    WorksDoneBy,
)
from toit.dwellings.models import Dwelling, Owner
from toit.eviction.normalise import landlord_key
from toit.www.dates import DATE_HINT, FrenchDateField
from toit.www.eviction.forms import DomainFormMixin
from toit.www.forms import DsfrFormMixin

NEW_OWNER = "nouveau"
YES_NO = [("", "—"), ("1", "Oui"), ("0", "Non")]


def _date(label, required=True):
    return FrenchDateField(label=label, required=required, help_text=DATE_HINT)


def _choice(label, choices, required=True, empty="Choisissez"):
    return forms.ChoiceField(label=label, required=required, choices=[("", empty), *choices])


def _text(label, rows=3, required=False, max_length=5000):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


def _yes_no(label):
    return forms.TypedChoiceField(label=label, choices=YES_NO, coerce=lambda v: v == "1", empty_value=None)


class Form(DsfrFormMixin, DomainFormMixin, forms.Form):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class DwellingForm(Form):
    street_number = forms.CharField(label="Numéro", max_length=10, required=False)
    number_suffix = forms.ChoiceField(
        label="Indice de répétition", required=False, choices=Dwelling._meta.get_field("number_suffix").choices
    )
    street = forms.CharField(label="Voie", max_length=255, help_text="Ex. : boulevard du Général Leclerc")
    complement = forms.CharField(
        label="Complément (bâtiment, étage, porte)",
        max_length=255,
        required=False,
        help_text="Deux logements d'un immeuble se distinguent par leur complément.",
    )
    commune_code = forms.CharField(
        label="Commune (code INSEE)",
        max_length=5,
        min_length=5,
        help_text="Le code INSEE à cinq caractères, pas le code postal : 72181 pour Le Mans.",
    )
    ban_id = forms.CharField(label="Identifiant BAN", max_length=50, required=False)
    cadastral_ref = forms.CharField(label="Référence cadastrale", max_length=30, required=False)
    building_type = _choice("Type de bâti", BuildingType.choices)
    sector = forms.ChoiceField(label="Parc", choices=Sector.choices, initial=Sector.PRIVATE)
    tenure = _choice("Occupation", Tenure.choices)
    rooms = forms.IntegerField(label="Nombre de pièces", required=False, min_value=1, max_value=99)
    surface = forms.DecimalField(
        label="Surface habitable (m²)", required=False, min_value=1, max_digits=6, decimal_places=1
    )
    occupants = forms.IntegerField(label="Nombre d'occupants", required=False, min_value=0, max_value=99)
    owner_name = forms.CharField(
        label="Propriétaire (nom ou raison sociale)",
        max_length=255,
        required=False,
        help_text="Un propriétaire déjà connu du pôle sous ce nom vous est proposé.",
    )
    owner_kind = _choice("Nature du propriétaire", OwnerKind.choices, required=False)
    owner_contact = _text("Coordonnées du propriétaire", rows=2)
    owner_choice = forms.CharField(required=False, widget=forms.HiddenInput)
    create_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    duplicates = ()

    def clean_commune_code(self):
        code = self.cleaned_data["commune_code"].strip().upper()
        commune = recording.writable_communes(self.user).filter(insee_code=code).first()
        if commune is None:
            # The same answer for a code that does not exist and for a commune elsewhere.
            raise forms.ValidationError(f"« {code} » : {recording.OUTSIDE_TERRITORY}")
        self.commune = commune
        return code

    def clean(self):
        data = super().clean()
        if data.get("owner_name", "").strip() and not data.get("owner_kind"):
            self.add_error("owner_kind", "Dites si le propriétaire est une personne ou une société.")
        return data

    def _owner(self):
        """(existing owner, new owner dict); asks which owner is meant when the name is known."""
        data = self.cleaned_data
        name = data["owner_name"].strip()
        if not name:
            return None, None
        known = list(
            access.visible_owners(
                Owner.objects.filter(
                    department_id=self.commune.department_id, name_key=landlord_key(name), anonymised_at__isnull=True
                ),
                self.user,
            ).order_by("pk")
        )
        choice = data["owner_choice"]
        if choice == NEW_OWNER or not known:
            return None, {"kind": data["owner_kind"], "name": name, "contact": data["owner_contact"]}
        chosen = next((o for o in known if str(o.pk) == choice), None)
        if chosen is not None:
            return chosen, None
        self.fields["owner_choice"] = forms.ChoiceField(
            label="Propriétaire déjà connu",
            choices=[
                ("", "Choisissez"),
                *((str(o.pk), f"{o.name} ({o.get_kind_display().lower()})") for o in known),
                (NEW_OWNER, f"Un autre propriétaire, nommé « {name} »"),
            ],
            widget=forms.Select(attrs={"class": "fr-select"}),
        )
        raise forms.ValidationError(
            {
                "owner_choice": "Un propriétaire de ce nom est déjà connu du pôle : choisissez-le, "
                "ou dites qu'il s'agit d'un autre."
            }
        )

    def perform(self):
        data = self.cleaned_data
        owner, new_owner = self._owner()
        try:
            return recording.create_dwelling(
                user=self.user,
                commune=self.commune,
                street=data["street"],
                street_number=data["street_number"],
                number_suffix=data["number_suffix"],
                complement=data["complement"],
                ban_id=data["ban_id"],
                cadastral_ref=data["cadastral_ref"],
                building_type=data["building_type"],
                sector=data["sector"],
                tenure=data["tenure"],
                rooms=data["rooms"],
                surface=data["surface"],
                occupants=data["occupants"],
                owner=owner,
                new_owner=new_owner,
                create_anyway=data["create_anyway"],
            )
        except recording.DuplicateAddress as duplicate:
            self.duplicates = duplicate.dwellings
            self.fields["create_anyway"] = forms.BooleanField(
                label="C'est un autre logement : le créer quand même (une fusion sera proposée au pôle)",
                required=False,
            )
            raise


class CaseForm(Form):
    opened_on = _date("Signalement reçu le (ouverture du dossier)")
    source = _choice("Source du signalement", ReportSource.choices)
    disorders = _text("Désordres signalés")
    tenure = _choice("Occupation", Tenure.choices)
    occupied = forms.BooleanField(label="Logement occupé", required=False, initial=True)
    pole_reference = forms.CharField(label="Numéro de dossier du pôle", max_length=50, required=False)

    def __init__(self, *args, dwelling, **kwargs):
        self.dwelling = dwelling
        super().__init__(*args, **kwargs)
        self.fields["tenure"].initial = dwelling.tenure

    def perform(self):
        return recording.open_case(self.dwelling, user=self.user, **self.cleaned_data)


class CaseRecordForm(Form):
    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)


class ReportForm(CaseRecordForm):
    received_on = _date("Reçu le")
    source = _choice("Source", ReportSource.choices)
    disorders = _text("Désordres signalés")

    def perform(self):
        return recording.add_report(self.case, user=self.user, **self.cleaned_data)


class VisitForm(CaseRecordForm):
    visited_on = _date("Visité le")
    visitor = forms.CharField(label="Visiteur", max_length=255, required=False, help_text="Qui a visité.")
    findings = _text("Constats", rows=4)

    def perform(self):
        return recording.add_visit(self.case, user=self.user, **self.cleaned_data)


class QualificationForm(CaseRecordForm):
    kind = _choice("Qualification", Qualification.choices)
    qualified_on = _date("Qualifié le")
    note = _text("Observations")

    def perform(self):
        return recording.add_qualification(self.case, user=self.user, **self.cleaned_data)


class ActForm(CaseRecordForm):
    kind = _choice("Acte", ActKind.choices)
    signed_on = _date("Signé le")
    lifts = forms.ModelChoiceField(
        label="Arrêté levé (mainlevée seulement)", queryset=None, required=False, empty_label="—"
    )
    works_deadline = _date("Délai d'exécution des travaux", required=False)
    works = _text("Travaux prescrits", rows=4, max_length=5000)
    interdiction = forms.ChoiceField(label="Interdiction d'habiter", required=False, choices=Interdiction.choices)
    interdiction_until = _date("Interdiction jusqu'au (temporaire)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["works"].help_text = "Un par ligne, tous dus au délai d'exécution."
        self.fields["kind"].help_text = (
            "Le code en vigueur à la date de signature décide : avant le 1er janvier 2021, CSP (insalubrité) et CCH "
            "ancien (péril) ; depuis, police de la sécurité et de la salubrité (CCH L. 511-1 s.)."
        )
        self.fields["lifts"].queryset = self.case.acts.exclude(kind=ActKind.LIFTING).order_by("signed_on", "pk")

    def perform(self):
        return recording.add_act(self.case, user=self.user, **self.cleaned_data)


class WorkForm(Form):
    description = forms.CharField(label="Travaux prescrits", max_length=255)
    deadline = _date("À réaliser avant le")
    done_on = _date("Réalisés le", required=False)
    done_by = forms.ChoiceField(label="Réalisés", required=False, choices=[("", "—"), *WorksDoneBy.choices])
    cost = forms.DecimalField(label="Coût (€)", required=False, min_value=0, max_digits=10, decimal_places=2)

    def __init__(self, *args, act, **kwargs):
        self.act = act
        super().__init__(*args, **kwargs)
        if act.works_deadline:
            self.fields["deadline"].initial = act.works_deadline

    def perform(self):
        return recording.add_work(self.act, user=self.user, **self.cleaned_data)


class WorksDoneForm(Form):
    done_on = _date("Réalisés le")
    done_by = _choice("Réalisés", WorksDoneBy.choices)
    cost = forms.DecimalField(label="Coût (€)", required=False, min_value=0, max_digits=10, decimal_places=2)

    def __init__(self, *args, work, **kwargs):
        self.work = work
        super().__init__(*args, **kwargs)

    def perform(self):
        return recording.record_works_done(self.work, user=self.user, **self.cleaned_data)


class RehousingForm(CaseRecordForm):
    on = _date("Le")
    kind = _choice("Nature", RehousingKind.choices)
    persons = forms.IntegerField(label="Nombre de personnes", min_value=1, max_value=99, initial=1)

    def perform(self):
        return recording.add_rehousing(self.case, user=self.user, **self.cleaned_data)


class ExitForm(CaseRecordForm):
    exit_on = _date("Sorti de l'indignité le")
    exit_mode = _choice("Comment", ExitMode.choices)
    occupied_at_exit = _yes_no("Logement occupé à la sortie")
    occupants_kept = _yes_no("Occupants maintenus dans les lieux")

    def perform(self):
        return recording.record_exit(self.case, user=self.user, **self.cleaned_data)


class DpeForm(Form):
    stage = _choice("Avant ou après travaux", DpeStage.choices)
    made_on = _date("Établi le")
    energy_class = _choice("Étiquette énergie", EnergyClass.choices)
    kwh_per_m2_year = forms.IntegerField(label="Consommation (kWh/m²/an)", min_value=1, max_value=2000)

    def __init__(self, *args, dwelling, **kwargs):
        self.dwelling = dwelling
        super().__init__(*args, **kwargs)
        self.fields["made_on"].help_text = (
            f"{DATE_HINT} La méthode se déduit de la date : un DPE d'avant le 1er juillet 2021 ne se compare pas à un "
            "DPE établi depuis."
        )

    def perform(self):
        return recording.add_dpe(self.dwelling, user=self.user, **self.cleaned_data)
