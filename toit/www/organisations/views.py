from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from toit.organisations.enums import OrganisationKind
from toit.organisations.models import Organisation
from toit.plans.models import Action


def organisation_list(request):
    kind = request.GET.get("type", "")
    organisations = Organisation.objects.filter(is_active=True).annotate(
        responsible_count=Count("responsible_for", distinct=True), partner_count=Count("partner_in", distinct=True)
    )
    if kind in OrganisationKind.values:
        organisations = organisations.filter(kind=kind)
    else:
        kind = ""
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return render(
        request,
        "organisations/list.html",
        {"organisations": organisations, "kinds": OrganisationKind.choices, "kind": kind, "query": query},
    )


def organisation_detail(request, code):
    organisation = get_object_or_404(Organisation, code=code)
    responsible = Action.objects.filter(responsible=organisation).select_related("plan")
    partner = Action.objects.filter(partners=organisation).select_related("plan")
    return render(
        request,
        "organisations/detail.html",
        {"organisation": organisation, "responsible": responsible, "partner": partner},
    )
