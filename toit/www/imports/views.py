"""Pages of the imports: the organisation's jobs, a deposit form, a job with its progress
(polled by htmx), its error report and the user's choice. Every job is fetched through
ImportJob.objects.visible_to(user): another organisation's job is a 404."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from toit.audit.enums import AccessAction
from toit.audit.log import log_access
from toit.imports import jobs, report
from toit.imports.enums import Decision, JobStatus
from toit.imports.mappings import SOURCE_KINDS
from toit.imports.models import ImportJob
from toit.www.body_limit import accepts_upload, import_upload_limit
from toit.www.imports.forms import UploadForm

ISSUES_SHOWN = 20
SAMPLES = Path(settings.BASE_DIR) / "docs" / "samples" / "imports"


def _job(request, pk):
    queryset = ImportJob.objects.visible_to(request.user).select_related("organisation", "user")
    return jobs.refresh(get_object_or_404(queryset, pk=pk))


def job_list(request):
    queryset = ImportJob.objects.visible_to(request.user).select_related("organisation", "user")
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    for job in page:
        jobs.refresh(job)
    # A deposited file's name may carry a household's name: the list is logged.
    log_access(request, list(page), action=AccessAction.LIST)
    return render(
        request,
        "imports/list.html",
        {"page": page, "may_import": jobs.importing_organisations(request.user).exists()},
    )


@accepts_upload(import_upload_limit)
def new_job(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = jobs.submit(request.user, data["organisation"], data["source_kind"], data["file"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error("organisation", str(exc))
        else:
            messages.success(
                request, "Fichier déposé : sa vérification a commencé. Rien n'est importé avant votre choix."
            )
            return redirect("imports:detail", pk=job.pk)
    return render(request, "imports/new.html", {"form": form, "sources": SOURCE_KINDS.values()})


def _detail_context(job):
    return {
        "job": job,
        "progress": jobs.progress_of(job),
        "issues": list(job.issues.order_by("line_number", "pk")[:ISSUES_SHOWN]) if job.error_count else [],
        "issues_shown": ISSUES_SHOWN,
        "step": _step(job),
        "decisions": Decision,
    }


def _step(job):
    """(number, title, next title) of the DSFR stepper."""
    steps = ["Dépôt du fichier", "Vérification", "Votre choix", "Import"]
    number = {
        JobStatus.UPLOADED: 2,
        JobStatus.VALIDATING: 2,
        JobStatus.VALIDATED: 3 if not job.decision else 4,
        JobStatus.IMPORTING: 4,
        JobStatus.DONE: 4,
        JobStatus.CANCELLED: 3,
        JobStatus.FAILED: 4 if job.decision else 2,
    }[job.status]
    return {
        "number": number,
        "count": len(steps),
        "title": steps[number - 1],
        "next": steps[number] if number < 4 else "",
    }


def job_detail(request, pk):
    job = _job(request, pk)
    log_access(request, job)  # the error report's first lines quote the file's cells
    return render(request, "imports/detail.html", _detail_context(job))


def job_progress(request, pk):
    """The progress block, polled every two seconds while the job runs; once it has
    stopped, the whole page reloads to show the result or the choice."""
    job = _job(request, pk)
    response = render(request, "imports/_progress.html", {"job": job, "progress": jobs.progress_of(job)})
    if not job.in_progress and not (job.status == JobStatus.VALIDATED and job.decision):
        response["HX-Refresh"] = "true"
    return response


@require_POST
def decide(request, pk):
    job = _job(request, pk)
    decision = request.POST.get("decision", "")
    if decision not in Decision.values:
        messages.error(request, "Choix inconnu : choisissez d'importer les lignes valides, tout, ou rien.")
        return redirect("imports:detail", pk=job.pk)
    try:
        job = jobs.decide(job, request.user, decision)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        if job.status == JobStatus.CANCELLED:
            messages.info(request, "Rien n'a été importé ; les lignes vérifiées ont été effacées.")
        else:
            messages.success(request, "Import lancé : il se fait en une seule fois, ou pas du tout.")
    return redirect("imports:detail", pk=job.pk)


@require_POST
def rerun(request, pk):
    job = _job(request, pk)
    try:
        jobs.rerun(job, request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "Traitement relancé.")
    return redirect("imports:detail", pk=job.pk)


def error_report(request, pk):
    job = _job(request, pk)
    log_access(request, job, action=AccessAction.EXPORT)
    response = StreamingHttpResponse(report.csv_lines(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="erreurs-import-{job.pk}.csv"'
    return response


def sample(request, source_kind):
    """The documented sample file of a source kind (synthetic data, docs/samples/imports)."""
    source = SOURCE_KINDS.get(source_kind)
    if source is None or not source.sample:
        raise Http404("Type de fichier inconnu.")
    return FileResponse((SAMPLES / source.sample).open("rb"), as_attachment=True, filename=source.sample)
