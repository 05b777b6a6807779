"""Correct any record of the register, with a reason kept in its history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from toit.dwellings import access, corrections
from toit.dwellings.models import Dwelling, Owner
from toit.territory.models import Commune
from toit.utils.collation import french
from toit.www.dwellings.common import log_read, pole_member_required
from toit.www.dwellings.forms import add_errors, correction_form


def _dwelling_of(record, path):
    if path is None:
        return None
    if not path:
        return record
    for part in path.split("__"):
        record = getattr(record, part)
    return record


@pole_member_required
def correct(request, kind, pk):
    if kind not in corrections.CORRECTABLE:
        raise Http404("Ce type d'enregistrement ne se corrige pas ici.")
    model, path, fields = corrections.CORRECTABLE[kind]
    try:
        record = corrections.visible(kind, request.user).get(pk=pk)
    except model.DoesNotExist:
        raise Http404("Aucun enregistrement visible ne porte ce numéro.") from None
    original = model.objects.get(pk=record.pk)  # the form changes `record` while validating
    form = correction_form(model, fields)(request.POST or None, instance=record)
    departments = access.departments_read(request.user)
    if "commune" in form.fields:
        form.fields["commune"].queryset = Commune.objects.filter(department_id__in=departments).order_by(french("name"))
    if "owner" in form.fields:
        form.fields["owner"].queryset = access.visible_owners(Owner.objects.all(), request.user)
    dwelling = _dwelling_of(original, path)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in fields}
        try:
            corrections.correct(kind, original, changes, user=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            add_errors(form, error)
        else:
            if dwelling is not None:
                return redirect("dwellings:dwelling", pk=dwelling.pk)
            return redirect("dwellings:register")
    department_id = original.department_id if hasattr(original, "department_id") else dwelling.department_id
    log_read(request, dwelling if isinstance(dwelling, Dwelling) else original, department_id)
    return render(
        request,
        "dwellings/correct.html",
        {"form": form, "record": original, "kind_label": model._meta.verbose_name, "dwelling": dwelling},
    )
