"""Correcting a stay (dates, origin, destination) with a reason kept in its history. Only
the structure's staff reach a stay: for anyone else it does not exist (404)."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from toit.accommodation.enums import EntryOrigin, ExitDestination
from toit.accommodation.models import Stay
from toit.accommodation.records import correct_stay
from toit.audit.log import log_access
from toit.www.accommodation.common import nominative_required


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
