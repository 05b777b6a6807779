"""The files of sheets 3A-3D offered to the cross-matching (toit.linkage.sources)."""

from django.urls import reverse

from toit.linkage.sources import RecordView, Source, register
from toit.priority_access.enums import Channel, DaloDecision
from toit.priority_access.models import (
    ContingentProposal,
    DaloAppeal,
    HousingDemand,
    MousFollowup,
    ProjectFollowup,
    SlidingLease,
    abnormal_delay_months,
    large_agglomeration,
)
from toit.priority_access.rules import abnormally_long, rehousing_deadline


def _summary_demand(row):
    state = f"attribuée le {row.allocated_on:%d/%m/%Y}" if row.allocated_on else "en attente"
    return f"Demande n° {row.number} déposée le {row.filed_on:%d/%m/%Y}, {state}"


def _housing_outcome(row):
    """How a DALO appeal or a MOUS follow-up ended, if it did: rehoused, or ended without."""
    if row.rehoused_on:
        return f"relogé le {row.rehoused_on:%d/%m/%Y}"
    if row.ended_on:
        return f"fin sans relogement le {row.ended_on:%d/%m/%Y} ({row.get_end_reason_display().lower()})"
    return None


def _summary_dalo(row):
    decision = row.get_decision_display().lower() if row.decision else "en attente de décision"
    if outcome := _housing_outcome(row):
        decision += f", {outcome}"
    return f"Recours n° {row.number} du {row.filed_on:%d/%m/%Y} : {decision}"


def _summary_contingent(row):
    return f"Proposition du {row.proposed_on:%d/%m/%Y} ({row.landlord}) : {row.get_outcome_display().lower()}"


def _summary_project(row):
    return f"Pris en charge le {row.taken_in_on:%d/%m/%Y}, {row.get_outcome_display().lower()}"


def _summary_lease(row):
    return f"Sous-location depuis le {row.started_on:%d/%m/%Y} ({row.holder}), {row.get_outcome_display().lower()}"


def _summary_mous(row):
    return f"Médiation du {row.mediated_on:%d/%m/%Y}, {_housing_outcome(row) or 'en cours'}"


def _record_source(channel, model, summary, select=(), flags=None):
    def identities(department):
        # An anonymised record names nobody: it is not matched any more.
        rows = model.objects.filter(department=department, anonymised_at__isnull=True).select_related("commune")
        return [row.identity(channel.value) for row in rows]

    def visible_pks(user):
        return model.objects.visible_to(user).values("pk")

    def describe(pks):
        rows = model.objects.filter(pk__in=pks).select_related("holder", *select)
        return {
            row.pk: RecordView(
                source=channel.value,
                pk=row.pk,
                name=row.full_name,
                birth_date=row.birth_date,
                summary=summary(row),
                url=reverse("priority_access:household", args=[channel.value, row.pk]),
            )
            for row in rows
        }

    def retained_pks():
        return model.objects.filter(anonymised_at__isnull=True).values("pk")

    return register(
        Source(
            channel.value,
            channel.label,
            identities=identities,
            visible_pks=visible_pks,
            describe=describe,
            flags=flags,
            model=model,
            retained_pks=retained_pks,
        )
    )


def _demand_flags(department, today):
    months = abnormal_delay_months(department, today)
    if months is None:
        return {}
    rows = HousingDemand.objects.filter(department=department).pending_on(today).values_list("pk", "filed_on")
    return {pk: {"attente_anormale"} for pk, filed_on in rows if abnormally_long(filed_on, months, today)}


def _dalo_flags(department, today):
    rows = (
        DaloAppeal.objects.filter(department=department, decision=DaloDecision.PRIORITY)
        .not_rehoused_on(today)
        .values_list("pk", "decided_on")
    )
    return {
        pk: {"dalo_hors_delai"}
        for pk, decided_on in rows
        if rehousing_deadline(decided_on, large_agglomeration(department, decided_on)) < today
    }


_record_source(Channel.DEMAND, HousingDemand, _summary_demand, flags=_demand_flags)
_record_source(Channel.DALO, DaloAppeal, _summary_dalo, flags=_dalo_flags)
_record_source(Channel.CONTINGENT, ContingentProposal, _summary_contingent, select=("landlord",))
_record_source(Channel.PROJECT, ProjectFollowup, _summary_project)
_record_source(Channel.SLIDING_LEASE, SlidingLease, _summary_lease)
_record_source(Channel.MOUS, MousFollowup, _summary_mous)
