"""The projects board of a département, by stage of the « habitat adapté » guide. Projects
are not nominative: every logged-in partner sees the board. The State services and the local
authorities of the département record them (toit.accommodation.access): a new project, and
each stage reached, one after the other, with its date."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from toit.accommodation import access
from toit.accommodation.enums import ProjectStage
from toit.accommodation.models import Project
from toit.www.accommodation.common import department_or_404
from toit.www.accommodation.forms import AdvanceForm, ProjectCorrectionForm, ProjectForm

NO_DEPARTMENT = "Vous n'enregistrez pas les projets de ce département."
NO_PROJECT = "Aucun projet que vous suivez ne porte ce numéro."


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
    context = {
        "department": department,
        "board": board,
        "total": len(projects),
        "may_write": access.may_write_projects(request.user, department.pk),
    }
    return render(request, "accommodation/projects.html", context)


@login_required
def create(request, department):
    department = department_or_404(department)
    if not access.may_write_projects(request.user, department.pk):
        raise Http404(NO_DEPARTMENT)
    form = ProjectForm(request.POST or None, department=department, user=request.user)
    if request.method == "POST" and form.submit():
        return redirect("accommodation:projects", department=department.code)
    context = {
        "title": f"Nouveau projet — {department.name}",
        "back_url": reverse("accommodation:projects", args=[department.code]),
        "back_label": "Tableau des projets",
        "intro": "Un projet entre à l'étape « Repéré » ; il avance ensuite d'une étape à la fois (étudié, en "
        "montage, financé, livré), chacune datée.",
        "form": form,
        "submit_label": "Enregistrer le projet",
    }
    return render(request, "accommodation/form.html", context)


def _writable_project(request, pk):
    try:
        return (
            Project.objects.filter(department__in=access.project_departments(request.user))
            .select_related("department")
            .get(pk=pk)
        )
    except Project.DoesNotExist:
        raise Http404(NO_PROJECT) from None


@login_required
def correct(request, pk):
    project = _writable_project(request, pk)
    form = ProjectCorrectionForm(
        request.POST or None, instance=project, department=project.department, user=request.user
    )
    if request.method == "POST" and form.submit():
        return redirect("accommodation:projects", department=project.department.code)
    history = list(project.history.select_related("history_user").order_by("-history_date")[:20])
    context = {
        "title": f"Corriger le projet « {project.name} »",
        "back_url": reverse("accommodation:projects", args=[project.department.code]),
        "back_label": "Tableau des projets",
        "intro": "Corrigez une date d'étape mal saisie, les places prévues, le porteur ; ou indiquez que le projet est "
        "abandonné. Le motif est gardé dans l'historique du projet.",
        "form": form,
        "submit_label": "Enregistrer la correction",
        "history": history,
        "history_title": "Historique du projet",
    }
    return render(request, "accommodation/form.html", context)


@login_required
def advance(request, pk):
    project = _writable_project(request, pk)
    stage_label = project.stage_label
    form = AdvanceForm(request.POST or None, project=project, user=request.user)
    if request.method == "POST" and form.submit():
        return redirect("accommodation:projects", department=project.department.code)
    history = list(project.history.select_related("history_user").order_by("-history_date")[:20])
    context = {
        "title": f"Faire avancer « {project.name} »",
        "back_url": reverse("accommodation:projects", args=[project.department.code]),
        "back_label": "Tableau des projets",
        "intro": f"Étape actuelle : {stage_label}. Les étapes du guide se franchissent une à une, dans l'ordre.",
        "form": form,
        "submit_label": "Enregistrer l'étape",
        "history": history,
        "history_title": "Historique du projet",
    }
    return render(request, "accommodation/form.html", context)
