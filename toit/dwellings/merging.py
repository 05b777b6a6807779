"""Duplicate dwellings: addresses that normalise to one key in one commune are proposed for
merging; a member of the pôle decides. Nothing is merged silently: accepting a proposal
moves the duplicate's cases, DPE and PST entry to the kept dwelling, marks the duplicate
« fusionné dans », and the history keeps who decided, when and why."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from toit.dwellings.access import require_reads
from toit.dwellings.enums import MergeStatus
from toit.dwellings.models import Case, Dwelling, EnergyDiagnosis, MergeProposal, PstDwelling


def propose_merges(department, communes=None):
    """Create a pending proposal for every pair of current dwellings sharing commune and
    address key (and complement: two flats of one building are not duplicates) that has
    none yet. Returns the proposals created. Two queries and one insert, whatever the size
    of the register: the keys are read in one pass and grouped here."""
    dwellings = Dwelling.objects.current().filter(department=department)
    if communes is not None:
        dwellings = dwellings.filter(commune__in=communes)
    groups = defaultdict(list)
    rows = dwellings.order_by("pk").values_list("pk", "commune_id", "address_key", "complement")
    for pk, commune, key, complement in rows.iterator(chunk_size=5000):
        groups[(commune, key, complement)].append(pk)
    groups = {group: ids for group, ids in groups.items() if len(ids) > 1}
    if not groups:
        return []
    known = set(MergeProposal.objects.filter(department=department).values_list("dwelling_id", "duplicate_id"))
    created = []
    for (_commune, key, _complement), ids in groups.items():
        for index, first in enumerate(ids):
            for second in ids[index + 1 :]:
                if (first, second) not in known:
                    created.append(
                        MergeProposal(department=department, dwelling_id=first, duplicate_id=second, address_key=key)
                    )
    return MergeProposal.objects.bulk_create(created, batch_size=1000)


def propose_for(dwelling):
    """Proposals pairing a dwelling just created with the current dwellings of its commune
    that have its address key and complement (an indexed lookup): what an import calls
    for each dwelling it creates."""
    same = (
        Dwelling.objects.current()
        .filter(commune_id=dwelling.commune_id, address_key=dwelling.address_key, complement=dwelling.complement)
        .exclude(pk=dwelling.pk)
        .values_list("pk", flat=True)
    )
    created = []
    for other in same:
        first, second = sorted((other, dwelling.pk))
        proposal, was_created = MergeProposal.objects.get_or_create(
            dwelling_id=first,
            duplicate_id=second,
            defaults={"department_id": dwelling.department_id, "address_key": dwelling.address_key},
        )
        if was_created:
            created.append(proposal)
    return created


@transaction.atomic
def decide(proposal, *, accept, user, note, now=None):
    """A pôle member says whether the two dwellings are one. On acceptance the duplicate's
    records move to the kept dwelling."""
    proposal = MergeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != MergeStatus.PENDING:
        raise ValidationError("Cette proposition a déjà été décidée : voyez l'historique du logement.")
    kept, duplicate = proposal.dwelling, proposal.duplicate
    try:
        require_reads(user, kept)
        require_reads(user, duplicate)
    except PermissionDenied:
        raise PermissionDenied("Vous ne lisez pas ces deux logements : un membre du pôle qui les lit décide.") from None
    if not (note or "").strip():
        raise ValidationError({"note": "Dites pourquoi : la décision est gardée dans l'historique."})
    if kept.merged_into_id or duplicate.merged_into_id:
        raise ValidationError("L'un des deux logements a déjà été fusionné : la proposition n'a plus d'objet.")
    proposal.status = MergeStatus.ACCEPTED if accept else MergeStatus.REJECTED
    proposal.decided_at, proposal.decided_by, proposal.note = now or timezone.now(), user, note.strip()
    proposal._change_reason = note.strip()
    proposal.save()
    if not accept:
        return proposal
    reason = f"Fusion décidée : {note.strip()}"
    for model in (Case, EnergyDiagnosis):
        for row in model.objects.filter(dwelling=duplicate):
            row.dwelling, row._change_reason = kept, reason
            row.save()
    pst = PstDwelling.objects.filter(dwelling=duplicate).first()
    if pst is not None:
        if PstDwelling.objects.filter(dwelling=kept).exists():
            raise ValidationError("Les deux logements sont au PST : corrigez d'abord l'une des deux fiches PST.")
        pst.dwelling, pst._change_reason = kept, reason
        pst.save()
    for field in ("owner", "household", "ban_id", "cadastral_ref", "rooms", "surface", "occupants"):
        if getattr(kept, field) in (None, "") and getattr(duplicate, field) not in (None, ""):
            setattr(kept, field, getattr(duplicate, field))
    kept._change_reason = reason
    kept.save()
    duplicate.merged_into, duplicate._change_reason = kept, reason
    duplicate.save()
    # Other pending proposals naming the duplicate have lost their object.
    MergeProposal.objects.filter(status=MergeStatus.PENDING).filter(dwelling=duplicate).delete()
    MergeProposal.objects.filter(status=MergeStatus.PENDING).filter(duplicate=duplicate).delete()
    return proposal
