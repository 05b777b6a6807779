"""Pages of priority access (sheets 3A-3D): the user's records by channel, the DALO
deadlines queue and a household's channels in one view. Records are found through
visible_to (toit.priority_access.access): another partner's record and a missing one give
the same 404."""

from collections import defaultdict
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from toit.audit.log import log_access
from toit.linkage import channels, sources
from toit.linkage.runs import latest_run
from toit.priority_access.deadlines import large_agglomeration_lookup
from toit.priority_access.enums import DaloDecision
from toit.priority_access.models import (
    ContingentProposal,
    DaloAppeal,
    HousingDemand,
    MousFollowup,
    ProjectFollowup,
    SlidingLease,
)
from toit.priority_access.rules import commission_deadline, rehousing_deadline
from toit.www.eviction.common import nominative_required

SHOWN = 50
CHANNEL_MODELS = (
    ("demande", HousingDemand, "Demandes de logement social"),
    ("dalo", DaloAppeal, "Recours DALO"),
    ("contingent", ContingentProposal, "Propositions sur le contingent préfectoral"),
    ("demarche_projet", ProjectFollowup, "Démarche projet"),
    ("bail_glissant", SlidingLease, "Baux glissants"),
    ("mous", MousFollowup, "MOUS relogement"),
)


@nominative_required
def home(request):
    """The counts of the user's records in each channel, the latest first of each."""
    groups = []
    shown = []
    for code, model, label in CHANNEL_MODELS:
        queryset = model.objects.visible_to(request.user).select_related("commune").order_by("-created_at", "-pk")
        rows = list(queryset[:10])
        shown += rows
        groups.append({"code": code, "label": label, "rows": rows})
    log_access(request, shown)
    return render(request, "priority_access/home.html", {"groups": groups})


@dataclass
class DeadlineRow:
    appeal: DaloAppeal
    deadline: object
    overdue: bool


@nominative_required
def dalo_queue(request):
    """Appeals awaiting the commission and priority households awaiting housing, with the
    legal deadline of each (toit.priority_access.rules), overdue first."""
    today = timezone.localdate()
    visible = DaloAppeal.objects.visible_to(request.user).select_related("commune", "department")
    waiting_decision = list(visible.filter(decided_on__isnull=True).order_by("filed_on", "pk"))
    waiting_housing = list(
        visible.filter(decision=DaloDecision.PRIORITY).not_rehoused_on(today).order_by("decided_on", "pk")
    )
    large = large_agglomeration_lookup({a.department_id for a in waiting_decision + waiting_housing})
    decisions = []
    for appeal in waiting_decision:
        deadline = commission_deadline(appeal.filed_on, large(appeal.department_id, appeal.filed_on))
        decisions.append(DeadlineRow(appeal, deadline, deadline < today))
    housing = []
    for appeal in waiting_housing:
        deadline = rehousing_deadline(appeal.decided_on, large(appeal.department_id, appeal.decided_on))
        housing.append(DeadlineRow(appeal, deadline, deadline < today))
    for rows in (decisions, housing):
        rows.sort(key=lambda row: (not row.overdue, row.deadline, row.appeal.pk))
    log_access(request, [row.appeal for row in decisions[:SHOWN] + housing[:SHOWN]])
    return render(
        request,
        "priority_access/dalo_queue.html",
        {
            "decisions": decisions[:SHOWN],
            "decisions_count": len(decisions),
            "decisions_overdue": sum(row.overdue for row in decisions),
            "housing": housing[:SHOWN],
            "housing_count": len(housing),
            "housing_overdue": sum(row.overdue for row in housing),
            "shown": SHOWN,
            "today": today,
        },
    )


@nominative_required
def household(request, source, pk):
    """A household's channels: the record named in the URL and the records the latest
    cross-matching joined to it, among those the user may read (toit.linkage.channels)."""
    try:
        origin = sources.get(source)
    except LookupError:
        raise Http404("Fichier inconnu.") from None
    row = origin.visible_pks(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404("Aucune fiche visible ne porte ce numéro.")
    department = _department_of(source, pk)
    run = latest_run(department) if department is not None else None
    grouped = channels.household_channels(run, request.user, source, pk)
    _log_views(request, grouped)
    return render(request, "priority_access/household.html", {"grouped": grouped, "run": run})


def _department_of(source, pk):
    """The département of the record: the one whose latest run joins it to others."""
    from toit.territory.models import Department

    if source == "expulsion":
        return Department.objects.filter(communes__households__files__pk=pk).first()
    model = dict((code, model) for code, model, _label in CHANNEL_MODELS)[source]
    return Department.objects.filter(pk__in=model.objects.filter(pk=pk).values("department")).first()


def _log_views(request, grouped):
    """One access-log entry per record shown, by its model."""
    from toit.eviction.models import PreventionFile

    models = {code: model for code, model, _label in CHANNEL_MODELS} | {"expulsion": PreventionFile}
    wanted = defaultdict(list)
    for views in grouped.values():
        for view in views:
            wanted[view.source].append(view.pk)
    for code, pks in wanted.items():
        log_access(request, list(models[code].objects.filter(pk__in=pks)))
