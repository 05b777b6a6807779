"""Correcting or cancelling a record of a file: one page per record, prefilled with what
is stored, asking for the reason; the domain functions of toit.eviction.corrections decide
who may and what is allowed. The form posts through htmx when it is there (errors come
back in place, success redirects to the file), as a plain form otherwise."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import modelform_factory
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from toit.eviction import access, corrections
from toit.eviction.models import (
    ContactAttempt,
    Event,
    FslDecision,
    HomeownerDifficulty,
    Household,
    HouseholdMember,
    OverIndebtednessCase,
    PreventionFile,
    RepaymentPayment,
    RepaymentPlan,
    SocialDiagnosis,
)
from toit.eviction.models.event import FIELD_KINDS
from toit.territory.models import Commune
from toit.utils.collation import FrenchChoiceIterator, french
from toit.www.eviction.common import log_file_read, nominative_required, visible_file
from toit.www.eviction.followup import file_url
from toit.www.eviction.forms import add_domain_errors, dsfr_formfield
from toit.www.forms import DsfrFormMixin

CANCEL = "annuler"
REASON_HELP = (
    "Obligatoire. Il est gardé dans l'historique du dossier avec la version d'avant et celle d'après, et envoyé aux "
    "référents du dossier."
)

# URL segment: (model, anchor on the file page, rows of the file)
KINDS = {
    "evenement": (Event, "chronologie", lambda f: Event.objects.filter(file=f)),
    "contact": (ContactAttempt, "contacts", lambda f: ContactAttempt.objects.filter(file=f)),
    "diagnostic": (SocialDiagnosis, "diagnostics", lambda f: SocialDiagnosis.objects.filter(file=f)),
    "plan-apurement": (RepaymentPlan, "plans", lambda f: RepaymentPlan.objects.filter(file=f)),
    "versement": (RepaymentPayment, "plans", lambda f: RepaymentPayment.objects.filter(plan__file=f)),
    "fsl": (FslDecision, "fsl", lambda f: FslDecision.objects.filter(file=f)),
    "surendettement": (OverIndebtednessCase, "surendettement", lambda f: OverIndebtednessCase.objects.filter(file=f)),
    "accession": (HomeownerDifficulty, "accession", lambda f: HomeownerDifficulty.objects.filter(file=f)),
    "membre": (HouseholdMember, "menage", lambda f: HouseholdMember.objects.filter(household=f.household_id)),
}
EVENT_ORDER = [
    "date",
    "hearing_date",
    "prefect_notified_on",
    "judgment_outcome",
    "complete",
    "settlement_mode",
    "amount",
]


class ReasonMixin(DsfrFormMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.CharField(
            label="Motif de la correction",
            help_text=REASON_HELP,
            widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
            max_length=corrections.REASON_LENGTH,
        )

    def clean_reason(self):
        try:
            return corrections.require_reason(self.cleaned_data["reason"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["reason"]) from None


class ReasonForm(ReasonMixin, forms.Form):
    pass


class CorrectionModelForm(ReasonMixin, forms.ModelForm):
    def changes(self):
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "reason"}

    def _post_clean(self):
        # The domain function validates the record as a whole against the database: the
        # model's own checks here would run on a half-updated instance.
        pass


def editable_fields(record):
    if isinstance(record, Event):
        typed = [n for n in EVENT_ORDER if n == "date" or record.kind in FIELD_KINDS.get(n, ())]
        return [*typed, "note"]
    if isinstance(record, HouseholdMember):
        return ["last_name", "first_name", "birth_name", "birth_date", "relationship"]
    fields = list(corrections.FOLLOWUP[type(record)].fields)
    if isinstance(record, SocialDiagnosis) and record.done_on is None:
        fields = [f for f in fields if f not in ("done_on", "complete")]
    return [f.name for f in type(record)._meta.get_fields() if f.name in fields]


def correction_form(record, data=None):
    form_class = modelform_factory(
        type(record), form=CorrectionModelForm, fields=editable_fields(record), formfield_callback=dsfr_formfield
    )
    return form_class(data, instance=record)


def may_correct(record):
    return not (isinstance(record, Event) and record.kind in corrections.DIAGNOSIS_KINDS)


def _perform(kind, record, file, user, reason, changes=None):
    if kind == "evenement":
        if changes is None:
            return corrections.cancel_event(record, user, reason)
        return corrections.correct_event(record, user, reason, **changes)
    if kind == "membre":
        if changes is None:
            return corrections.cancel_member(record, user, reason, file=file)
        return corrections.correct_member(record, user, reason, file=file, **changes)
    if changes is None:
        return corrections.cancel_followup(record, user, reason)
    return corrections.correct_followup(record, user, reason, **changes)


def _done(request, file, anchor, message):
    messages.success(request, message)
    url = file_url(file, anchor)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _render(request, context, status):
    template = "eviction/_correction_form.html" if request.htmx else "eviction/correction_form.html"
    # htmx only swaps 2xx responses: errors come back as a 200 fragment.
    return render(request, template, context, status=200 if request.htmx else status)


def _submit(form, call):
    """Run the domain function; its errors join the form. True when it wrote."""
    try:
        call()
    except ValidationError as exc:
        add_domain_errors(form, exc)
        return False
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return False
    return True


@nominative_required
def correct(request, reference, kind, pk):
    if kind not in KINDS:
        raise Http404("Type d'enregistrement inconnu.")
    model, anchor, rows = KINDS[kind]
    file = visible_file(request.user, reference, PreventionFile.objects.with_household())
    record = rows(file).filter(pk=pk).first()
    if record is None or not may_correct(record):
        raise Http404("Cet enregistrement n'existe pas dans ce dossier.")
    label = f"{model._meta.verbose_name} « {record} »"
    status = 200
    form = correction_form(record)
    cancel_form = ReasonForm(prefix="suppression")
    cancel_form.fields["reason"].label = "Motif de la suppression"
    if request.method == "POST" and request.POST.get("operation") == CANCEL:
        cancel_form = ReasonForm(request.POST, prefix="suppression")
        cancel_form.fields["reason"].label = "Motif de la suppression"
        if cancel_form.is_valid() and _submit(
            cancel_form,
            lambda: _perform(kind, record, file, request.user, cancel_form.cleaned_data["reason"]),
        ):
            return _done(request, file, anchor, f"Supprimé : {label}. Le motif est gardé dans l'historique.")
        status = 422
    elif request.method == "POST":
        form = correction_form(record, request.POST)
        if form.is_valid():
            changes = form.changes()
            if not changes:
                form.add_error(None, "Aucune modification : changez au moins une valeur, ou revenez au dossier.")
            elif _submit(
                form, lambda: _perform(kind, record, file, request.user, form.cleaned_data["reason"], changes)
            ):
                return _done(request, file, anchor, f"Corrigé : {label}. Le motif est gardé dans l'historique.")
        status = 422
    context = {
        "file": file,
        "form": form,
        "cancel_form": cancel_form,
        "label": label,
        "title": f"Corriger ou supprimer : {label}",
        "action_url": reverse("eviction:correct", args=[file.reference, kind, record.pk]),
    }
    log_file_read(request, file)
    return _render(request, context, status)


class HouseholdCorrectionForm(CorrectionModelForm):
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
            "privacy_notice_given_on",
        ]
        formfield_callback = dsfr_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A household moves within its file's département: the file is that département's.
        self.fields["commune"].queryset = Commune.objects.filter(
            department_id=self.instance.commune.department_id
        ).order_by(french("name"))
        self.fields["commune"].iterator = FrenchChoiceIterator


@nominative_required
def correct_household(request, reference):
    file = visible_file(request.user, reference, PreventionFile.objects.with_household())
    household = file.household
    form = HouseholdCorrectionForm(request.POST or None, instance=household)
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            changes = form.changes()
            if not changes:
                form.add_error(None, "Aucune modification : changez au moins une valeur, ou revenez au dossier.")
            elif _submit(
                form,
                lambda: corrections.correct_household(
                    household, request.user, form.cleaned_data["reason"], file=file, **changes
                ),
            ):
                return _done(request, file, "menage", "Ménage corrigé. Le motif est gardé dans l'historique.")
    context = {
        "file": file,
        "form": form,
        "label": "le ménage",
        "title": "Corriger le ménage et le logement",
        "action_url": reverse("eviction:correct_household", args=[file.reference]),
    }
    log_file_read(request, file)
    return _render(request, context, status)


class LeaseCorrectionForm(CorrectionModelForm):
    class Meta:
        model = PreventionFile
        fields = ["lease_signed_on", "landlord_kind", "monthly_rent"]
        formfield_callback = dsfr_formfield


@nominative_required
def correct_lease(request, reference):
    """« Corriger le bail »: the signature date, the landlord kind and the rent, which the
    deadlines and alerts of the file read (toit.eviction.lease)."""
    file = visible_file(request.user, reference, PreventionFile.objects.with_household())
    form = LeaseCorrectionForm(request.POST or None, instance=file)
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            changes = form.changes()
            if not changes:
                form.add_error(None, "Aucune modification : changez au moins une valeur, ou revenez au dossier.")
            elif _submit(
                form, lambda: corrections.correct_lease(file, request.user, form.cleaned_data["reason"], **changes)
            ):
                return _done(
                    request,
                    file,
                    "menage",
                    "Bail corrigé : les échéances et les alertes du dossier en tiennent compte. Le motif est gardé "
                    "dans l'historique.",
                )
    context = {
        "file": file,
        "form": form,
        "label": "le bail",
        "title": "Corriger le bail",
        "action_url": reverse("eviction:correct_lease", args=[file.reference]),
    }
    log_file_read(request, file)
    return _render(request, context, status)


@nominative_required
def add_member(request, reference):
    file = visible_file(request.user, reference, PreventionFile.objects.with_household())
    form_class = modelform_factory(
        HouseholdMember,
        form=CorrectionModelForm,
        fields=["last_name", "first_name", "birth_name", "birth_date", "relationship"],
        formfield_callback=dsfr_formfield,
    )
    form = form_class(request.POST or None)
    form.fields["reason"].label = "Motif de l'ajout"
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            values = {n: v for n, v in form.cleaned_data.items() if n != "reason"}
            if _submit(
                form,
                lambda: corrections.add_member(
                    file.household, request.user, form.cleaned_data["reason"], file=file, **values
                ),
            ):
                return _done(request, file, "menage", "Membre ajouté au ménage.")
    context = {
        "file": file,
        "form": form,
        "label": "un membre du ménage",
        "title": "Ajouter un membre au ménage",
        "action_url": reverse("eviction:add_member", args=[file.reference]),
        "button": "Ajouter le membre",
    }
    log_file_read(request, file)
    return _render(request, context, status)


@nominative_required
def cancel_file(request, reference):
    """Cancel a file opened by mistake, or restore a cancelled one: the same page, which
    asks for the reason. Only the opening organisation's members may (the domain says so
    when another participant tries); a file the user does not read is a 404."""
    file = visible_file(request.user, reference, PreventionFile.objects.with_household())
    restoring = file.cancelled_at is not None
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Motif du rétablissement" if restoring else "Motif de l'annulation"
    status = 200
    if form.is_bound:
        status = 422
        operation = corrections.restore_file if restoring else corrections.cancel_file
        if form.is_valid() and _submit(form, lambda: operation(file, request.user, form.cleaned_data["reason"])):
            message = (
                f"Dossier {file.reference} rétabli : il compte de nouveau dans les files de travail et les indicateurs."
                if restoring
                else f"Dossier {file.reference} annulé. Il reste consultable à cette adresse et peut être rétabli ; "
                "le motif est gardé dans l'historique."
            )
            return _done(request, file, "", message)
    title = f"Rétablir le dossier {file.reference}" if restoring else f"Annuler le dossier {file.reference}"
    context = {
        "file": file,
        "form": form,
        "title": title,
        "restoring": restoring,
        "may_cancel": access.may_act(request.user, file.opened_by, file),
        "action_url": reverse("eviction:cancel_file", args=[file.reference]),
    }
    log_file_read(request, file)
    template = "eviction/_cancel_file_form.html" if request.htmx else "eviction/cancel_file.html"
    return render(request, template, context, status=200 if request.htmx else status)
