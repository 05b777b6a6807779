"""The Programme Social Thématique (sheet 2A): its dwellings, and progress against the plan's
targets per territory (30 in Le Mans Métropole and 10 elsewhere in the Sarthe plan), read
from the plan's own targets on the indicator computed by dwellings.pst_made_available."""

from django.shortcuts import render

from toit.dwellings import access
from toit.dwellings.metrics import pst_made_available
from toit.dwellings.models import PstDwelling
from toit.metrics.enums import Periodicity
from toit.metrics.periods import Period
from toit.plans.models import Plan, Target
from toit.territory.models import Department
from toit.www.dwellings.common import log_listed, pole_member_required

METRIC = "dwellings.pst_made_available"
SHOWN = 200


def progress(plan):
    """(target, territory label, value made available over the plan, remaining) for each
    target of the plan's indicators computed from the PST."""
    targets = (
        Target.objects.filter(indicator__plan=plan, indicator__metric_key=METRIC)
        .select_related("territory__plan", "indicator")
        .order_by("indicator__position", "position")
    )
    rows = []
    for target in targets:
        scope = (target.territory.scope() if target.territory else plan.department_scope()).at(plan.period)
        value = pst_made_available(plan.period, scope, **target.indicator.metric_params)
        rows.append(
            {
                "target": target,
                "territory": target.territory.label if target.territory else "Département",
                "value": value,
                "remaining": max(0, int(target.value) - value),
            }
        )
    return rows


def territory_of(commune, territories, day):
    """The plan territory (an EPCI or its complement) a dwelling made available on `day`
    counts in: the EPCI's perimeter of that day when the plan declares one."""
    period = Period(day, day, Periodicity.YEAR) if day else None
    epci = commune.epci.siren if commune.epci_id else None
    for kind in ("epci", "hors_epci"):
        for territory in territories:
            if territory.kind == kind and territory.scope().at(period).contains(commune.insee_code, epci):
                return territory.label
    return ""


@pole_member_required
def pst(request):
    departments = access.departments_read(request.user)
    codes = list(Department.objects.filter(pk__in=departments).values_list("code", flat=True))
    plans = list(Plan.objects.filter(department_code__in=codes).prefetch_related("territories").order_by("-first_year"))
    sections = [{"plan": plan, "progress": progress(plan)} for plan in plans]
    dwellings = list(
        PstDwelling.objects.filter(access.dwelling_q(request.user, "dwelling__"))
        .select_related("dwelling__commune__epci", "operator")
        .order_by("-available_on", "pk")[:SHOWN]
    )
    territories = [t for plan in plans[:1] for t in plan.territories.all()]
    for row in dwellings:
        row.territory = territory_of(row.dwelling.commune, territories, row.available_on)
    log_listed(request, [row.dwelling for row in dwellings])
    return render(request, "dwellings/pst.html", {"sections": sections, "dwellings": dwellings, "shown": SHOWN})
