"""Forms of the accommodation pages. Each validates what it can show next to a field, then
`submit()` calls the domain function of toit.accommodation.records, which decides: its
ValidationError (keyed by field) and PermissionDenied join the form, and nothing is written."""

from django import forms
from django.utils import timezone

from toit.accommodation import access, records
from toit.accommodation.enums import EntryOrigin, ExitDestination, ProjectStage
from toit.accommodation.models import Funding, Partnership, Project, Resident
from toit.eviction.corrections import REASON_LENGTH
from toit.organisations.models import Organisation
from toit.territory.models import Commune
from toit.utils.collation import FrenchChoiceIterator, french
from toit.www.dates import DATE_HINT, FrenchDateField
from toit.www.eviction.forms import DomainFormMixin, dsfr_formfield
from toit.www.forms import DsfrFormMixin

REASON_HELP = "Obligatoire. Il est gardé dans l'historique avec votre nom."


def _date(label, required=True, help_text=DATE_HINT):
    return FrenchDateField(label=label, required=required, help_text=help_text)


def _reason(label="Motif"):
    return forms.CharField(
        label=label, help_text=REASON_HELP, max_length=REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


def _not_after_today(value, what):
    today = timezone.localdate()
    if value and value > today:
        raise forms.ValidationError(
            f"{what} est à venir ({value:%d/%m/%Y}) : on l'enregistre le jour venu, pas avant le {today:%d/%m/%Y}."
        )
    return value


def _organisations_for(department):
    """Partners and promoters: the organisations of the département and the national bodies."""
    return Organisation.objects.for_department(department.code).filter(is_active=True).order_by(french("name"))


class Form(DsfrFormMixin, DomainFormMixin, forms.Form):
    pass


class EntryForm(Form):
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    birth_date = _date("Date de naissance", required=False)
    entry_on = _date("Date d'entrée")
    origin = forms.ChoiceField(
        label="Provenance", choices=[("", "Choisissez d'où vient la personne"), *EntryOrigin.choices]
    )

    def __init__(self, *args, structure, user, **kwargs):
        self.structure, self.user = structure, user
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].help_text = (
            "Avec elle, une personne déjà passée par la structure (même nom, prénom et date de naissance) est "
            "reconnue : son retour est compté comme tel. " + DATE_HINT
        )

    def clean_entry_on(self):
        entry_on = _not_after_today(self.cleaned_data["entry_on"], "La date d'entrée")
        # Here rather than in records.record_entry: partners' lists keep residents who were there
        # before a structure's recorded opening (a change of manager), and the import takes them.
        if entry_on < self.structure.opened_on:
            raise forms.ValidationError(
                f"La structure a ouvert le {self.structure.opened_on:%d/%m/%Y} : une entrée ne peut pas la précéder."
            )
        return entry_on

    def perform(self):
        data = self.cleaned_data
        # A name alone does not tell two people apart: without a birth date, a new resident.
        resident = None
        if data["birth_date"]:
            resident = Resident.objects.filter(
                structure=self.structure,
                last_name__iexact=data["last_name"].strip(),
                first_name__iexact=data["first_name"].strip(),
                birth_date=data["birth_date"],
            ).first()
        return records.record_entry(
            self.structure,
            self.user,
            last_name=data["last_name"].strip(),
            first_name=data["first_name"].strip(),
            birth_date=data["birth_date"],
            entry_on=data["entry_on"],
            origin=data["origin"],
            resident=resident,
        )


class ExitForm(Form):
    exit_on = _date("Date de sortie")
    destination = forms.ChoiceField(
        label="Destination à la sortie",
        choices=[("", "Choisissez où la personne est allée"), *ExitDestination.choices],
    )

    def __init__(self, *args, stay, user, **kwargs):
        self.stay, self.user = stay, user
        super().__init__(*args, **kwargs)

    def clean_exit_on(self):
        return _not_after_today(self.cleaned_data["exit_on"], "La date de sortie")

    def perform(self):
        return records.record_exit(self.stay, self.user, **self.cleaned_data)


class ResidentForm(Form):
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    birth_date = _date("Date de naissance", required=False)
    reason = _reason("Motif de la correction")

    def __init__(self, *args, resident, user, **kwargs):
        self.resident, self.user = resident, user
        kwargs.setdefault("initial", {f: getattr(resident, f) for f in records.IDENTITY_FIELDS})
        super().__init__(*args, **kwargs)

    def perform(self):
        values = dict(self.cleaned_data)
        return records.correct_resident(self.resident, self.user, values.pop("reason"), **values)


class ApplicantForm(Form):
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    birth_date = _date("Date de naissance", required=False)
    applied_on = _date("Date de la demande")
    dalo = forms.BooleanField(label="La commission de médiation DALO est saisie", required=False)
    reason = _reason("Motif de la correction")

    def __init__(self, *args, application, user, **kwargs):
        self.application, self.user = application, user
        kwargs.setdefault("initial", {f: getattr(application, f) for f in records.APPLICANT_FIELDS})
        super().__init__(*args, **kwargs)

    def perform(self):
        values = dict(self.cleaned_data)
        return records.correct_application(self.application, self.user, values.pop("reason"), **values)


class CapacityForm(Form):
    valid_from = _date("À partir du", help_text="Premier jour du nouveau nombre de places. " + DATE_HINT)
    # No minimum here: the domain's message says what a negative number means.
    places = forms.IntegerField(
        label="Nombre de places",
        help_text="Toutes les places de la structure à partir de cette date (0 pour une fermeture temporaire).",
    )
    reason = _reason("Motif du changement")

    def __init__(self, *args, structure, user, **kwargs):
        self.structure, self.user = structure, user
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = (
            "Par exemple « extension de 4 places, arrêté du 12/03/2010 ». " + self.fields["reason"].help_text
        )

    def perform(self):
        return records.change_capacity(self.structure, self.user, **self.cleaned_data)


