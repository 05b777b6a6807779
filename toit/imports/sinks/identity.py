"""The identity of a row, and the files it designates. The keys are those of
toit.eviction.normalise (a test checks they are equal), computed with caches because a
large file repeats names; matching itself is toit.eviction.matching's."""

from functools import lru_cache

from toit.eviction import access
from toit.eviction.matching import ReportIdentity, find_matches, matches_among
from toit.eviction.models import PreventionFile
from toit.eviction.normalise import normalise_text, split_names
from toit.imports.sinks.base import RowRefused


@lru_cache(maxsize=200_000)
def _names(last_name, birth_name):
    used, born = split_names(last_name, birth_name)
    return used.replace(" ", ""), born.replace(" ", "")


@lru_cache(maxsize=50_000)
def _first(first_name):
    return normalise_text(first_name).replace(" ", "")


def person_keys(last_name, first_name, birth_name=""):
    """toit.eviction.normalise.person_keys, as a sorted list: ["dupont|sylvie", "martin|sylvie"]."""
    first = _first(first_name or "")
    if not first:
        return []
    return sorted({f"{name}|{first}" for name in _names(last_name or "", birth_name or "") if name})


def identity_of(row):
    return ReportIdentity(
        last_name=row.get("last_name") or "",
        first_name=row.get("first_name") or "",
        birth_name=row.get("birth_name") or "",
        birth_date=row.get("birth_date"),
        street=row.get("street") or "",
        commune_id=row.get("commune_id"),
        social_landlord_id=row.get("social_landlord_id"),
        private_landlord_name=row.get("private_landlord_name") or "",
    )


def files_of_person(row, user, organisation):
    """Files `organisation` takes lasting part in whose household has this person: same
    name (used or birth) and first name, same birth date. The rule that attaches an
    import's row to a file: exactly one. Files the organisation does not read are never
    considered here: a row naming their person is transmitted (intake.transmit)."""
    return [c.file for c in find_matches(identity_of(row), user, organisation) if c.same_person]


NOT_FOUND = "Aucun dossier suivi par votre organisation ne porte la référence {reference}"
NOT_FOUND_EXPECTED = (
    "la référence d'un dossier que votre organisation suit (page du dossier), ou une cellule vide pour chercher "
    "par l'identité"
)


def resolve_file(row, user, organisation, *, may_open, prefecture_joins=False):
    """The file a row designates among those `organisation` takes lasting part in (and,
    when `prefecture_joins` and the organisation is the préfecture, the files of its own
    département: access.prefecture_files): by its reference, else by the exact identity of
    the person (exactly one file with the same name, first name and birth date). Returns
    (file, None), or (None, "open") when nothing matches among those files and `may_open`;
    raises RowRefused otherwise, naming the candidates (files the organisation may reach)
    so that the user can choose. A file outside these is never named, and an unknown
    reference and a reference of another organisation's file get the same message."""
    reachable = access.files_of_organisation(PreventionFile.objects.live(), organisation)
    if prefecture_joins:
        reachable = reachable | access.prefecture_files(PreventionFile.objects.live(), organisation)
    reference = row.get("file_reference")
    if reference:
        file = reachable.filter(reference=reference).first()
        if file is None:
            raise RowRefused(NOT_FOUND.format(reference=reference), NOT_FOUND_EXPECTED, "file_reference")
        return file, None
    if not row.get("last_name") or not row.get("first_name"):
        raise RowRefused(
            "Ni référence de dossier ni identité : impossible de savoir de quel ménage il s'agit",
            "la référence du dossier, ou le nom, le prénom et la date de naissance de la personne",
            "file_reference",
        )
    candidates = matches_among(identity_of(row), reachable)
    same_person = [c.file for c in candidates if c.same_person]
    if len(same_person) == 1:
        return same_person[0], None
    if not candidates and may_open:
        return None, "open"
    if not candidates:
        raise RowRefused(
            "Aucun dossier suivi par votre organisation ne correspond à cette personne (nom, prénom et date de "
            "naissance)",
            "la référence du dossier, ou l'identité exacte d'une personne d'un dossier que votre organisation suit",
            "last_name",
        )
    references = ", ".join(c.file.reference for c in candidates[:5])
    why = "plusieurs dossiers correspondent" if len(same_person) > 1 else "un dossier existe peut-être déjà"
    raise RowRefused(
        f"Rattachement incertain : {why} ({references})",
        "la référence du bon dossier dans la colonne « Référence du dossier »",
        "file_reference",
    )
