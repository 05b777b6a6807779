"""A structure's places, conventions and funding, recorded by the staff of its managing
organisation: places open or close from a date (the dated capacity every occupancy rate is
computed over), a partnership convention signed, corrected or ended, the operating funding
per place (the cost per place of sheet 2G). The structure is fetched through a
queryset scoped to the user: for anyone else these pages do not exist (404)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from toit.accommodation import access
from toit.accommodation.models import CapacityPeriod, Funding, Partnership, Structure
from toit.www.accommodation.common import nominative_required
from toit.www.accommodation.forms import CapacityForm, FundingForm, PartnershipForm

NOT_FOUND = "Aucune structure dont vous gérez les places ne porte ce numéro."
HISTORY_SHOWN = 20


def _managed_structure(request, pk):
    try:
        return access.managed_structures(Structure.objects.all(), request.user).select_related("department").get(pk=pk)
    except Structure.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def _structure_url(structure):
    return reverse("accommodation:structure", args=[structure.pk]) + "#titre-places"


@nominative_required
def capacity(request, pk):
    structure = _managed_structure(request, pk)
    form = CapacityForm(request.POST or None, structure=structure, user=request.user)
    if request.method == "POST" and form.submit():
        return redirect(_structure_url(structure))
    history = list(
        CapacityPeriod.history.filter(structure_id=structure.pk)
        .select_related("history_user")
        .order_by("-history_date")[:HISTORY_SHOWN]
    )
    context = {
        "title": f"Changer les places — {structure.name}",
        "back_url": _structure_url(structure),
        "back_label": structure.name,
        "intro": "Le nouveau nombre de places vaut à partir de la date indiquée, jusqu'au changement suivant s'il en "
        "existe un ; la période en cours ce jour-là s'arrête la veille. À la même date qu'un changement déjà "
        "enregistré, ce changement est corrigé.",
        "form": form,
        "submit_label": "Enregistrer le changement",
        "history": history,
        "history_title": "Historique des places",
    }
    return render(request, "accommodation/form.html", context)


@nominative_required
def partnership(request, pk, partnership_pk=None):
    structure = _managed_structure(request, pk)
    instance = None
    if partnership_pk is not None:
        try:
            instance = Partnership.objects.filter(structure=structure).get(pk=partnership_pk)
        except Partnership.DoesNotExist:
            raise Http404("Aucune convention de cette structure ne porte ce numéro.") from None
    form = PartnershipForm(request.POST or None, instance=instance, structure=structure, user=request.user)
    if request.method == "POST" and form.submit():
        return redirect(reverse("accommodation:structure", args=[structure.pk]) + "#titre-conventions")
    history = None
    if instance is not None:
        history = list(instance.history.select_related("history_user").order_by("-history_date")[:HISTORY_SHOWN])
    context = {
        "title": f"{'Corriger une convention' if instance else 'Enregistrer une convention'} — {structure.name}",
        "back_url": reverse("accommodation:structure", args=[structure.pk]) + "#titre-conventions",
        "back_label": structure.name,
        "intro": "Une convention signée compte dans le niveau de formalisation des partenariats tant qu'elle est en "
        "vigueur ; indiquez sa date de fin quand elle est dénoncée ou échue.",
        "form": form,
        "history": history,
        "history_title": "Historique de la convention",
    }
    return render(request, "accommodation/form.html", context)


@nominative_required
def funding(request, pk, funding_pk=None):
    structure = _managed_structure(request, pk)
    instance = None
    if funding_pk is not None:
        try:
            instance = Funding.objects.filter(structure=structure).get(pk=funding_pk)
        except Funding.DoesNotExist:
            raise Http404("Aucun financement de cette structure ne porte ce numéro.") from None
    form = FundingForm(request.POST or None, instance=instance, structure=structure, user=request.user)
    back = reverse("accommodation:structure", args=[structure.pk]) + "#titre-conventions"
    if request.method == "POST" and form.submit():
        return redirect(back)
    history = None
    if instance is not None:
        history = list(instance.history.select_related("history_user").order_by("-history_date")[:HISTORY_SHOWN])
    context = {
        "title": f"{'Corriger un financement' if instance else 'Enregistrer un financement'} — {structure.name}",
        "back_url": back,
        "back_label": structure.name,
        "intro": "Le financement de fonctionnement par place, daté : le coût d'une place (fiche 2G) en est calculé.",
        "form": form,
        "history": history,
        "history_title": "Historique du financement",
    }
    return render(request, "accommodation/form.html", context)
