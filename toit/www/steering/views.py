"""Steering pages (sheets 4A, 4C): visible to members of the plan's organisations, editable
by administrators and responsables. Access is decided before anything is fetched."""

import itertools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from toit.observatory.access import access_for, plan_organisations
from toit.plans.models import Action
from toit.steering.attachments import attach
from toit.steering.enums import OrderStatus
from toit.steering.forms import (
    AgendaItemCorrectionForm,
    AgendaItemForm,
    AttachmentForm,
    DecisionCorrectionForm,
    DecisionFollowUpForm,
    DecisionForm,
    MeetingForm,
    OrderStepForm,
    StudyOrderForm,
)
from toit.steering.models import AgendaItem, Attachment, Decision, Meeting, StudyOrder
from toit.steering.services import (
    add_agenda_item,
    advance_order,
    correct_agenda_item,
    record_decision,
    save_meeting,
    save_order,
)
from toit.utils.collation import french
from toit.www.body_limit import accepts_upload, attachment_upload_limit
from toit.www.plans.views import redirect_to_current_plan, visible_plan


def _plan(request, plan_code, need="view"):
    plan = visible_plan(request, plan_code)
    access = access_for(request.user, plan)
    if not getattr(access, need):
        raise Http404("Pages de pilotage réservées aux partenaires du plan.")
    return plan, access


def _organisations(plan):
    return plan_organisations(plan).order_by(french("name"))


def _errors_to_form(form, exc):
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def home(request):
    return redirect_to_current_plan(request, "steering:overview")


def overview(request, plan_code):
    plan, access = _plan(request, plan_code)
    meetings = (
        Meeting.objects.filter(plan=plan)
        .annotate(
            decision_count=Count("decisions", distinct=True), attachment_count=Count("attachments", distinct=True)
        )
        .order_by("-date", "-pk")
    )
    decisions = (
        Decision.objects.filter(meeting__plan=plan)
        .open()
        .select_related("meeting", "responsible")
        .order_by("due_date", "pk")
    )
    orders = list(
        StudyOrder.objects.filter(plan=plan)
        .select_related("requested_by")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.only("id", "code")))
    )
    today = timezone.localdate()
    decisions = _flag_late(decisions, today)
    context = {
        "plan": plan,
        "access": access,
        "meetings": meetings,
        "decisions": decisions,
        "late_decisions": sum(d.late for d in decisions),
        "orders": _flag_late(orders, today),
        "late_orders": sum(o.late for o in orders),
    }
    return render(request, "steering/overview.html", context)


def _flag_late(records, today):
    """Decisions or orders with `late` set: past their due date and still open."""
    records = list(records)
    for record in records:
        record.late = record.is_overdue(today)
    return records


def _histories(model, pks):
    """The history of each record of `model` among `pks`, newest first, each version with
    `changed`: the labels of the fields it changed from the version before (one query)."""
    by_record = {pk: [] for pk in pks}
    for record in model.history.filter(id__in=pks).select_related("history_user").order_by("-history_date", "-pk"):
        by_record[record.id].append(record)
    fields = [f for f in model._meta.concrete_fields if f.name not in ("id", "updated_at", "created_at")]
    for versions in by_record.values():
        for newer, older in itertools.pairwise(versions):
            newer.changed = [
                str(f.verbose_name) for f in fields if f.value_from_object(newer) != f.value_from_object(older)
            ]
        if versions:
            versions[-1].changed = []
    return by_record


def _meeting(plan, pk):
    return get_object_or_404(Meeting.objects.filter(plan=plan), pk=pk)


