"""The projects board of a département, by stage of the « habitat adapté » guide. Projects
are not nominative: every logged-in partner sees the board."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from toit.accommodation.enums import ProjectStage
from toit.accommodation.models import Project
from toit.www.accommodation.common import department_or_404


@login_required
def board(request, department):
    department = department_or_404(department)
    projects = list(
        Project.objects.filter(department=department, abandoned_on__isnull=True)
        .select_related("commune", "promoter", "structure")
        .order_by("spotted_on", "pk")
    )
    columns = {stage: [] for stage in ProjectStage.values}
    for project in projects:
        columns[project.stage].append(project)
    board = [
        {
            "stage": ProjectStage(stage).label,
            "projects": rows,
            "places": sum(p.places_planned for p in rows),
            "dwellings": sum(p.dwellings_planned for p in rows),
        }
        for stage, rows in columns.items()
    ]
    return render(
        request, "accommodation/projects.html", {"department": department, "board": board, "total": len(projects)}
    )
