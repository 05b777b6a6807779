"""The register of « bailleurs indélicats » (sheet 2B) and the pôle's decisions on them."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from toit.dwellings import access, landlords
from toit.dwellings.models import Dwelling, IndelicacyDecision, Owner
from toit.utils.collation import french
from toit.www.dwellings.common import log_listed, log_read, pole_member_required
from toit.www.dwellings.forms import IndelicacyForm, ReviewForm, add_errors


@pole_member_required
def landlord_list(request):
    today = timezone.localdate()
    owners = access.visible_owners(Owner.objects.all(), request.user)
    decisions = list(
        IndelicacyDecision.objects.in_force(today)
        .filter(owner__in=owners)
        .select_related("owner", "pole")
        .order_by(french("owner__name"), "pk")
    )
    for decision in decisions:
        decision.review_late = decision.review_due_on < today
    log_listed(request, [d.owner for d in decisions])
    return render(request, "dwellings/landlords.html", {"decisions": decisions, "today": today})


def _visible_owner(user, pk):
    try:
        return access.visible_owners(Owner.objects.all(), user).get(pk=pk)
    except Owner.DoesNotExist:
        raise Http404("Aucun propriétaire visible ne porte ce numéro.") from None


def _deciding(view):
    """Only a responsable or administrateur of a whole-département member decides."""

    def wrapper(request, pk):
        if not any(r.role in access.DECIDING_ROLES and r.whole_department for r in access.reaches(request.user)):
            return render(request, "dwellings/forbidden_decision.html", status=403)
        return view(request, pk)

    wrapper.__name__ = view.__name__
    return wrapper


@pole_member_required
@_deciding
def indelicacy_new(request, pk):
    owner = _visible_owner(request.user, pk)
    form = IndelicacyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            landlords.record_decision(owner, user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_errors(form, error)
        else:
            return redirect("dwellings:landlords")
    dwellings = Dwelling.objects.visible_to(request.user).filter(owner=owner).select_related("commune")
    log_read(request, owner, owner.department_id)
    return render(request, "dwellings/indelicacy_form.html", {"form": form, "owner": owner, "dwellings": dwellings})


@pole_member_required
@_deciding
def indelicacy_review(request, pk):
    owners = access.visible_owners(Owner.objects.all(), request.user)
    try:
        decision = IndelicacyDecision.objects.select_related("owner").get(pk=pk, owner__in=owners)
    except IndelicacyDecision.DoesNotExist:
        raise Http404("Aucune décision visible ne porte ce numéro.") from None
    form = ReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            landlords.review_decision(decision, user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_errors(form, error)
        else:
            return redirect("dwellings:landlords")
    log_read(request, decision.owner, decision.owner.department_id)
    return render(
        request,
        "dwellings/review_form.html",
        {"form": form, "decision": decision, "default_next": timezone.localdate() + datetime.timedelta(days=365)},
    )
