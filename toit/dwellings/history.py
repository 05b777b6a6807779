"""The change history of a dwelling: its own rows and those of its owner, cases and
everything recorded in them, from django-simple-history, one query per kind of row. Built
on the eviction file's history (same entries, same wording)."""

from toit.dwellings.models import (
    Act,
    Case,
    CaseQualification,
    CaseReport,
    Dwelling,
    EnergyDiagnosis,
    PrescribedWork,
    PstDwelling,
    Rehousing,
    Visit,
)
from toit.eviction.history import KINDS, SHOWN, Entry, _changes, _who


def _sources(dwelling):
    cases = Case.history.filter(dwelling_id=dwelling.pk).values("id")
    acts = Act.history.filter(case_id__in=cases).values("id")
    by_case = {"case_id__in": cases}
    return [
        (Dwelling, {"id": dwelling.pk}),
        (Case, {"dwelling_id": dwelling.pk}),
        (CaseReport, by_case),
        (Visit, by_case),
        (CaseQualification, by_case),
        (Act, by_case),
        (PrescribedWork, {"act_id__in": acts}),
        (Rehousing, by_case),
        (PstDwelling, {"dwelling_id": dwelling.pk}),
        (EnergyDiagnosis, {"dwelling_id": dwelling.pk}),
    ]


def _describe(model, record):
    # No string of a row that reads another row (one query per entry).
    if model is Dwelling:
        return "logement"
    if model is Case:
        return f"dossier ouvert le {record.opened_on:%d/%m/%Y}"
    if model is PstDwelling:
        return "fiche PST"
    return f"{model._meta.verbose_name} « {record.instance} »"


def dwelling_history(dwelling, limit=SHOWN):
    """The dwelling's changes, most recent first (at most `limit`), and their total count."""
    entries = []
    for model, lookup in _sources(dwelling):
        records = (
            model.history.filter(**lookup).select_related("history_user").order_by("id", "history_date", "history_id")
        )
        previous = None
        for record in records:
            same_row = previous is not None and previous.id == record.id
            entry = Entry(
                at=record.history_date,
                who=_who(record),
                kind=KINDS.get(record.history_type, record.history_type),
                what=_describe(model, record),
                reason=record.history_change_reason or "",
            )
            if record.history_type == "~":
                if same_row:
                    entry.changes = _changes(model, record, previous)
                else:
                    entry.former_unknown = True
            if record.history_type != "~" or entry.changes or entry.former_unknown or entry.reason:
                entries.append(entry)
            previous = record
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit], len(entries)
