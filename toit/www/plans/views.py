from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from toit.organisations.models import Organisation
from toit.organisations.perms import active_memberships
from toit.plans.measurements import NO_BASE_WARNING, cancel_measurement, correct_measurement, record_measurement
from toit.plans.models import Action, Indicator, Measurement
from toit.plans.progress import indicators_with_data, progress_for, series_by_year
from toit.plans.selection import choose_plan, current_plan, plans_for
from toit.www.eviction.forms import add_domain_errors
from toit.www.plans.forms import MeasurementCancelForm, MeasurementCorrectionForm, MeasurementForm


def home(request):
    return redirect_to_current_plan(request, "plans:overview")


def redirect_to_current_plan(request, url_name):
    """The user's plan (toit.plans.selection.current_plan), never the instance's most recent."""
    plan = current_plan(request.user, request.session)
    if plan is None:
        return render(request, "plans/no_plan.html")
    return redirect(url_name, plan_code=plan.code)


@require_POST
def choose(request):
    """Explicit switch among the plans the user may open; kept for the session."""
    plan = choose_plan(request.user, request.session, request.POST.get("plan", ""))
    if plan is None:
        raise Http404("Plan inconnu ou réservé à ses partenaires.")
    messages.success(request, f"Vous travaillez maintenant sur « {plan.title} ».")
    return redirect("plans:overview", plan_code=plan.code)


def visible_plan(request, plan_code):
    """The plan, if the user may open it; else 404 before anything of it is read."""
    return get_object_or_404(plans_for(request.user), code=plan_code)


def overview(request, plan_code):
    plan = visible_plan(request, plan_code)
    orientations = plan.orientations.prefetch_related(
        Prefetch(
            "actions",
            queryset=Action.objects.prefetch_related(
                "responsible", Prefetch("indicators", queryset=Indicator.objects.only("id", "action_id"))
            ),
        )
    )
    progress = progress_for(indicators_with_data(plan).filter(kind="manual"))
    statuses = {}
    for item in progress:
        statuses.setdefault(item.indicator.action_id, []).append(item.status)
    return render(
        request,
        "plans/overview.html",
        {
            "plan": plan,
            "orientations": orientations,
            "statuses": statuses,
            "plans": plans_for(request.user).order_by("department_code", "-first_year"),
        },
    )


def _action_context(request, plan, action, forms=None):
    progress = progress_for(indicators_with_data(plan).filter(action=action))
    recordable = set(Indicator.objects.recordable_by(request.user).filter(action=action).values_list("pk", flat=True))
    forms = forms or {}
    territories = list(plan.territories.all())
    for item in progress:
        item.series = series_by_year(item, plan)
        if item.indicator.pk in recordable:
            item.form = forms.get(item.indicator.pk) or MeasurementForm(
                indicator=item.indicator, territories=territories
            )
    return {"plan": plan, "action": action, "progress": progress}


def action_detail(request, plan_code, action_code):
    plan = visible_plan(request, plan_code)
    action = get_object_or_404(
        Action.objects.select_related("orientation").prefetch_related("responsible", "partners", "cost_amounts"),
        plan=plan,
        code=action_code,
    )
    return render(request, "plans/action_detail.html", _action_context(request, plan, action))


