"""Reports of unpaid rent (fiche 1A): record one, look at the files it may belong to, then
attach it to one of them or open a new file; and the list of reports still unmatched."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from toit.audit.log import log_access
from toit.eviction import access, intake
from toit.eviction.matching import find_matches
from toit.eviction.models import PreventionFile, Report
from toit.eviction.references import clean_reference
from toit.www.eviction.common import log_listed, nominative_required
from toit.www.eviction.followup import file_url
from toit.www.eviction.forms import OpenFileForm, ReportForm
from toit.www.eviction.search import PAGE_SIZE, reference_person


@nominative_required
def report_list(request):
    reports = Report.objects.awaiting_match(request.user)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    log_listed(request, page.object_list)
    return render(request, "eviction/reports.html", {"page": page, "query": ""})


@nominative_required
def report_new(request):
    form = ReportForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.submit():
        messages.success(request, "Signalement enregistré : vérifiez s'il concerne un dossier existant.")
        return redirect("eviction:report", pk=form.result.pk)
    return render(request, "eviction/report_form.html", {"form": form}, status=422 if form.is_bound else 200)


def _report(request, pk):
    reports = Report.objects.visible_to(request.user).select_related(
        "reporting_organisation", "commune", "social_landlord", "file", "recorded_by"
    )
    return get_object_or_404(reports, pk=pk)


def _candidates(report, user):
    """find_matches, with what a row shows of the files the user may read fetched in one go
    (the others show only reference, opening organisation and date, and reasons)."""
    candidates = find_matches(report.identity, user)
    readable = (
        PreventionFile.objects.visible_to(user).with_household().in_bulk([c.file.pk for c in candidates if c.visible])
    )
    rows = []
    for candidate in candidates:
        file = readable.get(candidate.file.pk)
        rows.append(
            {
                "candidate": candidate,
                "file": file or candidate.file,
                "person": reference_person(file.household) if file else None,
            }
        )
    return rows


def _report_page(request, report, open_form=None, status=200):
    may_handle = access.nominative_memberships(request.user).filter(organisation=report.reporting_organisation_id)
    context = {"report": report, "may_handle": False}
    if report.file_id is None and may_handle.exists():
        context.update(
            may_handle=True,
            candidates=_candidates(report, request.user),
            open_form=open_form or OpenFileForm(report=report, user=request.user),
        )
    elif report.file_id is not None:
        context["file_visible"] = access.is_visible(report.file, request.user)
    # The report's identity, and the files it may match: a candidate the user cannot open
    # still tells that a household so named is followed by another organisation.
    shown = [report, *(row["file"] for row in context.get("candidates", ()))]
    log_access(request, shown)
    return render(request, "eviction/report_detail.html", context, status=status)


@nominative_required
def report_detail(request, pk):
    return _report_page(request, _report(request, pk))


@nominative_required
@require_POST
def report_attach(request, pk):
    report = _report(request, pk)
    reference = clean_reference(request.POST.get("reference", ""))
    # Only a file find_matches proposed: a reference typed by hand must not open another file.
    file = next((c.file for c in find_matches(report.identity, request.user) if c.file.reference == reference), None)
    if file is None:
        messages.error(
            request, "Ce dossier ne fait pas partie des rapprochements proposés : choisissez-en un ci-dessous."
        )
        return redirect("eviction:report", pk=report.pk)
    try:
        intake.attach_report(report, file, request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect("eviction:report", pk=report.pk)
    messages.success(request, f"Signalement rattaché au dossier {file.reference}.")
    return redirect(file_url(file, "chronologie"))


@nominative_required
@require_POST
def report_open_file(request, pk):
    report = _report(request, pk)
    form = OpenFileForm(request.POST, report=report, user=request.user)
    if form.submit():
        messages.success(request, f"Dossier {form.result.reference} ouvert à partir du signalement.")
        return redirect(file_url(form.result))
    return _report_page(request, report, open_form=form, status=422)
