"""Merge proposals of the register: pairs of dwellings whose addresses read the same, each
decided by a pôle member (toit.dwellings.merging)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from toit.dwellings import access, merging
from toit.dwellings.enums import MergeStatus
from toit.dwellings.models import MergeProposal
from toit.www.dwellings.common import log_listed, pole_member_required
from toit.www.dwellings.forms import MergeDecisionForm

SHOWN = 50


def _visible_proposals(user):
    return MergeProposal.objects.filter(access.dwelling_q(user, "dwelling__")).filter(
        access.dwelling_q(user, "duplicate__")
    )


@pole_member_required
def merge_list(request):
    proposals = list(
        _visible_proposals(request.user)
        .filter(status=MergeStatus.PENDING)
        .select_related("dwelling__commune", "dwelling__owner", "duplicate__commune", "duplicate__owner")
        .order_by("pk")[:SHOWN]
    )
    log_listed(request, [d for p in proposals for d in (p.dwelling, p.duplicate)])
    return render(
        request, "dwellings/merges.html", {"proposals": proposals, "form": MergeDecisionForm(), "shown": SHOWN}
    )


@pole_member_required
@require_POST
def merge_decide(request, pk):
    try:
        proposal = _visible_proposals(request.user).get(pk=pk)
    except MergeProposal.DoesNotExist:
        raise Http404("Aucune proposition visible ne porte ce numéro.") from None
    form = MergeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez une décision et donnez-en le motif.")
        return redirect("dwellings:merges")
    try:
        merging.decide(proposal, accept=form.cleaned_data["accept"], user=request.user, note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Décision enregistrée.")
    return redirect("dwellings:merges")
