"""Recording a stay's entry and exit, and correcting a stay (dates, origin, destination)
with a reason kept in its history. Only the structure's staff reach a stay or record one:
the structure and the stay are fetched through querysets scoped to the user, so that for
anyone else they do not exist (404), whatever the URL or the POST."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from toit.accommodation import access
from toit.accommodation.enums import EntryOrigin, ExitDestination
from toit.accommodation.models import Resident, Stay, Structure
from toit.accommodation.records import correct_stay
from toit.audit.log import log_access
from toit.www.accommodation.common import nominative_required
from toit.www.accommodation.forms import EntryForm, ExitForm, ResidentForm

NO_STRUCTURE = "Aucune structure dont vous enregistrez les séjours ne porte ce numéro."
NO_STAY = "Aucun séjour visible ne porte ce numéro."


class StayCorrectionForm(forms.Form):
    entry_on = forms.DateField(label="Date d'entrée", widget=forms.DateInput(attrs={"type": "date"}))
    origin = forms.ChoiceField(label="Provenance", choices=EntryOrigin.choices)
    exit_on = forms.DateField(label="Date de sortie", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    destination = forms.ChoiceField(
        label="Destination à la sortie", required=False, choices=[("", "—"), *ExitDestination.choices]
    )
    reason = forms.CharField(
        label="Motif de la correction",
        help_text="Inscrit dans l'historique du séjour (ex. « date de sortie mal saisie »).",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@nominative_required
def correct(request, pk):
    try:
        stay = Stay.objects.visible_to(request.user).select_related("resident", "structure").get(pk=pk)
    except Stay.DoesNotExist:
        raise Http404("Aucun séjour visible ne porte ce numéro.") from None
    initial = {f: getattr(stay, f) for f in ("entry_on", "origin", "exit_on", "destination")}
    form = StayCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            correct_stay(stay, request.user, reason, **data)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        except PermissionDenied:
            raise Http404("Aucun séjour visible ne porte ce numéro.") from None
        else:
            return redirect("accommodation:structure", pk=stay.structure_id)
    log_access(request, stay, organisation=stay.structure.manager_id)
    history = list(stay.history.select_related("history_user").order_by("-history_date")[:20])
    return render(request, "accommodation/stay_correct.html", {"stay": stay, "form": form, "history": history})


@nominative_required
def enter(request, pk):
    try:
        structure = access.managed_structures(Structure.objects.all(), request.user).get(pk=pk)
    except Structure.DoesNotExist:
        raise Http404(NO_STRUCTURE) from None
    form = EntryForm(request.POST or None, structure=structure, user=request.user)
    if request.method == "POST" and form.submit():
        return redirect(f"{reverse('accommodation:structure', args=[structure.pk])}?annee={form.result.entry_on.year}")
    context = {
        "title": f"Enregistrer une entrée — {structure.name}",
        "back_url": reverse("accommodation:structure", args=[structure.pk]),
        "back_label": structure.name,
        "intro": "La personne entre dans la structure : son séjour compte dans l'occupation à partir de cette date.",
        "form": form,
        "submit_label": "Enregistrer l'entrée",
    }
    return render(request, "accommodation/form.html", context)


@nominative_required
def leave(request, pk):
    try:
        stay = Stay.objects.visible_to(request.user).select_related("resident", "structure").get(pk=pk)
    except Stay.DoesNotExist:
        raise Http404(NO_STAY) from None
    if stay.exit_on:
        return redirect("accommodation:stay_correct", pk=stay.pk)
    form = ExitForm(request.POST or None, stay=stay, user=request.user)
    if request.method == "POST" and form.submit():
        return redirect(f"{reverse('accommodation:structure', args=[stay.structure_id])}?annee={stay.exit_on.year}")
    log_access(request, stay, organisation=stay.structure.manager_id)
    context = {
        "title": f"Enregistrer la sortie de {stay.resident}",
        "back_url": reverse("accommodation:structure", args=[stay.structure_id]),
        "back_label": stay.structure.name,
        "intro": f"Entrée le {stay.entry_on:%d/%m/%Y} ({stay.get_origin_display().lower()}).",
        "form": form,
        "submit_label": "Enregistrer la sortie",
    }
    return render(request, "accommodation/form.html", context)


@nominative_required
def correct_resident(request, pk):
    try:
        resident = Resident.objects.visible_to(request.user).select_related("structure").get(pk=pk)
    except Resident.DoesNotExist:
        raise Http404("Aucune personne visible ne porte ce numéro.") from None
    form = ResidentForm(request.POST or None, resident=resident, user=request.user)
    if request.method == "POST" and form.submit():
        return redirect("accommodation:structure", pk=resident.structure_id)
    log_access(request, resident, organisation=resident.structure.manager_id)
    history = list(resident.history.select_related("history_user").order_by("-history_date")[:20])
    context = {
        "title": "Corriger l'identité d'un résident",
        "back_url": reverse("accommodation:structure", args=[resident.structure_id]),
        "back_label": resident.structure.name,
        "intro": "Une faute de frappe à l'entrée : le nom, le prénom ou la date de naissance. Le motif est gardé dans "
        "l'historique.",
        "form": form,
        "submit_label": "Enregistrer la correction",
        "history": history,
        "history_title": "Historique",
    }
    return render(request, "accommodation/form.html", context)
