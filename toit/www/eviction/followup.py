"""One page per follow-up record (contact, diagnosis, repayment plan…) and for sharing the
file: the same flow for each, the form calling its domain function."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from toit.eviction.models import PreventionFile
from toit.www.eviction import forms
from toit.www.eviction.common import log_file_read, nominative_required, visible_file


@dataclass(frozen=True)
class FollowupAction:
    form_class: type
    title: str
    button: str
    anchor: str
    done: object  # form -> the message shown once recorded


def _date(form, field):
    return f"{form.cleaned_data[field]:%d/%m/%Y}"


ACTIONS = {
    "contact": FollowupAction(
        forms.ContactForm,
        "Tentative de contact avec le ménage",
        "Enregistrer le contact",
        "contacts",
        lambda f: f"Tentative de contact du {_date(f, 'date')} enregistrée.",
    ),
    "diagnostic-demande": FollowupAction(
        forms.DiagnosisRequestForm,
        "Demande de diagnostic social et financier",
        "Enregistrer la demande",
        "diagnostics",
        lambda f: f"Diagnostic demandé le {_date(f, 'requested_on')} enregistré.",
    ),
    "diagnostic-realise": FollowupAction(
        forms.DiagnosisResultForm,
        "Diagnostic social et financier réalisé",
        "Enregistrer le diagnostic",
        "diagnostics",
        lambda f: f"Diagnostic réalisé le {_date(f, 'done_on')} enregistré.",
    ),
    "plan-apurement": FollowupAction(
        forms.RepaymentPlanForm,
        "Plan d'apurement",
        "Enregistrer le plan",
        "plans",
        lambda f: f"Plan d'apurement à partir du {_date(f, 'start_date')} enregistré.",
    ),
    "versement": FollowupAction(
        forms.PaymentForm,
        "Versement sur un plan d'apurement",
        "Enregistrer le versement",
        "plans",
        lambda f: f"Versement du {_date(f, 'date')} enregistré.",
    ),
    "fsl": FollowupAction(
        forms.FslDecisionForm,
        "Décision du Fonds de solidarité pour le logement",
        "Enregistrer la décision",
        "fsl",
        lambda f: f"Décision du FSL du {_date(f, 'decided_on')} enregistrée.",
    ),
    "surendettement": FollowupAction(
        forms.OverIndebtednessForm,
        "Dossier de surendettement",
        "Enregistrer le dossier",
        "surendettement",
        lambda f: f"Dossier de surendettement déposé le {_date(f, 'filed_on')} enregistré.",
    ),
    "surendettement-suite": FollowupAction(
        forms.OverIndebtednessUpdateForm,
        "Suite d'un dossier de surendettement",
        "Enregistrer les étapes",
        "surendettement",
        lambda f: "Étapes du dossier de surendettement enregistrées.",
    ),
    "accession": FollowupAction(
        forms.HomeownerDifficultyForm,
        "Accédant à la propriété en difficulté",
        "Enregistrer",
        "accession",
        lambda f: f"Difficulté d'accédant connue le {_date(f, 'reported_on')} enregistrée.",
    ),
    "referent": FollowupAction(
        forms.ReferentForm,
        "Désigner le référent du dossier",
        "Désigner le référent",
        "synthese",
        lambda f: f"{f.cleaned_data['referent']} est référent du dossier pour « {f.cleaned_data['organisation']} ».",
    ),
    "partage": FollowupAction(
        forms.ShareForm,
        "Partager le dossier avec une organisation",
        "Partager le dossier",
        "participants",
        lambda f: f"Dossier partagé avec « {f.cleaned_data['partner']} ».",
    ),
}


@nominative_required
def followup_form(request, reference, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("Action inconnue.")
    file = visible_file(request.user, reference, PreventionFile.objects.with_household())
    form = spec.form_class(request.POST if request.method == "POST" else None, file=file, user=request.user)
    if form.is_bound and form.submit():
        messages.success(request, spec.done(form))
        return redirect(file_url(file, spec.anchor))
    context = {"file": file, "form": form, "spec": spec, "action": action}
    log_file_read(request, file)  # the form's header names the household
    return render(request, "eviction/followup_form.html", context, status=422 if form.is_bound else 200)


def file_url(file, anchor=""):
    url = reverse("eviction:file", args=[file.reference])
    return f"{url}#{anchor}" if anchor else url
