"""Forms of the eviction-prevention pages. Each one validates what it can show next to a
field, then `submit()` calls the domain function, which decides: its ValidationError (keyed
by field) and PermissionDenied join the form, and nothing is written."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from toit.eviction import access, followup, intake, lease
from toit.eviction.corrections import REASON_LENGTH
from toit.eviction.enums import AMOUNT_REQUIRED_KINDS, EventKind, JudgmentOutcome, SettlementMode, Stage, TruceGround
from toit.eviction.models import (
    ContactAttempt,
    FslDecision,
    HomeownerDifficulty,
    Household,
    OverIndebtednessCase,
    RepaymentPayment,
    RepaymentPlan,
    Report,
)
from toit.eviction.models.event import FIELD_KINDS
from toit.eviction.procedure import add_event
from toit.organisations.models import Organisation
from toit.territory.models import Commune
from toit.utils.collation import FrenchChoiceIterator, french
from toit.www.dates import DATE_HINT, FrenchDateField, FrenchDateInput
from toit.www.forms import DsfrFormMixin
from toit.www.widgets import QuickSelect

MONEY_HINT = "En euros, par exemple 1200,50."


def date_field(label, required=True, help_text=DATE_HINT):
    return FrenchDateField(label=label, required=required, help_text=help_text)


def money_field(label, required=True, help_text=MONEY_HINT):
    return forms.DecimalField(
        label=label, required=required, help_text=help_text, max_digits=12, decimal_places=2, localize=True
    )


def dsfr_formfield(db_field, **kwargs):
    """Model fields as the pages want them: date pickers, amounts typed the French way."""
    if isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", FrenchDateField)
        kwargs.setdefault("widget", FrenchDateInput)
        kwargs.setdefault("help_text", db_field.help_text or DATE_HINT)
    if isinstance(db_field, models.DecimalField):
        kwargs.update(localize=True)
        kwargs.setdefault("help_text", db_field.help_text or MONEY_HINT)
    if isinstance(db_field, models.TextField):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
    return db_field.formfield(**kwargs)


def add_domain_errors(form, error):
    """A domain ValidationError next to the fields it names (the others above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class DomainFormMixin:
    """Subclasses define perform(), which calls their domain function."""

    result = None

    def model_values(self):
        """The cleaned values of a model form's own fields, as the domain function takes them."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def submit(self):
        """Validate, then call the domain function; True when it wrote."""
        if not self.is_valid():
            return False
        try:
            self.result = self.perform()
        except ValidationError as exc:
            add_domain_errors(self, exc)
            return False
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
            return False
        return True


class FileActionMixin(DomainFormMixin):
    """A form acting on a file « au titre de » one of the user's organisations taking part
    in it (toit.eviction.access)."""

    def __init__(self, *args, file, user, **kwargs):
        self.file, self.user = file, user
        super().__init__(*args, **kwargs)
        self.extend_fields()
        self.fields["organisation"] = forms.ModelChoiceField(
            label="Au titre de",
            queryset=access.acting_organisations(user)
            .filter(access.active_participation("eviction_participations__"), eviction_participations__file=file)
            .distinct(),
            empty_label=None,
            help_text="L'organisation pour laquelle vous agissez, parmi les vôtres qui participent au dossier.",
        )

    def extend_fields(self):
        """Fields that depend on the file or on the data; added before the DSFR classes."""

    @property
    def organisation(self):
        return self.cleaned_data["organisation"]


class FileForm(DsfrFormMixin, FileActionMixin, forms.Form):
    pass


class FileModelForm(DsfrFormMixin, FileActionMixin, forms.ModelForm):
    """Labels and choices from the model; the domain function writes, never form.save()."""

    class Meta:
        formfield_callback = dsfr_formfield


# The diagnosis has its own forms, which keep SocialDiagnosis and its events in step.
EVENT_KINDS = [k for k in EventKind if k not in (EventKind.DIAGNOSIS_REQUESTED, EventKind.DIAGNOSIS_DONE)]
# The typed columns a person enters (report and diagnosis are set by the domain).
TYPED_FIELDS = ("hearing_date", "prefect_notified_on", "judgment_outcome", "settlement_mode", "amount", "truce_ground")


def _typed_field(name, kind):
    if name == "hearing_date":
        return date_field("Date d'audience", help_text="Elle peut être à venir. " + DATE_HINT)
    if name == "prefect_notified_on":
        return date_field(
            "Notifiée au préfet le",
            required=False,
            help_text="Laissez vide tant que l'assignation n'est pas notifiée au préfet. " + DATE_HINT,
        )
    if name == "judgment_outcome":
        return forms.ChoiceField(label="Décision", choices=[("", "Choisissez la décision"), *JudgmentOutcome.choices])
    if name == "truce_ground":
        return forms.ChoiceField(
            label="Motif d'exécution pendant la trêve hivernale",
            required=False,
            choices=[("", "Hors trêve : aucun motif"), *TruceGround.choices],
            help_text="Seulement pour une expulsion exécutée pendant la trêve : la trêve ne protège pas les "
            "occupants dont le relogement est assuré, ni ceux entrés par voie de fait.",
        )
    if name == "settlement_mode":
        return forms.ChoiceField(label="Règlement", choices=[("", "Amiable ou contentieux"), *SettlementMode.choices])
    return money_field("Montant (€)", required=kind in AMOUNT_REQUIRED_KINDS)


class EventForm(FileForm):
    """One form for every kind: the fields of the chosen kind are added to the common ones."""

    kind = forms.ChoiceField(
        label="Type d'événement",
        choices=[("", "Choisissez un type d'événement"), *[(k.value, k.label) for k in EVENT_KINDS]],
    )
    date = date_field("Date de l'événement")

    def __init__(self, *args, kind=None, **kwargs):
        data = args[0] if args else kwargs.get("data")
        initial = kwargs.get("initial") or {}
        chosen = (data or {}).get("kind") or initial.get("kind") or kind
        # Not `self.kind`: a template asking form.kind gets the bound field of that name.
        self.chosen_kind = chosen if chosen in {k.value for k in EVENT_KINDS} else None
        super().__init__(*args, **kwargs)
        if self.chosen_kind and not self.is_bound:
            self.fields["kind"].initial = self.chosen_kind

    def extend_fields(self):
        for name in self.typed_names:
            self.fields[name] = _typed_field(name, self.chosen_kind)
        self.fields["note"] = forms.CharField(
            label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 2})
        )

    @property
    def typed_names(self):
        return [name for name in TYPED_FIELDS if self.chosen_kind in FIELD_KINDS[name]]

    def typed_fields(self):
        return [self[name] for name in self.typed_names]

    def common_fields(self):
        return [self["note"], self["organisation"]]

    def perform(self):
        data = self.cleaned_data
        typed = {name: data[name] for name in self.typed_names}
        return add_event(
            self.file, data["kind"], data["date"], self.user, self.organisation, note=data["note"], **typed
        )


class ContactForm(FileModelForm):
    class Meta(FileModelForm.Meta):
        model = ContactAttempt
        fields = ["date", "channel", "outcome", "note"]

    def perform(self):
        return followup.record_contact_attempt(self.file, self.user, self.organisation, **self.model_values())


class DiagnosisRequestForm(FileForm):
    requested_on = date_field("Demandé le")

    def perform(self):
        return followup.request_diagnosis(
            self.file, self.user, self.organisation, requested_on=self.cleaned_data["requested_on"]
        )


class DiagnosisResultForm(FileForm):
    done_on = date_field("Réalisé le")
    complete = forms.TypedChoiceField(
        label="Le diagnostic est-il complet ?",
        choices=[("", "Choisissez"), ("oui", "Complet"), ("non", "Incomplet")],
        coerce=lambda value: value == "oui",
    )
    orientation = forms.CharField(
        label="Orientation proposée", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def extend_fields(self):
        self.fields["diagnosis"] = forms.ModelChoiceField(
            label="Diagnostic",
            queryset=self.file.diagnoses.filter(done_on__isnull=True).order_by("requested_on", "pk"),
            empty_label=None,
            help_text="Les diagnostics demandés et pas encore réalisés.",
        )
        self.order_fields(["diagnosis"])

    def perform(self):
        data = self.cleaned_data
        return followup.record_diagnosis(
            data["diagnosis"],
            self.user,
            self.organisation,
            done_on=data["done_on"],
            complete=data["complete"],
            orientation=data["orientation"],
        )


class RepaymentPlanForm(FileModelForm):
    class Meta(FileModelForm.Meta):
        model = RepaymentPlan
        fields = ["kind", "debt_amount", "start_date", "instalment_amount", "instalment_count", "note"]

    def perform(self):
        return followup.set_up_repayment_plan(self.file, self.user, self.organisation, **self.model_values())


class PaymentForm(FileModelForm):
    class Meta(FileModelForm.Meta):
        model = RepaymentPayment
        fields = ["plan", "date", "amount"]
        labels = {"plan": "Plan d'apurement", "date": "Date du versement"}

    def extend_fields(self):
        self.fields["plan"].queryset = self.file.repayment_plans.order_by("start_date", "pk")
        self.fields["plan"].empty_label = None

    def perform(self):
        data = self.cleaned_data
        return followup.record_payment(
            data["plan"], self.user, self.organisation, date=data["date"], amount=data["amount"]
        )


class FslDecisionForm(FileModelForm):
    # The agent who records the decision knows: a box, ticked or not (only an imported
    # decision may leave it unsaid).
    under_guarantee = forms.BooleanField(
        label="Dans le cadre de la garantie", required=False, help_text="Aide versée au titre de la garantie du FSL."
    )

    class Meta(FileModelForm.Meta):
        model = FslDecision
        fields = ["fsl_organisation", "purpose", "result", "decided_on", "under_guarantee", "aid_form", "amount"]
        help_texts = {"aid_form": "Pour une aide accordée seulement.", "amount": "Pour une aide accordée seulement."}

    def perform(self):
        return followup.record_fsl_decision(self.file, self.user, self.organisation, **self.model_values())


CASE_STEPS = ["admissibility_on", "admissible", "measures_on", "measures", "debt_cleared_on"]


class OverIndebtednessForm(FileModelForm):
    class Meta(FileModelForm.Meta):
        model = OverIndebtednessCase
        fields = ["filed_on", *CASE_STEPS]

    def perform(self):
        return followup.record_overindebtedness_case(self.file, self.user, self.organisation, **self.model_values())


class OverIndebtednessUpdateForm(FileForm):
    """The next steps of a case already recorded: what is left empty does not change. The
    domain checks the case as a whole (a step alone cannot be checked here)."""

    def extend_fields(self):
        self.fields["case"] = forms.ModelChoiceField(
            label="Dossier de surendettement",
            queryset=self.file.overindebtedness_cases.order_by("filed_on", "pk"),
            empty_label=None,
        )
        for name in CASE_STEPS:
            self.fields[name] = dsfr_formfield(OverIndebtednessCase._meta.get_field(name), required=False)

    def clean(self):
        data = super().clean()
        if not self._changes(data):
            raise ValidationError("Indiquez au moins une étape à enregistrer (recevabilité, mesures ou effacement).")
        return data

    @staticmethod
    def _changes(data):
        return {name: data[name] for name in CASE_STEPS if data.get(name) not in (None, "")}

    def perform(self):
        case = self.cleaned_data["case"]
        return followup.update_overindebtedness_case(
            case, self.user, self.organisation, **self._changes(self.cleaned_data)
        )


class HomeownerDifficultyForm(FileModelForm):
    class Meta(FileModelForm.Meta):
        model = HomeownerDifficulty
        fields = ["source", "reported_on", "lender_name", "arrears_amount", "note"]

    def perform(self):
        return followup.record_homeowner_difficulty(self.file, self.user, self.organisation, **self.model_values())


class ShareForm(FileForm):
    def extend_fields(self):
        self.fields["partner"] = forms.ModelChoiceField(
            label="Partager avec",
            queryset=Organisation.objects.filter(is_active=True, kind__in=access.SHAREABLE_KINDS)
            .exclude(pk__in=self.file.participants.filter(access.active_participation()).values("organisation"))
            .order_by(french("name")),
            empty_label="Choisissez une organisation",
            help_text="Seules les organisations qui suivent des ménages sont proposées ; ses agents pourront lire "
            "le dossier et y agir.",
        )
        self.fields["reason"] = forms.CharField(
            label="Motif du partage",
            max_length=REASON_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="Pourquoi cette organisation doit lire le dossier ; gardé dans l'historique du dossier.",
        )
        self.fields["confirm"] = forms.BooleanField(
            label="Je confirme : cette organisation lira tout le dossier, y compris l'identité du ménage.",
            error_messages={"required": "Cochez la case pour confirmer le partage."},
        )

    def perform(self):
        return access.share_file(
            self.file, self.cleaned_data["partner"], self.user, self.organisation, reason=self.cleaned_data["reason"]
        )


class ReferentForm(FileForm):
    """Name the référent of the file for one of the user's organisations taking part in it."""

    def extend_fields(self):
        from toit.organisations.enums import NOMINATIVE_ROLES
        from toit.organisations.models import Membership
        from toit.users.models import User

        organisations = access.acting_organisations(self.user).filter(
            access.active_participation("eviction_participations__"), eviction_participations__file=self.file
        )
        self.fields["referent"] = forms.ModelChoiceField(
            label="Référent",
            queryset=User.objects.filter(
                is_active=True,
                pk__in=Membership.objects.active()
                .filter(organisation__in=organisations, role__in=NOMINATIVE_ROLES)
                .values("user"),
            ).order_by(french("last_name"), french("first_name")),
            initial=self.user.pk,
            empty_label=None,
            help_text="La personne qui suit le dossier pour l'organisation choisie ci-dessous ; elle reçoit les "
            "notifications du dossier.",
        )

    def perform(self):
        from toit.eviction.referents import name_referent

        return name_referent(self.file, self.organisation, self.cleaned_data["referent"], self.user)


class ReportForm(DsfrFormMixin, DomainFormMixin, forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "reporting_organisation",
            "source",
            "reported_on",
            "debt_amount",
            "months_unpaid",
            "last_name",
            "first_name",
            "birth_name",
            "birth_date",
            "street",
            "commune",
            "sector",
            "social_landlord",
            "private_landlord_name",
            "lease_signed_on",
            "landlord_kind",
            "monthly_rent",
        ]
        formfield_callback = dsfr_formfield
        labels = {"reporting_organisation": "Organisation qui signale"}
        help_texts = {
            "last_name": "Tel qu'il figure dans le signalement ; « DUPONT née MARTIN » est compris.",
            "social_landlord": "Pour un logement du parc social.",
            "private_landlord_name": "Pour un logement du parc privé.",
        }

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        field = self.fields["reporting_organisation"]
        field.queryset = access.acting_organisations(user).order_by(french("name"))
        field.empty_label = None
        self.fields["commune"].queryset = Commune.objects.for_user(user).order_by(french("name"))
        self.fields["commune"].iterator = FrenchChoiceIterator

    # The page groups the fields in three fieldsets.
    def signal_fields(self):
        return [self[n] for n in ("reporting_organisation", "source", "reported_on", "debt_amount", "months_unpaid")]

    def identity_fields(self):
        return [self[n] for n in ("last_name", "first_name", "birth_name", "birth_date")]

    def housing_fields(self):
        return [self[n] for n in ("street", "commune", "sector", "social_landlord", "private_landlord_name")]

    def lease_fields(self):
        return [self[n] for n in ("lease_signed_on", "landlord_kind", "monthly_rent")]

    def clean(self):
        data = super().clean()
        # The lease's own sentences (toit.eviction.lease), next to their fields, rather than
        # the model constraint's line above the form.
        values = {name: data.get(name) for name in lease.FIELDS if data.get(name) not in (None, "")}
        for field, message in lease.lease_errors(today=timezone.localdate(), **values).items():
            self.add_error(field, message)
        return data

    def perform(self):
        values = self.model_values()
        return intake.record_report(self.user, values.pop("reporting_organisation"), **values)


class OpenFileForm(DsfrFormMixin, DomainFormMixin, forms.ModelForm):
    """The household of a new file, prefilled with what the report says."""

    class Meta:
        model = Household
        fields = [
            "street",
            "address_complement",
            "commune",
            "sector",
            "social_landlord",
            "housing_benefit",
            "third_party_payment",
            "third_party_payment_since",
            "monthly_resources",
            "phone",
            "email",
        ]
        formfield_callback = dsfr_formfield

    def __init__(self, *args, report, user, **kwargs):
        self.report, self.user = report, user
        kwargs.setdefault(
            "initial",
            {
                "street": report.street,
                "commune": report.commune_id,
                "sector": report.sector,
                "social_landlord": report.social_landlord_id,
            },
        )
        kwargs.setdefault("prefix", "menage")
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.for_user(user).order_by(french("name"))
        self.fields["commune"].iterator = FrenchChoiceIterator

    def perform(self):
        return intake.open_file_from_report(self.report, self.user, **self.model_values())


# « Prochaine échéance » filter: the hearing of the last assignation, not yet judged.
HEARING_WITHIN = {
    "audience-15": ("Audience dans les 15 jours", 15),
    "audience-30": ("Audience dans les 30 jours", 30),
    "audience-passee": ("Audience passée, jugement non saisi", None),
}


class SearchForm(DsfrFormMixin, forms.Form):
    q = forms.CharField(
        label="Nom, nom de naissance ou référence du dossier",
        required=False,
        max_length=150,
        help_text="Nom puis prénom (« Dupont Sylvie »), début du nom (« Dup »), « née Martin », ou PX-XXXX-XXXX.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    commune = forms.ModelChoiceField(
        label="Commune",
        required=False,
        queryset=Commune.objects.order_by(french("name")),
        empty_label="Toutes les communes",
        widget=QuickSelect,
    )
    commune.iterator = FrenchChoiceIterator
    organisation = forms.ModelChoiceField(
        label="Organisation participant au dossier",
        required=False,
        queryset=Organisation.objects.filter(is_active=True).order_by(french("name")),
        empty_label="Toutes les organisations",
        widget=QuickSelect,
    )
    organisation.iterator = FrenchChoiceIterator
    stage = forms.ChoiceField(
        label="Étape de la procédure",
        required=False,
        choices=[("", "Toutes les étapes"), *Stage.choices],
    )
    deadline = forms.ChoiceField(
        label="Prochaine échéance",
        required=False,
        choices=[("", "Toutes"), *[(key, label) for key, (label, _days) in HEARING_WITHIN.items()]],
        help_text="Audience de la dernière assignation, pas encore jugée.",
    )
    order = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[
            ("recent", "Ouverture, du plus récent"),
            ("ancien", "Ouverture, du plus ancien"),
            ("audience", "Audience, la plus proche d'abord"),
            ("reference", "Référence"),
        ],
    )
