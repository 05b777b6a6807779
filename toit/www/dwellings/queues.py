"""Prescribed works past their deadline, not recorded as done: what the pôle chases."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from toit.dwellings import access
from toit.dwellings.models import PrescribedWork
from toit.www.dwellings.common import log_listed, pole_member_required

PAGE_SIZE = 50


@pole_member_required
def overdue_works(request):
    today = timezone.localdate()
    works = (
        PrescribedWork.objects.past_deadline(today)
        .filter(access.dwelling_q(request.user, "act__case__dwelling__"))
        .select_related("act__case__dwelling__commune", "act__case__dwelling__owner")
        .order_by("deadline", "pk")
    )
    page = Paginator(works, PAGE_SIZE).get_page(request.GET.get("page"))
    for work in page.object_list:
        work.days_late = (today - work.deadline).days
    log_listed(request, {w.act.case.dwelling_id: w.act.case.dwelling for w in page.object_list}.values())
    return render(request, "dwellings/overdue_works.html", {"page": page, "today": today, "query": ""})