def meeting_detail(request, plan_code, pk, forms=None):
    plan, access = _plan(request, plan_code)
    meeting = get_object_or_404(
        Meeting.objects.filter(plan=plan).prefetch_related(
            "attending",
            Prefetch("agenda_items", queryset=AgendaItem.objects.prefetch_related("actions")),
            Prefetch("decisions", queryset=Decision.objects.select_related("responsible", "agenda_item")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
            "study_orders",
        ),
        pk=pk,
    )
    decisions = _flag_late(meeting.decisions.all(), timezone.localdate())
    histories = _histories(Decision, [d.pk for d in decisions])
    for decision in decisions:
        decision.changes = histories[decision.pk]
    context = {
        "plan": plan,
        "access": access,
        "meeting": meeting,
        "decisions": decisions,
        "meeting_changes": _histories(Meeting, [meeting.pk])[meeting.pk],
    }
    if access.steer:
        forms = forms or {}
        organisations = _organisations(plan)
        context["agenda_form"] = forms.get("agenda") or AgendaItemForm(plan=plan)
        context["decision_form"] = forms.get("decision") or DecisionForm(meeting=meeting, organisations=organisations)
        context["attachment_form"] = forms.get("attachment") or AttachmentForm()
        for d in decisions:
            d.follow_up_form = DecisionFollowUpForm(
                initial={"status": d.status, "due_date": d.due_date}, prefix=f"suivi-{d.pk}"
            )
    status = 422 if forms else 200
    return render(request, "steering/meeting_detail.html", context, status=status)


def meeting_edit(request, plan_code, pk=None):
    plan, _access = _plan(request, plan_code, need="steer")
    meeting = _meeting(plan, pk) if pk else None
    organisations = _organisations(plan)
    initial = {}
    if meeting:
        initial = {
            "committee": meeting.committee,
            "date": meeting.date,
            "place": meeting.place,
            "summary": meeting.summary,
            "attending": list(meeting.attending.all()),
        }
    form = MeetingForm(request.POST or None, initial=initial, organisations=organisations, correction=bool(meeting))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("committee", "date", "place", "summary")}
        try:
            meeting = save_meeting(
                user=request.user,
                plan=plan,
                data=data,
                attending=form.cleaned_data["attending"],
                instance=meeting,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Réunion enregistrée : {meeting}.")
            return redirect("steering:meeting", plan_code=plan.code, pk=meeting.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "steering/meeting_form.html", {"plan": plan, "form": form, "meeting": meeting}, status=status
    )


@require_POST
def agenda_add(request, plan_code, pk):
    plan, _access = _plan(request, plan_code, need="steer")
    meeting = _meeting(plan, pk)
    form = AgendaItemForm(request.POST, plan=plan)
    if not form.is_valid():
        return meeting_detail(request, plan_code, pk, forms={"agenda": form})
    add_agenda_item(user=request.user, meeting=meeting, **form.cleaned_data)
    messages.success(request, "Point ajouté à l'ordre du jour.")
    return redirect("steering:meeting", plan_code=plan.code, pk=meeting.pk)


def agenda_correct(request, plan_code, pk):
    plan, _access = _plan(request, plan_code, need="steer")
    item = get_object_or_404(AgendaItem.objects.filter(meeting__plan=plan).select_related("meeting"), pk=pk)
    initial = {"title": item.title, "actions": list(item.actions.all())}
    form = AgendaItemCorrectionForm(request.POST or None, initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            correct_agenda_item(user=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Point de l'ordre du jour corrigé.")
            return redirect("steering:meeting", plan_code=plan.code, pk=item.meeting_id)
    status = 422 if request.method == "POST" else 200
    context = {"plan": plan, "form": form, "item": item, "meeting": item.meeting}
    return render(request, "steering/agenda_item_form.html", context, status=status)


@require_POST
def decision_add(request, plan_code, pk):
    plan, _access = _plan(request, plan_code, need="steer")
    meeting = _meeting(plan, pk)
    form = DecisionForm(request.POST, meeting=meeting, organisations=_organisations(plan))
    if form.is_valid():
        try:
            record_decision(user=request.user, meeting=meeting, data=form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Décision enregistrée.")
            return redirect("steering:meeting", plan_code=plan.code, pk=meeting.pk)
    return meeting_detail(request, plan_code, pk, forms={"decision": form})


@require_POST
def decision_follow_up(request, plan_code, pk):
    plan, _access = _plan(request, plan_code, need="steer")
    decision = get_object_or_404(Decision.objects.filter(meeting__plan=plan).select_related("meeting"), pk=pk)
    form = DecisionFollowUpForm(request.POST, prefix=f"suivi-{decision.pk}")
    if form.is_valid():
        try:
            data = {k: form.cleaned_data[k] for k in ("status", "due_date")}
            record_decision(
                user=request.user,
                meeting=decision.meeting,
                data=data,
                instance=decision,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(e for errors in exc.message_dict.values() for e in errors))
        else:
            messages.success(request, f"Suivi de la décision mis à jour : {decision.get_status_display().lower()}.")
    else:
        messages.error(request, "Suivi non enregistré : choisissez un état dans la liste et une date valide.")
    return redirect("steering:meeting", plan_code=plan.code, pk=decision.meeting_id)


def decision_correct(request, plan_code, pk):
    """Any field of a decision, corrected with a reason kept in its history."""
    plan, _access = _plan(request, plan_code, need="steer")
    decision = get_object_or_404(Decision.objects.filter(meeting__plan=plan).select_related("meeting"), pk=pk)
    meeting = decision.meeting
    fields = ("agenda_item", "text", "responsible", "due_date", "status")
    form = DecisionCorrectionForm(
        request.POST or None,
        initial={name: getattr(decision, name) for name in fields},
        meeting=meeting,
        organisations=_organisations(plan),
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_decision(
                user=request.user,
                meeting=meeting,
                data={name: form.cleaned_data[name] for name in fields},
                instance=decision,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Décision corrigée.")
            return redirect("steering:meeting", plan_code=plan.code, pk=meeting.pk)
    status = 422 if request.method == "POST" else 200
    context = {"plan": plan, "form": form, "decision": decision, "meeting": meeting}
    return render(request, "steering/decision_form.html", context, status=status)


def _upload(request, plan, *, meeting=None, order=None):
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attach(user=request.user, upload=form.cleaned_data["file"], meeting=meeting, order=order)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(request, "Fichier déposé.")
            return None
    return form


@require_POST
@accepts_upload(attachment_upload_limit)
def minutes_upload(request, plan_code, pk):
    plan, _access = _plan(request, plan_code, need="steer")
    meeting = _meeting(plan, pk)
    form = _upload(request, plan, meeting=meeting)
    if form is None:
        return redirect("steering:meeting", plan_code=plan.code, pk=meeting.pk)
    return meeting_detail(request, plan_code, pk, forms={"attachment": form})


def order_detail(request, plan_code, pk, attachment_form=None, step_form=None):
    plan, access = _plan(request, plan_code)
    order = get_object_or_404(
        StudyOrder.objects.filter(plan=plan)
        .select_related("requested_by", "meeting", "created_by")
        .prefetch_related(
            "actions", Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by"))
        ),
        pk=pk,
    )
    today = timezone.localdate()
    order.late = order.is_overdue(today)
    context = {"plan": plan, "access": access, "order": order, "changes": _histories(StudyOrder, [order.pk])[order.pk]}
    if access.steer:
        context["attachment_form"] = attachment_form or AttachmentForm()
        if order.status not in (OrderStatus.ACCEPTED, OrderStatus.ABANDONED):
            context["step_form"] = step_form or OrderStepForm(order=order, initial={"on": today})
    status = 422 if attachment_form or step_form else 200
    return render(request, "steering/order_detail.html", context, status=status)


@require_POST
def order_step(request, plan_code, pk):
    plan, _access = _plan(request, plan_code, need="steer")
    order = get_object_or_404(StudyOrder.objects.filter(plan=plan), pk=pk)
    form = OrderStepForm(request.POST, order=order)
    if form.is_valid():
        try:
            order = advance_order(user=request.user, order=order, today=timezone.localdate(), **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                _errors_to_form(form, exc)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, f"Commande « {order} » : {order.get_status_display().lower()}.")
            return redirect("steering:order", plan_code=plan.code, pk=order.pk)
    return order_detail(request, plan_code, pk, step_form=form)


def order_edit(request, plan_code, pk=None):
    plan, _access = _plan(request, plan_code, need="steer")
    order = get_object_or_404(StudyOrder.objects.filter(plan=plan), pk=pk) if pk else None
    initial = {}
    if order:
        initial = {
            name: getattr(order, name)
            for name in (
                "title",
                "question",
                "requested_by",
                "committee",
                "meeting",
                "ordered_on",
                "due_date",
                "status",
                "started_on",
                "delivered_on",
                "accepted_on",
            )
        }
        initial["actions"] = list(order.actions.all())
    form = StudyOrderForm(
        request.POST or None,
        initial=initial,
        plan=plan,
        organisations=_organisations(plan),
        correction=order is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("actions", "reason")}
        try:
            order = save_order(
                user=request.user,
                plan=plan,
                data=data,
                actions=form.cleaned_data["actions"],
                instance=order,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Commande d'étude enregistrée : {order}.")
            return redirect("steering:order", plan_code=plan.code, pk=order.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "steering/order_form.html", {"plan": plan, "form": form, "order": order}, status=status)


@require_POST
@accepts_upload(attachment_upload_limit)
def deliverable_upload(request, plan_code, pk):
    plan, _access = _plan(request, plan_code, need="steer")
    order = get_object_or_404(StudyOrder.objects.filter(plan=plan), pk=pk)
    form = _upload(request, plan, order=order)
    if form is None:
        return redirect("steering:order", plan_code=plan.code, pk=order.pk)
    return order_detail(request, plan_code, pk, attachment_form=form)


def attachment_download(request, plan_code, pk):
    plan, _access = _plan(request, plan_code)
    attachment = get_object_or_404(
        Attachment.objects.filter(meeting__plan=plan) | Attachment.objects.filter(order__plan=plan), pk=pk
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
