"""The cross-matching of partners' files (sheet 3A): the review queue of links, for a
person who sees both records, and the result of the latest run of a département: counts
for every partner, names only for households whose every record the user may read
(toit.linkage.access)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from toit.audit.log import log_access
from toit.eviction.access import acting_organisations
from toit.linkage import access, results, sources
from toit.linkage import review as linkage_review
from toit.linkage.enums import Verdict
from toit.linkage.models import RecordLink
from toit.linkage.runs import latest_run, run_cross_matching
from toit.territory.models import Department
from toit.utils.collation import french
from toit.www.eviction.common import nominative_required
from toit.www.priority_access.views import CHANNEL_MODELS

SHOWN = 30


def _views_of(links):
    """{(source, pk): RecordView} for both sides of `links` (the user sees them all: the
    links come from visible_to). One query per source."""
    wanted = {}
    for link in links:
        wanted.setdefault(link.left_source, set()).add(link.left_pk)
        wanted.setdefault(link.right_source, set()).add(link.right_pk)
    views = {}
    for code, pks in wanted.items():
        views.update({(code, pk): view for pk, view in sources.get(code).describe(pks).items()})
    return views


def _log_records(request, views):
    from toit.eviction.models import PreventionFile

    models = {code: model for code, model, _label in CHANNEL_MODELS} | {"expulsion": PreventionFile}
    by_source = {}
    for view in views:
        by_source.setdefault(view.source, []).append(view.pk)
    for code, pks in by_source.items():
        log_access(request, list(models[code].objects.filter(pk__in=pks)))


@nominative_required
@require_http_methods(["GET", "POST"])
def review(request):
    organisations = list(acting_organisations(request.user).order_by(french("name")))
    if request.method == "POST":
        link = RecordLink.objects.visible_to(request.user).filter(pk=request.POST.get("link") or 0).first()
        organisation = next((o for o in organisations if str(o.pk) == request.POST.get("organisation")), None)
        if link is None or organisation is None:
            raise Http404("Ce lien n'existe pas ou vous ne voyez pas ses deux fiches.")
        try:
            verdict, reason = request.POST.get("verdict"), request.POST.get("reason")
            linkage_review.decide(link, request.user, organisation, verdict, reason)
        except (ValidationError, ValueError) as error:
            text = "; ".join(error.messages) if isinstance(error, ValidationError) else "Choisissez un avis."
            messages.error(request, text)
        else:
            messages.success(request, "Votre décision est enregistrée.")
        return redirect("priority_access:review")
    queue = list(linkage_review.review_queue(request.user)[:SHOWN])
    views = _views_of(queue)
    rows = [
        {
            "link": link,
            "left": views.get((link.left_source, link.left_pk)),
            "right": views.get((link.right_source, link.right_pk)),
        }
        for link in queue
    ]
    _log_records(request, views.values())
    return render(
        request,
        "priority_access/review.html",
        {"rows": rows, "organisations": organisations, "verdicts": Verdict.choices},
    )


@require_http_methods(["GET", "POST"])
def result(request, department_code):
    department = get_object_or_404(Department, code=department_code)
    if request.method == "POST":
        if not access.may_run(request.user):
            raise PermissionDenied("Seuls les responsables et administrateurs lancent un rapprochement.")
        run = run_cross_matching(department, user=request.user)
        messages.success(request, f"Rapprochement terminé : {run.links.count()} lien(s) trouvé(s).")
        return redirect("priority_access:cross_matching", department_code=department.code)
    run = latest_run(department)
    found = results.run_result(run, request.user, timezone.localdate()) if run else None
    if found:
        _log_records(request, [view for _household, views in found.named for view in views])
    return render(
        request,
        "priority_access/cross_matching.html",
        {
            "department": department,
            "run": run,
            "result": found,
            "may_run": access.may_run(request.user),
            "source_labels": [source.label for source in sources.all_sources()],
        },
    )
