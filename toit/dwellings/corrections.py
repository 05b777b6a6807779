"""Every record of the register can be corrected by a pôle member who reads it, with a
stated reason kept in its history (django-simple-history's change reason). One function
for every kind of record: the fields a person may change are listed here, never the
département, the dwelling a record hangs on (a merge moves those) or derived fields."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from toit.dwellings.models import (
    Act,
    Case,
    CaseQualification,
    CaseReport,
    Dwelling,
    EnergyDiagnosis,
    Owner,
    PrescribedWork,
    PstDwelling,
    Rehousing,
    Visit,
)

REASON_MIN = 5

# URL slug → (model, path from the record to its dwelling or None for an owner, fields).
CORRECTABLE = {
    "logement": (
        Dwelling,
        "",
        [
            "street_number",
            "number_suffix",
            "street",
            "complement",
            "commune",
            "ban_id",
            "cadastral_ref",
            "building_type",
            "sector",
            "tenure",
            "rooms",
            "surface",
            "occupants",
            "owner",
        ],
    ),
    "proprietaire": (Owner, None, ["kind", "name", "contact"]),
    "dossier": (
        Case,
        "dwelling",
        [
            "pole_reference",
            "opened_on",
            "tenure",
            "occupied",
            "exit_on",
            "exit_mode",
            "occupied_at_exit",
            "occupants_kept",
            "closed_on",
        ],
    ),
    "signalement": (CaseReport, "case__dwelling", ["received_on", "source", "disorders"]),
    "visite": (Visit, "case__dwelling", ["visited_on", "visitor", "findings"]),
    "qualification": (CaseQualification, "case__dwelling", ["kind", "qualified_on", "note"]),
    "arrete": (Act, "case__dwelling", ["kind", "signed_on", "works_deadline", "interdiction", "interdiction_until"]),
    "travaux": (PrescribedWork, "act__case__dwelling", ["description", "deadline", "done_on", "done_by", "cost"]),
    "relogement": (Rehousing, "case__dwelling", ["on", "kind", "persons"]),
    "pst": (PstDwelling, "dwelling", ["convention", "convention_signed_on", "anah_subsidy", "available_on"]),
    "dpe": (EnergyDiagnosis, "dwelling", ["stage", "made_on", "energy_class", "kwh_per_m2_year"]),
}


def visible(kind, user):
    """The records of this kind the user may correct (what they read)."""
    from toit.dwellings.access import dwelling_q, visible_owners

    model, path, _ = CORRECTABLE[kind]
    if path is None:
        return visible_owners(model.objects.all(), user)
    return model.objects.filter(dwelling_q(user, f"{path}__" if path else ""))


@transaction.atomic
def correct(kind, record, changes, *, user, reason):
    """Apply `changes` (field → value) to `record`, validate, save with the reason."""
    _, _, fields = CORRECTABLE[kind]
    if not visible(kind, user).filter(pk=record.pk).exists():
        raise PermissionDenied("Cet enregistrement n'est pas dans le registre que vous pouvez lire.")
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": "Indiquez le motif de la correction : il est gardé dans l'historique."})
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValidationError(f"Champ(s) non corrigeable(s) ici : {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(record, name, value)
    record.full_clean()
    record._change_reason = f"Correction : {reason}"
    record.save()
    return record
