"""Filing an application to the admission commission, and recording the commission's
decision on it (or correcting it, with a reason kept in its history). Any organisation of
the commission's département files (toit.accommodation.access.referring_organisations);
only the commission's secretariat reaches an application afterwards: for anyone else it does
not exist (404)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from toit.accommodation import access
from toit.accommodation.enums import CommissionDecision
from toit.accommodation.models import Application, Structure
from toit.accommodation.records import record_decision
from toit.audit.log import log_access
from toit.utils.collation import french
from toit.www.accommodation.common import nominative_required
from toit.www.accommodation.forms import ApplicantForm, ApplicationForm

NOT_FOUND = "Aucune demande visible ne porte ce numéro."


class DecisionForm(forms.Form):
    examined_on = forms.DateField(
        label="Date de la commission", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decision = forms.ChoiceField(label="Décision", choices=CommissionDecision.choices)
    proposed_structure = forms.ModelChoiceField(
        label="Structure proposée", queryset=Structure.objects.none(), required=False
    )
    entered_on = forms.DateField(
        label="Date d'entrée dans la structure", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label="Motif",
        required=False,
        help_text="Obligatoire pour corriger une décision déjà enregistrée ; inscrit dans l'historique.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_structure"].queryset = Structure.objects.filter(department=department).order_by(
            french("name")
        )


@nominative_required
def decide(request, pk):
    try:
        application = (
            Application.objects.visible_to(request.user).select_related("commission", "proposed_structure").get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    initial = {
        "examined_on": application.examined_on,
        "decision": application.decision,
        "proposed_structure": application.proposed_structure,
        "entered_on": application.entered_on,
    }
    form = DecisionForm(request.POST or None, initial=initial, department=application.commission.department_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            record_decision(application, request.user, reason, **data)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        except PermissionDenied:
            raise Http404(NOT_FOUND) from None
        else:
            return redirect("accommodation:commission")
    log_access(request, application)
    history = list(application.history.select_related("history_user").order_by("-history_date")[:20])
    context = {"application": application, "form": form, "history": history}
    return render(request, "accommodation/application.html", context)


@nominative_required
def file(request):
    form = ApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.submit():
        application = form.result
        if access.visible_applications(Application.objects.filter(pk=application.pk), request.user).exists():
            return redirect("accommodation:application", pk=application.pk)
        messages.success(
            request,
            f"La demande de {application.last_name.upper()} est déposée auprès de la "
            f"{application.commission.name}. Son secrétariat la suit ; vous ne la verrez plus dans Toit.",
        )
        return redirect("accommodation:application_new")
    context = {
        "title": "Déposer une demande d'admission",
        "back_url": reverse("accommodation:commission"),
        "back_label": "Commission d'admission",
        "intro": "La demande est transmise au secrétariat de la commission d'admission des maisons relais, qui "
        "l'inscrit à l'ordre du jour. Seul ce secrétariat la voit ensuite.",
        "form": form,
        "submit_label": "Déposer la demande",
    }
    return render(request, "accommodation/form.html", context)


@nominative_required
def correct(request, pk):
    try:
        application = Application.objects.visible_to(request.user).select_related("commission").get(pk=pk)
    except Application.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    form = ApplicantForm(request.POST or None, application=application, user=request.user)
    if request.method == "POST" and form.submit():
        return redirect("accommodation:application", pk=application.pk)
    log_access(request, application)
    context = {
        "title": "Corriger une demande d'admission",
        "back_url": reverse("accommodation:application", args=[application.pk]),
        "back_label": "La demande et la décision",
        "intro": "Ce que la demande dit de la personne : une faute de frappe, une date mal saisie. Le motif est gardé "
        "dans l'historique de la demande.",
        "form": form,
        "submit_label": "Enregistrer la correction",
    }
    return render(request, "accommodation/form.html", context)
