"""Reports of unpaid rent (fiche 1A): record one, look at the files it may belong to among
those one already reads, then attach it to one of them or open a new file; the list of
reports still unmatched; and the queue of reports transmitted to the files one takes part
in, where a participant decides whether the report is the household's and, apart, whether
its author joins the file (toit.eviction.intake)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from toit.audit.log import log_access
from toit.eviction import access, intake
from toit.eviction.matching import find_matches
from toit.eviction.models import PreventionFile, Report, ReportTransmission
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
    """find_matches (files the user already reads, nothing else), with what a row shows of
    them fetched in one go."""
    candidates = find_matches(report.identity, user)
    readable = PreventionFile.objects.visible_to(user).with_household().in_bulk([c.file.pk for c in candidates])
    return [
        {"candidate": c, "file": readable[c.file.pk], "person": reference_person(readable[c.file.pk].household)}
        for c in candidates
        if c.file.pk in readable
    ]


def _decisions(report, user):
    """What a participant of the files the report was transmitted to may decide: the
    pending transmissions to files they take part in lastingly, and whether the reporting
    organisation joins the file the report is attached to."""
    pending = list(
        ReportTransmission.objects.for_participant(user)
        .pending()
        .filter(report=report)
        .select_related("file__household__commune", "file__opened_by")
    )
    for transmission in pending:
        transmission.person = reference_person(transmission.file.household)
    join = (
        report.file_id is not None
        and not report.join_decision
        and not access.takes_part_lastingly(report.reporting_organisation, report.file)
        and access.lasting_organisations(user, report.file).exists()
    )
    return pending, join


def _report_page(request, report, open_form=None, status=200):
    user = request.user
    may_handle = access.nominative_memberships(user).filter(organisation=report.reporting_organisation_id).exists()
    state = intake.report_status(report, user)
    pending, may_decide_join = _decisions(report, user)
    context = {
        "report": report,
        "may_handle": False,
        "state": state,
        "transmissions": pending,
        "may_decide_join": may_decide_join,
        "file_visible": state == "rattache",
    }
    if state == "a_rattacher" and may_handle:
        context.update(
            may_handle=True,
            candidates=_candidates(report, user),
            open_form=open_form or OpenFileForm(report=report, user=user),
        )
    shown = [report, *(row["file"] for row in context.get("candidates", ())), *(t.file for t in pending)]
    log_access(request, shown)
    return render(request, "eviction/report_detail.html", context, status=status)


@nominative_required
def transmitted_list(request):
    """The reports transmitted to files the user's organisations take part in, waiting
    for one of them to decide."""
    transmissions = (
        ReportTransmission.objects.for_participant(request.user)
        .pending()
        .select_related("report__reporting_organisation", "report__commune", "file")
        .order_by("created_at", "pk")
    )
    page = Paginator(transmissions, PAGE_SIZE).get_page(request.GET.get("page"))
    log_listed(request, [t.report for t in page.object_list])
    return render(request, "eviction/transmitted.html", {"page": page})


@nominative_required
@require_POST
def transmission_decide(request, pk, transmission_pk):
    report = _report(request, pk)
    transmission = get_object_or_404(
        ReportTransmission.objects.for_participant(request.user).select_related("file"),
        pk=transmission_pk,
        report=report,
    )
    try:
        if request.POST.get("decision") == "rattacher":
            intake.attach_report(report, transmission.file, request.user)
            messages.success(request, f"Signalement rattaché au dossier {transmission.file.reference}.")
        elif request.POST.get("decision") == "ecarter":
            intake.decline_transmission(transmission, request.user, note=request.POST.get("note", ""))
            messages.success(request, "Signalement écarté : il ne concerne pas ce ménage.")
        else:
            messages.error(request, "Choisissez « rattacher » ou « écarter ».")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    return redirect("eviction:report", pk=report.pk)


@nominative_required
@require_POST
def report_join(request, pk):
    report = _report(request, pk)
    choice = request.POST.get("join")
    if choice not in ("oui", "non"):
        messages.error(request, "Dites si l'organisation qui signale participe au dossier (oui ou non).")
        return redirect("eviction:report", pk=report.pk)
    try:
        intake.decide_join(report, request.user, join=choice == "oui", reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("eviction:report", pk=report.pk)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("eviction:report", pk=report.pk)
    if choice == "oui":
        messages.success(request, f"« {report.reporting_organisation} » participe désormais au dossier.")
    else:
        messages.success(request, f"« {report.reporting_organisation} » ne participe pas au dossier.")
    return redirect("eviction:report", pk=report.pk)


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