@require_POST
def record(request, plan_code, indicator_code):
    indicator = get_object_or_404(
        Indicator.objects.recordable_by(request.user).select_related("plan", "action"),
        plan__code=plan_code,
        code=indicator_code,
    )
    form = MeasurementForm(request.POST, indicator=indicator)
    saved_message = saved_warning = ""
    if form.is_valid():
        organisation = Organisation.objects.filter(
            pk__in=active_memberships(request.user).values("organisation"), responsible_for=indicator.action
        ).first()
        try:
            measurement = record_measurement(
                user=request.user,
                indicator=indicator,
                period=form.cleaned_data["period"],
                territory=form.territory_object(),
                value=form.cleaned_data["value"],
                base=form.cleaned_data.get("base"),
                source=form.cleaned_data["source"],
                comment=form.cleaned_data["comment"],
                organisation=organisation,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            saved_message = (
                f"Mesure enregistrée : {indicator.code}, {measurement.period.label}, {measurement.display_value}."
            )
            saved_warning = NO_BASE_WARNING if measurement.lacks_base else ""
            if not request.htmx:
                messages.success(request, saved_message)
                if saved_warning:
                    messages.warning(request, saved_warning)
                return redirect("plans:action", plan_code=plan_code, action_code=indicator.action.code)
            form = None
    plan, action = indicator.plan, indicator.action
    context = _action_context(request, plan, action, forms={indicator.pk: form} if form else None)
    if request.htmx:
        # htmx only swaps 2xx responses: errors come back as a 200 partial carrying the form.
        item = next(p for p in context["progress"] if p.indicator.pk == indicator.pk)
        return render(
            request,
            "plans/_indicator.html",
            {
                "item": item,
                "plan": plan,
                "action": action,
                "saved_message": saved_message,
                "saved_warning": saved_warning,
            },
        )
    return render(request, "plans/action_detail.html", context, status=422)


def _measurement_value(measurement):
    if measurement.indicator.unit == "text":
        return measurement.text_value
    # "1400.00" is shown as "1400", "12.50" as "12,5": what a person would type.
    return format(measurement.value.normalize(), "f").replace(".", ",")


def correct(request, plan_code, pk):
    """Correct or cancel a measurement (toit.plans.measurements): whoever may record the
    indicator, for the organisation it was recorded for; anyone else gets a 404."""
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__plan", "indicator__action", "territory", "recorded_for").filter(
            indicator__in=Indicator.objects.recordable_by(request.user)
        ),
        indicator__plan__code=plan_code,
        pk=pk,
    )
    indicator = measurement.indicator
    back = reverse("plans:action", args=[plan_code, indicator.action.code]) + f"#indicateur-{indicator.code}"
    form = MeasurementCorrectionForm(
        indicator=indicator,
        initial={
            "value": _measurement_value(measurement),
            "base": "" if measurement.base is None else measurement.base,
            "source": measurement.source,
            "comment": measurement.comment,
        },
    )
    cancel_form = MeasurementCancelForm(prefix="suppression")
    status = 200
    if request.method == "POST":
        status = 422
        cancelling = request.POST.get("operation") == "annuler"
        bound = (
            MeasurementCancelForm(request.POST, prefix="suppression")
            if cancelling
            else MeasurementCorrectionForm(request.POST, indicator=indicator)
        )
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if cancelling:
                    cancel_measurement(measurement, request.user, data["reason"])
                else:
                    correct_measurement(
                        measurement,
                        request.user,
                        data["reason"],
                        value=data["value"],
                        # Absent for a count: unchanged (None); empty: the base is removed.
                        base=data.get("base"),
                        source=data["source"],
                        comment=data["comment"],
                    )
            except ValidationError as exc:
                add_domain_errors(bound, exc)
            except PermissionDenied as exc:
                bound.add_error(None, str(exc))
            else:
                what = "supprimée" if cancelling else "corrigée"
                messages.success(
                    request, f"Mesure {indicator.code} ({measurement.period.label}) {what} ; le motif est gardé."
                )
                if not cancelling and not data.get("base") and "base" in bound.fields:
                    messages.warning(request, NO_BASE_WARNING)
                return redirect(back)
        if cancelling:
            cancel_form = bound
        else:
            form = bound
    context = {
        "measurement": measurement,
        "indicator": indicator,
        "form": form,
        "cancel_form": cancel_form,
        "back": back,
        "no_base_warning": NO_BASE_WARNING,
    }
    return render(request, "plans/measurement_correction.html", context, status=status)


__all__ = ["action_detail", "correct", "home", "overview", "record"]
