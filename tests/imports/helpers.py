"""Running imports in tests the way the page and the command line do."""

from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile

from toit.imports import jobs
from toit.imports.enums import Decision


def upload(user, organisation, source_kind, path_or_bytes, name=None):
    """Deposit a file (path or bytes) and have it checked (immediate task backend)."""
    if isinstance(path_or_bytes, bytes):
        content = ContentFile(path_or_bytes, name=name or "fichier.csv")
        return jobs.submit(user, organisation, source_kind, content, name=name or "fichier.csv")
    path = Path(path_or_bytes)
    with path.open("rb") as handle:
        return jobs.submit(user, organisation, source_kind, File(handle, name=path.name), name=name or path.name)


def import_file(user, organisation, source_kind, path_or_bytes, decision=Decision.VALID_ONLY, name=None):
    job = upload(user, organisation, source_kind, path_or_bytes, name=name)
    if job.valid_rows:
        job = jobs.decide(job, user, decision)
    return job


def issues(job):
    return list(job.issues.order_by("line_number", "pk").values_list("line_number", "column", "value", "message"))


def domain_counts():
    """Rows of every table an import may write: equal before and after means nothing was
    written."""
    from toit.eviction.models import (
        Event,
        FileParticipant,
        FslDecision,
        Household,
        HouseholdMember,
        PreventionFile,
        PrivateLandlord,
        Report,
    )
    from toit.imports.models import ImportedRow

    models = (Report, Event, PreventionFile, Household, HouseholdMember, FslDecision, FileParticipant, PrivateLandlord)
    return {model.__name__: model.objects.count() for model in (*models, ImportedRow)}


def csv_bytes(rows, separator=";", encoding="utf-8", newline="\r\n"):
    return newline.join(separator.join(row) for row in rows).encode(encoding) + newline.encode()


CAF_HEADER = [
    "N° allocataire",
    "Nom",
    "Prénom",
    "Date de naissance",
    "Commune",
    "Date du signalement",
    "Montant de la dette",
]


def caf_row(
    number, last="DURAND", first="Sylvie", born="12/04/1975", commune="72181", reported="03/03/2010", debt="1 234,56"
):
    return [number, last, first, born, commune, reported, debt]
