import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from toit.metrics.periods import Period
from toit.observatory import opendata as open_data
from toit.observatory.access import access_for, plan_organisations
from toit.observatory.dashboard import dashboard as dashboard_data
from toit.observatory.enums import ReportKind
from toit.observatory.models import ComputationRun, PublicationRun, PublishedReport
from toit.observatory.publishing import PublicationRequestError, request_publication
from toit.observatory.publishing import refresh as refresh_publication
from toit.observatory.reports.build import build_report
from toit.observatory.runs import ComputationRequestError, request_computation
from toit.observatory.territories import all_territories, territory_for_slug
from toit.plans.models import Plan
from toit.utils.collation import french
from toit.www.observatory.forms import ComputeForm, DashboardFilterForm, ReportForm
from toit.www.plans.views import redirect_to_current_plan, visible_plan


def _plan_and_access(request, plan_code, need="view"):
    """The plan, if the user may see (or operate) the observatory; else 404, before any
    figure is fetched."""
    plan = visible_plan(request, plan_code)
    access = access_for(request.user, plan)
    if not getattr(access, need):
        raise Http404("Observatoire réservé aux partenaires du plan.")
    return plan, access


def home(request):
    return redirect_to_current_plan(request, "observatory:dashboard")


def dashboard(request, plan_code):
    plan, access = _plan_and_access(request, plan_code)
    territories = all_territories(plan)
    form = DashboardFilterForm(
        request.GET or None,
        orientations=plan.orientations.all(),
        organisations=plan_organisations(plan).filter(responsible_for__plan=plan).order_by(french("name")),
        territories=territories,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    territory = territory_for_slug(territories, filters.get("territoire", "")) or territories[0]
    blocks = dashboard_data(
        plan,
        territory=territory,
        orientation=filters.get("orientation", ""),
        organisation=filters.get("organisation", ""),
    )
    context = {
        "plan": plan,
        "access": access,
        "form": form,
        "territory": territory,
        "blocks": blocks,
        "last_run": ComputationRun.objects.filter(plan=plan).select_related("requested_by").first(),
        "compute_form": ComputeForm(plan=plan) if access.operate else None,
    }
    template = "observatory/_dashboard_results.html" if request.htmx else "observatory/dashboard.html"
    return render(request, template, context)


@require_POST
def compute(request, plan_code):
    plan, _access = _plan_and_access(request, plan_code, need="operate")
    form = ComputeForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            run = request_computation(
                plan,
                user=request.user,
                period_code=form.cleaned_data["period"],
                everywhere=form.cleaned_data["all_territories"],
                reason="tableau de bord",
            )
        except ComputationRequestError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Calcul demandé ({run.period_code or 'toutes les périodes'}) : il s'exécute en arrière-plan ; "
                f"état actuel : {run.get_status_display().lower()}.",
            )
    else:
        messages.error(request, "Période inconnue : choisissez une période du plan dans la liste.")
    return redirect("observatory:dashboard", plan_code=plan.code)


def reports(request, plan_code):
    plan, access = _plan_and_access(request, plan_code)
    published = PublishedReport.objects.filter(plan=plan).defer("pdf", "xlsx").select_related("published_by")
    context = {"plan": plan, "access": access, "published": published, "form": ReportForm(plan=plan)}
    if access.operate:
        context["publications"] = PublicationRun.objects.filter(plan=plan).select_related("requested_by")[:5]
    return render(request, "observatory/reports.html", context)


def _report_request(request, plan, data):
    form = ReportForm(data, plan=plan)
    if not form.is_valid():
        return form, None, None
    kind = ReportKind(form.cleaned_data["kind"])
    period = Period.parse(form.cleaned_data["period"])
    expected = "quarter" if kind == ReportKind.QUARTERLY else "year"
    if period.kind != expected:
        form.add_error(
            "period",
            "Le suivi trimestriel porte sur un trimestre, le suivi annuel sur une année : changez la période.",
        )
        return form, None, None
    return form, kind, period


def report_preview(request, plan_code):
    plan, access = _plan_and_access(request, plan_code)
    form, kind, period = _report_request(request, plan, request.GET or None)
    if kind is None:
        published = PublishedReport.objects.filter(plan=plan).defer("pdf", "xlsx").select_related("published_by")
        context = {"plan": plan, "access": access, "published": published, "form": form}
        return render(request, "observatory/reports.html", context, status=422 if request.GET else 200)
    report = build_report(plan, kind, period)
    return render(request, "observatory/report_preview.html", {"plan": plan, "access": access, "report": report})


@require_POST
def publish(request, plan_code):
    """Asks for the publication and answers at once: the report is built in the background
    and the publication's page shows its progress."""
    plan, _access = _plan_and_access(request, plan_code, need="operate")
    form, kind, period = _report_request(request, plan, request.POST)
    if kind is None:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("observatory:reports", plan_code=plan.code)
    try:
        run = request_publication(plan, kind, period, user=request.user)
    except PublicationRequestError as exc:
        messages.error(request, str(exc))
        return redirect("observatory:reports", plan_code=plan.code)
    return redirect("observatory:publication", plan_code=plan.code, pk=run.pk)


def _publication(request, plan_code, pk):
    plan, access = _plan_and_access(request, plan_code, need="operate")
    run = get_object_or_404(
        PublicationRun.objects.filter(plan=plan).select_related("requested_by"),
        pk=pk,
    )
    return plan, access, refresh_publication(run)


def publication(request, plan_code, pk):
    plan, access, run = _publication(request, plan_code, pk)
    report = PublishedReport.objects.defer("pdf", "xlsx").get(pk=run.report_id) if run.report_id else None
    return render(
        request, "observatory/publication.html", {"plan": plan, "access": access, "run": run, "report": report}
    )


def publication_progress(request, plan_code, pk):
    """The progress block, polled every two seconds while the publication runs; once it
    has stopped, the whole page reloads to show the result."""
    plan, _access, run = _publication(request, plan_code, pk)
    response = render(request, "observatory/_publication_progress.html", {"plan": plan, "run": run})
    if not run.in_progress:
        response["HX-Refresh"] = "true"
    return response


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(request, plan_code, pk, fmt):
    plan, _access = _plan_and_access(request, plan_code)
    if fmt not in CONTENT_TYPES:
        raise Http404("Format inconnu.")
    report = get_object_or_404(
        PublishedReport.objects.only("pk", "kind", "period_code", "version", fmt), plan=plan, pk=pk
    )
    response = HttpResponse(bytes(getattr(report, fmt)), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report.filename(fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Open data: aggregated and protected by disclosure control, so public (no login).


@login_not_required
def opendata(request, plan_code):
    plan = get_object_or_404(Plan, code=plan_code)
    return render(request, "observatory/opendata.html", {"plan": plan, "fields": open_data.FIELDS})


@login_not_required
def opendata_csv(request, plan_code):
    plan = get_object_or_404(Plan, code=plan_code)
    response = HttpResponse(open_data.csv_text(plan), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{open_data.CSV_NAME}"'
    return response


@login_not_required
def opendata_spreadsheet_csv(request, plan_code):
    plan = get_object_or_404(Plan, code=plan_code)
    response = HttpResponse(open_data.spreadsheet_csv_text(plan), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{open_data.SPREADSHEET_CSV_NAME}"'
    return response


@login_not_required
def opendata_package(request, plan_code):
    plan = get_object_or_404(Plan, code=plan_code)
    return HttpResponse(
        json.dumps(open_data.descriptor(plan), ensure_ascii=False, indent=2), content_type="application/json"
    )
