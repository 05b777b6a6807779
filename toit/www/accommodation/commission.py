"""The admission commission's queue: applications awaiting a decision, admissions awaiting
an entry, recent entries with their wait. Only the commission's secretariat sees them."""

from django.shortcuts import render
from django.utils import timezone

from toit.accommodation import access
from toit.accommodation.enums import CommissionDecision
from toit.accommodation.models import Application
from toit.audit.log import log_access
from toit.www.accommodation.common import nominative_required

SHOWN = 50


@nominative_required
def queue(request):
    today = timezone.localdate()
    visible = Application.objects.visible_to(request.user).select_related(
        "commission", "proposed_structure", "referred_by"
    )
    sections = []
    for slug, title, queryset in (
        (
            "en-attente",
            "Demandes en attente de la commission",
            visible.filter(decision=CommissionDecision.PENDING).order_by("applied_on", "pk"),
        ),
        (
            "admis",
            "Admissions prononcées, entrée à venir",
            visible.filter(decision=CommissionDecision.ACCEPTED, entered_on__isnull=True).order_by("examined_on", "pk"),
        ),
        ("entrees", "Entrées récentes", visible.filter(entered_on__isnull=False).order_by("-entered_on", "-pk")),
    ):
        rows = list(queryset[:SHOWN])
        for row in rows:
            row.waiting_days = row.wait_days if row.entered_on else (today - row.applied_on).days
        sections.append({"slug": slug, "title": title, "rows": rows})
    shown = [row for section in sections for row in section["rows"]]
    log_access(request, shown)
    context = {"sections": sections, "commissions": list(access.commissions_of(request.user)), "today": today}
    return render(request, "accommodation/commission.html", context)