class _StructureRecordForm(DsfrFormMixin, DomainFormMixin, forms.ModelForm):
    """A new record of a structure (no instance) or the correction of one (instance, with a
    reason): its partner or funder is an organisation of the structure's département."""

    organisation_field = ""
    record = correct = None  # the domain functions of records.py

    def __init__(self, *args, structure, user, **kwargs):
        self.structure, self.user = structure, user
        super().__init__(*args, **kwargs)
        self.fields[self.organisation_field].queryset = _organisations_for(structure.department)
        self.fields[self.organisation_field].iterator = FrenchChoiceIterator
        if self.instance.pk:
            # Added after DsfrFormMixin styled the others: its class is given here.
            self.fields["reason"] = _reason("Motif de la correction")
            self.fields["reason"].widget.attrs["class"] = "fr-input"

    def _post_clean(self):
        # The domain function validates the record as a whole.
        pass

    def perform(self):
        values = self.model_values()
        if self.instance.pk:
            return type(self).correct(self.instance, self.user, self.cleaned_data["reason"], **values)
        return type(self).record(self.structure, self.user, **values)


class PartnershipForm(_StructureRecordForm):
    organisation_field = "partner"
    record, correct = staticmethod(records.record_partnership), staticmethod(records.correct_partnership)

    class Meta:
        model = Partnership
        fields = list(records.PARTNERSHIP_FIELDS)
        formfield_callback = dsfr_formfield
        help_texts = {
            "partner": "Une organisation de Toit ; sinon, écrivez le nom du partenaire ci-dessous.",
            "ended_on": "Laissez vide tant que la convention est en vigueur. " + DATE_HINT,
        }


class FundingForm(_StructureRecordForm):
    organisation_field = "funder"
    record, correct = staticmethod(records.record_funding), staticmethod(records.correct_funding)

    class Meta:
        model = Funding
        fields = list(records.FUNDING_FIELDS)
        formfield_callback = dsfr_formfield
        help_texts = {
            "funder": "Une organisation de Toit ; sinon, écrivez le nom du financeur ci-dessous.",
            "amount": "En euros, par place, sur la base choisie (ex. 16 par place et par jour pour une maison relais).",
            "valid_until": "Premier jour sans ce financement ; laissez vide tant qu'il dure. " + DATE_HINT,
        }


class ProjectForm(DsfrFormMixin, DomainFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = list(records.PROJECT_FIELDS)
        formfield_callback = dsfr_formfield
        help_texts = {
            "promoter": "Une organisation de Toit ; sinon, écrivez le nom du porteur ci-dessous.",
            "spotted_on": "Le projet entre à l'étape « Repéré » à cette date. " + DATE_HINT,
        }

    def __init__(self, *args, department, user, **kwargs):
        self.department, self.user = department, user
        super().__init__(*args, **kwargs)
        self.fields["promoter"].queryset = _organisations_for(department)
        self.fields["promoter"].iterator = FrenchChoiceIterator
        self.fields["commune"].queryset = Commune.objects.filter(department=department).order_by(french("name"))
        self.fields["commune"].iterator = FrenchChoiceIterator

    def clean_spotted_on(self):
        return _not_after_today(self.cleaned_data["spotted_on"], "La date de repérage")

    def _post_clean(self):
        pass

    def perform(self):
        return records.create_project(self.department, self.user, **self.model_values())


class ProjectCorrectionForm(ProjectForm):
    """Every field of a project, its stage dates and its abandonment, with a reason."""

    class Meta(ProjectForm.Meta):
        fields = list(records.CORRECTABLE_PROJECT_FIELDS)
        help_texts = {
            **ProjectForm.Meta.help_texts,
            "abandoned_on": "Un projet abandonné quitte le tableau ; laissez vide sinon. " + DATE_HINT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Added after DsfrFormMixin styled the others: its class is given here.
        self.fields["reason"] = _reason("Motif de la correction")
        self.fields["reason"].widget.attrs["class"] = "fr-input"

    def perform(self):
        return records.correct_project(self.instance, self.user, self.cleaned_data["reason"], **self.model_values())


class AdvanceForm(Form):
    stage = forms.ChoiceField(label="Étape franchie", choices=ProjectStage.choices)
    on = _date("Date")

    def __init__(self, *args, project, user, **kwargs):
        self.project, self.user = project, user
        kwargs.setdefault("initial", {"stage": records.next_stage(project)})
        super().__init__(*args, **kwargs)

    def clean_on(self):
        return _not_after_today(self.cleaned_data["on"], "La date de l'étape")

    def perform(self):
        return records.advance_project(self.project, self.user, **self.cleaned_data)


class ApplicationForm(Form):
    commission = forms.ModelChoiceField(label="Commission", queryset=None, empty_label=None)
    referred_by = forms.ModelChoiceField(
        label="Au titre de",
        queryset=None,
        empty_label=None,
        help_text="L'organisation qui oriente la personne, parmi les vôtres du département de la commission.",
    )
    last_name = forms.CharField(label="Nom", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    birth_date = _date("Date de naissance", required=False)
    applied_on = _date("Date de la demande")
    dalo = forms.BooleanField(label="La commission de médiation DALO est saisie", required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = access.filing_commissions(user).order_by(french("name"))
        self.fields["referred_by"].queryset = access.staff_organisations(user).order_by(french("name"))

    def clean_applied_on(self):
        return _not_after_today(self.cleaned_data["applied_on"], "La date de la demande")

    def perform(self):
        values = dict(self.cleaned_data)
        commission = values.pop("commission")
        values["first_name"] = values["first_name"].strip()
        return records.file_application(commission, self.user, **values)
