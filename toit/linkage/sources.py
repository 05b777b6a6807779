"""The partners' files the cross-matching reads. Each domain package registers its own in
a `linkage_sources` module (auto-discovered): how to list a département's identities, which
records a user may see (a queryset of primary keys, so that filters stay in SQL), and how
to show a record to someone who may see it.

    register(Source("dalo", "Recours DALO", identities=..., visible_pks=..., describe=...))
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordView:
    """What a page shows of a record the user may see."""

    source: str
    pk: int
    name: str
    birth_date: object
    summary: str
    url: str = ""


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    # identities(department) -> iterable of toit.linkage.identity.Identity
    identities: Callable
    # visible_pks(user) -> queryset of the primary keys the user may read
    visible_pks: Callable
    # describe(pks) -> {pk: RecordView}; called only with pks the user may read
    describe: Callable
    # flags(department, today) -> {pk: set of FLAGS codes}: what sheet 3A looks for
    flags: Callable = None
    # The model whose rows are the records: what the access log names when a record is shown.
    model: type = None
    # retained_pks() -> queryset of the primary keys still holding an identity (neither
    # anonymised nor deleted): a link to any other record is deleted by the retention
    # (toit.linkage.retention). None: every existing row.
    retained_pks: Callable = None


# Situations sheet 3A asks to cross between files (toit.linkage.results).
FLAGS = {
    "dalo_hors_delai": "prioritaire DALO non relogé dans le délai",
    "attente_anormale": "demande en délai anormalement long",
    "garanti_fsl": "garanti par le FSL",
}

_SOURCES: dict[str, Source] = {}


def register(source):
    _SOURCES[source.code] = source
    return source


def get(code):
    try:
        return _SOURCES[code]
    except KeyError:
        raise LookupError(f"Fichier partenaire inconnu pour le rapprochement : « {code} ».") from None


def all_sources():
    return [_SOURCES[code] for code in sorted(_SOURCES)]


def label(code):
    source = _SOURCES.get(code)
    return source.label if source else code
