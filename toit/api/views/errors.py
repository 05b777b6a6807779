from django.contrib.auth.decorators import login_not_required
from django.views.decorators.csrf import csrf_exempt

from toit.api.problems import problem


@csrf_exempt
@login_not_required
def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint: a problem, not the site's HTML page."""
    return problem(
        request,
        404,
        "Aucune opération de l'API à cette adresse : vérifiez le chemin (et la barre oblique finale) dans la "
        "documentation, /api/docs/.",
    )
