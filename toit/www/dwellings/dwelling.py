"""The dwelling's page: address, owner and its « bailleur indélicat » decisions, cases
(reports, visits, qualifications, acts with their prescribed works and deadlines,
rehousings, exit), PST entry, DPE and gain, pending merge proposals, change history — in a
fixed number of queries."""

from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils import timezone

from toit.dwellings import access, energy
from toit.dwellings.enums import MergeStatus, Stage
from toit.dwellings.history import dwelling_history
from toit.dwellings.models import Act, Case, Dwelling, IndelicacyDecision, MergeProposal, PrescribedWork
from toit.www.dwellings.common import log_read, pole_member_required, visible_dwelling


@pole_member_required
def dwelling_detail(request, pk):
    today = timezone.localdate()
    dwelling = visible_dwelling(
        request.user, pk, Dwelling.objects.select_related("commune__epci", "owner", "merged_into__commune", "household")
    )
    acts = Act.objects.select_related("lifts").prefetch_related(
        Prefetch("works", queryset=PrescribedWork.objects.order_by("deadline", "pk"))
    )
    cases = list(
        Case.objects.filter(dwelling=dwelling)
        .with_stage()
        .prefetch_related(
            "reports__reporting_organisation",
            "visits__organisation",
            "qualifications",
            Prefetch("acts", queryset=acts.order_by("signed_on", "pk")),
            "rehousings__organisation",
        )
        .order_by("-opened_on", "-pk")
    )
    for case in cases:
        case.stage_label = Stage(case.stage).label
        for act in case.acts.all():
            for work in act.works.all():
                work.overdue = work.done_on is None and work.deadline < today
    decisions = []
    if dwelling.owner_id:
        decisions = list(
            IndelicacyDecision.objects.filter(owner_id=dwelling.owner_id)
            .prefetch_related("reviews")
            .order_by("-decided_on")
        )
    diagnoses = list(dwelling.energy_diagnoses.order_by("made_on", "pk"))
    pst = getattr(dwelling, "pst", None) if hasattr(dwelling, "pst") else None
    proposals = list(
        MergeProposal.objects.filter(Q(dwelling=dwelling) | Q(duplicate=dwelling), status=MergeStatus.PENDING)
        .select_related("dwelling__commune", "duplicate__commune")
        .order_by("pk")
    )
    history, history_total = dwelling_history(dwelling)
    context = {
        "dwelling": dwelling,
        "today": today,
        "cases": cases,
        "decisions": decisions,
        "indelicate_now": any(
            d.decided_on <= today and (d.withdrawn_on is None or d.withdrawn_on > today) for d in decisions
        ),
        "may_decide": access.may_decide_indelicacy(request.user, dwelling.department_id),
        "diagnoses": diagnoses,
        "gain": energy.gain(diagnoses),
        "pst": pst,
        "proposals": proposals,
        "history": history,
        "history_total": history_total,
    }
    log_read(request, dwelling, dwelling.department_id)
    return render(request, "dwellings/dwelling.html", context)
