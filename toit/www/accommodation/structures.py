"""Structures: the list of a département (aggregates), and a structure's page: places over
time, occupancy per year, conventions, funding; for its staff only, the stays."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from toit.accommodation import access
from toit.accommodation.enums import EntryOrigin, ExitDestination
from toit.accommodation.models import CapacityPeriod, Project, Stay, Structure
from toit.accommodation.occupancy import available_place_days, occupied_place_days
from toit.audit.log import log_access
from toit.metrics.periods import Period
from toit.territory.models import Department
from toit.utils.collation import french
from toit.www.accommodation.common import department_or_404

YEARS_SHOWN = 20
STAYS_SHOWN = 200


@login_required
def home(request):
    departments = Department.objects.filter(Q(structures__isnull=False) | Q(projects__isnull=False)).distinct()
    return render(request, "accommodation/home.html", {"departments": departments})


def _years(first, today):
    return list(range(max(first, today.year - YEARS_SHOWN + 1), today.year + 1))


@login_required
def structure_list(request, department):
    department = department_or_404(department)
    today = timezone.localdate()
    structures = list(
        Structure.objects.filter(department=department)
        .select_related("commune", "manager")
        .annotate(
            places_today=Sum(
                "capacities__places",
                filter=Q(capacities__valid_from__lte=today)
                & (Q(capacities__valid_until__isnull=True) | Q(capacities__valid_until__gt=today)),
            )
        )
        .order_by(french("name"))
    )
    context = {
        "department": department,
        "structures": structures,
        "today": today,
        "total_places": sum(s.places_today or 0 for s in structures),
    }
    return render(request, "accommodation/structures.html", context)


def yearly_figures(structure, years):
    """Per year: available and occupied place-days, rate, entries and exits — two queries
    whatever the number of years."""
    periods = {year: Period.year(year) for year in years}
    available = CapacityPeriod.objects.filter(structure=structure).aggregate(
        **{f"a{y}": Sum(available_place_days(p)) for y, p in periods.items()}
    )
    stays = Stay.objects.filter(structure=structure).aggregate(
        **{f"o{y}": Sum(occupied_place_days(p)) for y, p in periods.items()},
        **{f"e{y}": Count("pk", filter=Q(entry_on__year=y)) for y in years},
        **{f"x{y}": Count("pk", filter=Q(exit_on__year=y)) for y in years},
    )
    rows = []
    for year in years:
        avail, occupied = available[f"a{year}"] or 0, stays[f"o{year}"] or 0
        rows.append(
            {
                "year": year,
                "available": avail,
                "occupied": occupied,
                "rate": round(occupied * 100 / avail, 1) if avail else None,
                "entries": stays[f"e{year}"],
                "exits": stays[f"x{year}"],
            }
        )
    return rows


def _reasons(structure, year):
    """Entries by origin and exits by destination in the year: two grouped queries."""
    entries = dict(
        Stay.objects.filter(structure=structure, entry_on__year=year)
        .order_by()
        .values_list("origin")
        .annotate(n=Count("pk"))
    )
    exits = dict(
        Stay.objects.filter(structure=structure, exit_on__year=year)
        .order_by()
        .values_list("destination")
        .annotate(n=Count("pk"))
    )
    return (
        [(label, entries.get(value, 0)) for value, label in EntryOrigin.choices],
        [(label, exits.get(value, 0)) for value, label in ExitDestination.choices],
    )


@login_required
def structure_detail(request, pk):
    structure = get_object_or_404(Structure.objects.select_related("commune", "manager", "parent", "department"), pk=pk)
    today = timezone.localdate()
    years = _years(structure.opened_on.year, today)
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        year = None
    staff = access.may_read_residents(request.user, structure)
    figures = yearly_figures(structure, years)
    if year not in years:
        with_stays = [row["year"] for row in figures if row["entries"] or row["exits"] or row["occupied"]]
        year = with_stays[-1] if with_stays else years[-1]
    context = {
        "structure": structure,
        "capacities": list(structure.capacities.order_by("valid_from")),
        "fundings": list(structure.fundings.select_related("funder").order_by("valid_from")),
        "partnerships": list(structure.partnerships.select_related("partner").order_by("signed_on")),
        "figures": figures,
        "year": year,
        "years": years,
        "staff": staff,
        "projects": list(Project.objects.filter(structure=structure).order_by("spotted_on")),
    }
    if staff:
        stays = list(
            Stay.objects.visible_to(request.user)
            .filter(structure=structure)
            .filter(Q(entry_on__year__lte=year), Q(exit_on__isnull=True) | Q(exit_on__year__gte=year))
            .select_related("resident")
            .order_by("-entry_on", "-pk")[:STAYS_SHOWN]
        )
        context["stays"] = stays
        context["entry_reasons"], context["exit_reasons"] = _reasons(structure, year)
        log_access(request, stays, organisation=structure.manager_id)
    return render(request, "accommodation/structure.html", context)
