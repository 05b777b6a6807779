"""The pages every French public website carries (accessibilité, mentions légales,
données personnelles, plan du site), readable without logging in, and a help page per
module."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from toit.www.menu import MENU

HELP = {
    "prevention": "Prévention des expulsions",
    "plan": "Plan d'action et mesures",
    "observatoire": "Observatoire",
    "pilotage": "Pilotage",
    "imports": "Imports de fichiers",
}


@login_not_required
def accessibility(request):
    return render(request, "pages/accessibilite.html")


@login_not_required
def legal(request):
    return render(request, "pages/mentions_legales.html")


@login_not_required
def personal_data(request):
    return render(request, "pages/donnees_personnelles.html")


@login_not_required
def sitemap(request):
    return render(request, "pages/plan_du_site.html", {"menu": MENU, "help": HELP})


def help_index(request):
    return render(request, "help/index.html", {"help": HELP})


def help_page(request, module):
    if module not in HELP:
        raise Http404("Aucune aide pour ce module.")
    return render(request, f"help/{module}.html", {"title": HELP[module], "help": HELP})
