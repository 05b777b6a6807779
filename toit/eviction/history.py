"""The change history of a file (django-simple-history): who created, changed or deleted
what, when, and which fields changed, from the historical rows of the file, its household
and members, and everything recorded in it. One query per kind of row, whatever the number
of changes; the caller has already decided that the user may read the file.

Rows written in bulk without history (synthetic demonstration data, the retention run) have
none: their first historical row, if any, is a change whose former values are unknown, and
the page says so. File imports write the creation records of their rows
(toit.imports.history)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone

from toit.eviction.models import (
    ContactAttempt,
    Event,
    FileParticipant,
    FslDecision,
    HomeownerDifficulty,
    Household,
    HouseholdMember,
    OverIndebtednessCase,
    PreventionFile,
    RepaymentPayment,
    RepaymentPlan,
    Report,
    SocialDiagnosis,
)

KINDS = {"+": "Création", "~": "Modification", "-": "Suppression"}
NOBODY = "Toit (traitement automatique)"
SHOWN = 100


@dataclass
class Change:
    field: str  # the field's French name (verbose_name)
    before: str
    after: str
    values_shown: bool = True  # False for a link to another record: only « modifié »


@dataclass
class Entry:
    at: datetime.datetime
    who: str
    kind: str
    what: str  # "événement « Assignation du 03/05/2010 »"
    changes: list = field(default_factory=list)
    reason: str = ""
    former_unknown: bool = False  # a change with no earlier history (row written in bulk)


def _sources(file):
    """(model, lookup on its historical table) for every kind of row of the file."""
    by_file = {"file_id": file.pk}
    plans = RepaymentPlan.history.filter(file_id=file.pk).values("id")
    return [
        (PreventionFile, {"id": file.pk}),
        (Household, {"id": file.household_id}),
        (HouseholdMember, {"household_id": file.household_id}),
        (FileParticipant, by_file),
        (Report, by_file),
        (Event, by_file),
        (ContactAttempt, by_file),
        (SocialDiagnosis, by_file),
        (RepaymentPlan, by_file),
        (RepaymentPayment, {"plan_id__in": plans}),
        (FslDecision, by_file),
        (OverIndebtednessCase, by_file),
        (HomeownerDifficulty, by_file),
    ]


def _compared_fields(model):
    """Fields a person edits: not the primary key, derived keys, or timestamps."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.editable and not getattr(f, "auto_now", False) and not f.auto_created
    ]


def _display(model_field, value):
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    return str(value)


def _describe(model, record):
    name = model._meta.verbose_name
    if model is FileParticipant:
        return f"{name} « {record.organisation.name} » ({record.get_reason_display()})"
    if model is PreventionFile:
        return f"{name} {record.reference}"
    if model is Household:
        return str(name)
    return f"{name} « {_as_instance(model, record)} »"


def _as_instance(model, record):
    """The record as an instance of its model, to name it. Not simple-history's `instance`:
    for a model with fields left out of its history (the derived columns of files,
    participations and plans) it reads them from the live row, one query per record."""
    return model(
        **{f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields if hasattr(record, f.attname)}
    )


def _who(record):
    user = record.history_user
    if user is None:
        return NOBODY
    return user.get_full_name() or user.get_username()


def _changes(model, record, previous):
    changes = []
    for model_field in _compared_fields(model):
        before, after = getattr(previous, model_field.attname), getattr(record, model_field.attname)
        if before == after:
            continue
        label = str(model_field.verbose_name)
        if model_field.is_relation:
            changes.append(Change(label, "", "", values_shown=False))
        else:
            changes.append(Change(label, _display(model_field, before), _display(model_field, after)))
    return changes


def file_history(file, limit=SHOWN):
    """The file's changes, most recent first (at most `limit`), and their total count."""
    entries = []
    for model, lookup in _sources(file):
        related = ["history_user"] + (["organisation"] if model is FileParticipant else [])
        records = model.history.filter(**lookup).select_related(*related).order_by("id", "history_date", "history_id")
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
            # A save that changed nothing a person edits (a timestamp) is not worth a line.
            if record.history_type != "~" or entry.changes or entry.former_unknown or entry.reason:
                entries.append(entry)
            previous = record
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit], len(entries)
