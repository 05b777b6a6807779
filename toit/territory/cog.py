"""The territorial reference data (départements, EPCI, communes) from the INSEE Code officiel
géographique, as packaged by Etalab in the npm package `@etalab/decoupage-administratif`.

Two steps, so that the reference data of a deployment is a reviewed, committed file rather
than whatever version of the package happens to be installed:

- `extract_department` cuts one département out of the package data into a small JSON
  document (see `data/territory/`);
- `load_document` / `load_file` write such a document into the database, idempotently.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from toit.territory.models import EPCI, Commune, Department

PACKAGE_NAME = "@etalab/decoupage-administratif"
# The package states it in its README (the LICENSE file and package.json only cover the code).
DATA_LICENCE = "Licence Ouverte / Open Licence (Etalab)"
FORMAT_VERSION = 1

DEPARTMENT_CODE_RE = re.compile(r"^(?:\d{2}|2[AB]|9[78]\d)$")
INSEE_CODE_RE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")
SIREN_RE = re.compile(r"^\d{9}$")
POSTCODE_RE = re.compile(r"^\d{5}$")
REGION_CODE_RE = re.compile(r"^\d{2,3}$")

# How many problems a validation error lists: enough to fix a batch, not a wall of text.
MAX_REPORTED_PROBLEMS = 20

REGENERATE_HINT = "régénérez le fichier avec `manage.py toit_territory extract <code département>`"
INSTALL_HINT = "installez les paquets npm du projet (`make install`, ou `npm install` à la racine du dépôt)"


class TerritoryDataError(Exception):
    """Source data or a territory document is unusable; the message is meant for the user."""


def default_source_dir() -> Path:
    return Path(settings.NODE_MODULES) / "@etalab" / "decoupage-administratif" / "data"


# --- Reading -------------------------------------------------------------------------------


# The json module's messages are in English; these are the ones a hand-edited file produces.
JSON_ERRORS_FR = {
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom de clé entre guillemets doubles attendu",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendus",
    "Extra data": "contenu en trop après la fin du document",
    "Unterminated string starting at": "chaîne de caractères non terminée",
    "Invalid control character at": "caractère de contrôle interdit dans une chaîne",
    "Illegal trailing comma before end of object": "virgule en trop avant la fin de l'objet",
    "Illegal trailing comma before end of array": "virgule en trop avant la fin de la liste",
}


def parse_json(text: str, origin: str, fix_hint: str = REGENERATE_HINT):
    if not text.strip():
        raise TerritoryDataError(f"Le fichier {origin} est vide : {fix_hint}.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TerritoryDataError(
            f"Le fichier {origin} n'est pas un JSON valide (ligne {exc.lineno}, colonne {exc.colno} : "
            f"{JSON_ERRORS_FR.get(exc.msg, exc.msg)}) ; corrigez-le à cet endroit ou {fix_hint}."
        ) from exc


def read_json_file(path: Path, *, missing_hint: str, fix_hint: str = REGENERATE_HINT):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise TerritoryDataError(f"Fichier {path} introuvable : {missing_hint}.") from exc
    except UnicodeDecodeError as exc:
        raise TerritoryDataError(
            f"Le fichier {path} n'est pas encodé en UTF-8 (octet {exc.start}) ; {fix_hint}."
        ) from exc
    return parse_json(text, str(path), fix_hint)


# --- Extraction from the npm package --------------------------------------------------------


def package_metadata(source_dir: Path) -> dict:
    """Version and licence of the package holding `source_dir`, None when unknown (a
    hand-made source directory has no package.json)."""
    package_json = Path(source_dir).parent / "package.json"
    version = licence = None
    if package_json.is_file():
        meta = read_json_file(package_json, missing_hint=INSTALL_HINT, fix_hint=f"réinstallez-le : {INSTALL_HINT}")
        if isinstance(meta, dict) and meta.get("name") == PACKAGE_NAME:
            version = meta.get("version")
            licence = meta.get("license")
    return {
        "package_version": version,
        "cog_version": cog_year(version),
        "licence": licence,
    }


def cog_year(package_version: str | None) -> int | None:
    """The COG vintage of a package version. The package README maps 1.x to 2021, …, 6.x to
    2026 (one major release per vintage); older versions do not follow the rule."""
    if not package_version:
        return None
    major = package_version.split(".", 1)[0]
    if not major.isdigit() or int(major) < 1:
        return None
    return 2020 + int(major)


def extract_department(code: str, source_dir: Path | None = None) -> dict:
    """The territory document of département `code` from the package data in `source_dir`."""
    source_dir = Path(source_dir) if source_dir is not None else default_source_dir()
    if not source_dir.is_dir():
        raise TerritoryDataError(
            f"Répertoire des données du COG {source_dir} introuvable : {INSTALL_HINT}, "
            f"ou indiquez un autre répertoire avec --source."
        )
    code = code.strip().upper()
    missing_hint = f"le répertoire {source_dir} ne contient pas les données de {PACKAGE_NAME} ; {INSTALL_HINT}"
    fix_hint = f"réinstallez le paquet {PACKAGE_NAME} : {INSTALL_HINT}"

    def read(name):
        return read_json_file(source_dir / name, missing_hint=missing_hint, fix_hint=fix_hint)

    departments = read("departements.json")
    department = next((d for d in departments if d.get("code") == code), None)
    if department is None:
        raise TerritoryDataError(
            f"Département « {code} » inconnu du COG ({source_dir / 'departements.json'}) : "
            f"indiquez un code INSEE de département, par exemple « 72 », « 2A » ou « 971 »."
        )

    # Only current communes: arrondissements municipaux, communes déléguées and communes
    # associées share codes with them and are not units the plan reports on.
    communes = [
        c for c in read("communes.json") if c.get("type") == "commune-actuelle" and c.get("departement") == code
    ]
    insee_codes = {c["code"] for c in communes}

    # Membership is only stated on the EPCI side.
    epcis = []
    epci_of = {}
    for epci in read("epci.json"):
        members = [m["code"] for m in epci.get("membres", []) if m.get("code") in insee_codes]
        if not members:
            continue
        epcis.append({"siren": epci["code"], "name": epci["nom"], "nature": epci.get("type", "")})
        for member in members:
            if member in epci_of:
                raise TerritoryDataError(
                    f"{source_dir / 'epci.json'} : la commune {member} est membre de deux EPCI "
                    f"({epci_of[member]} et {epci['code']}) ; une commune n'appartient qu'à un EPCI "
                    f"à fiscalité propre : vérifiez la version du paquet {PACKAGE_NAME}."
                )
            epci_of[member] = epci["code"]

    document = {
        "format": FORMAT_VERSION,
        "source": PACKAGE_NAME,
        **package_metadata(source_dir),
        "data_licence": DATA_LICENCE,
        "department": {
            "code": department["code"],
            "name": department["nom"],
            "region": department.get("region", ""),
        },
        "epcis": sorted(epcis, key=lambda e: e["siren"]),
        "communes": [
            {
                "insee": c["code"],
                "name": c["nom"],
                "postcodes": sorted(c.get("codesPostaux", [])),
                "population": c.get("population"),
                "epci": epci_of.get(c["code"]),
            }
            for c in sorted(communes, key=lambda c: c["code"])
        ],
    }
    validate_document(document, f"{source_dir} (département {code})")
    return document


def dump_document(document: dict) -> str:
    """Readable and diff-friendly: one EPCI or commune per line."""
    lines = ["{"]
    items = list(document.items())
    for position, (key, value) in enumerate(items):
        comma = "," if position < len(items) - 1 else ""
        if isinstance(value, list) and value:
            lines.append(f"  {json.dumps(key)}: [")
            lines.extend(
                f"    {json.dumps(item, ensure_ascii=False)}{',' if i < len(value) - 1 else ''}"
                for i, item in enumerate(value)
            )
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- Validation ----------------------------------------------------------------------------


def _is_text(value, max_length):
    return isinstance(value, str) and value.strip() != "" and len(value) <= max_length


def _label(code, name):
    return " ".join(str(part) for part in (code, name) if part)


def _problems(document) -> list[str]:
    if not isinstance(document, dict):
        return [
            "le document doit être un objet JSON avec les clés « department », « epcis » et "
            f"« communes » ; {REGENERATE_HINT}"
        ]
    problems = []
    if document.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        problems.append(
            f"format {document['format']!r} non pris en charge (attendu : {FORMAT_VERSION}) ; {REGENERATE_HINT}"
        )
    missing = [key for key in ("department", "epcis", "communes") if key not in document]
    if missing:
        problems.append(f"clé(s) {', '.join(f'« {k} »' for k in missing)} absente(s) ; {REGENERATE_HINT}")
        return problems

    department = document["department"]
    department_code = None
    if not isinstance(department, dict):
        problems.append("« department » doit être un objet {code, name, region}")
    else:
        department_code = department.get("code")
        if not isinstance(department_code, str) or not DEPARTMENT_CODE_RE.match(department_code):
            problems.append(
                f"département : code {department_code!r} invalide ; attendu deux chiffres (« 72 »), "
                "« 2A », « 2B » ou trois chiffres pour l'outre-mer (« 971 »)"
            )
            department_code = None
        if not _is_text(department.get("name"), 100):
            problems.append("département : « name » doit être un nom non vide de 100 caractères au plus")
        region = department.get("region", "")
        if region and not (isinstance(region, str) and REGION_CODE_RE.match(region)):
            problems.append(f"département : code région {region!r} invalide ; attendu 2 ou 3 chiffres (« 52 »)")

    epci_sirens = set()
    epcis = document["epcis"]
    if not isinstance(epcis, list):
        problems.append("« epcis » doit être une liste")
        epcis = []
    for position, epci in enumerate(epcis, start=1):
        where = f"EPCI n°{position} de « epcis »"
        if not isinstance(epci, dict):
            problems.append(f"{where} : doit être un objet {{siren, name, nature}}")
            continue
        siren = epci.get("siren")
        where += f" ({_label(siren, epci.get('name'))})"
        if not isinstance(siren, str) or not SIREN_RE.match(siren):
            problems.append(f"{where} : SIREN {siren!r} invalide ; un SIREN compte 9 chiffres")
        elif siren in epci_sirens:
            problems.append(f"{where} : SIREN {siren} en double ; gardez une seule entrée par EPCI")
        else:
            epci_sirens.add(siren)
        if not _is_text(epci.get("name"), 255):
            problems.append(f"{where} : « name » doit être un nom non vide de 255 caractères au plus")
        nature = epci.get("nature", "")
        if not isinstance(nature, str) or len(nature) > 10:
            problems.append(f"{where} : « nature » doit être un sigle de 10 caractères au plus (CC, CA, CU, METRO)")

    communes = document["communes"]
    if not isinstance(communes, list):
        problems.append("« communes » doit être une liste")
        communes = []
    elif not communes:
        problems.append(
            f"la liste « communes » est vide : un département compte au moins une commune ; {REGENERATE_HINT}"
        )
    insee_codes = set()
    for position, commune in enumerate(communes, start=1):
        where = f"commune n°{position} de « communes »"
        if not isinstance(commune, dict):
            problems.append(f"{where} : doit être un objet {{insee, name, postcodes, population, epci}}")
            continue
        insee = commune.get("insee")
        where += f" ({_label(insee, commune.get('name'))})"
        if not isinstance(insee, str) or not INSEE_CODE_RE.match(insee):
            problems.append(
                f"{where} : code INSEE {insee!r} invalide ; attendu 5 caractères, le code du département "
                "suivi du numéro de la commune (« 72181 », « 2A004 »)"
            )
        elif department_code and not insee.startswith(department_code):
            problems.append(
                f"{where} : le code INSEE {insee} n'est pas celui d'une commune du département "
                f"{department_code} ; retirez-la ou chargez-la avec le fichier de son département"
            )
        elif insee in insee_codes:
            problems.append(f"{where} : code INSEE {insee} en double ; gardez une seule entrée par commune")
        else:
            insee_codes.add(insee)
        if not _is_text(commune.get("name"), 255):
            problems.append(f"{where} : « name » doit être un nom non vide de 255 caractères au plus")
        postcodes = commune.get("postcodes", [])
        if not isinstance(postcodes, list) or not all(isinstance(p, str) and POSTCODE_RE.match(p) for p in postcodes):
            problems.append(f"{where} : « postcodes » doit être une liste de codes postaux à 5 chiffres")
        population = commune.get("population")
        if population is not None and (
            isinstance(population, bool) or not isinstance(population, int) or population < 0
        ):
            problems.append(f"{where} : « population » doit être un entier positif ou null, pas {population!r}")
        epci = commune.get("epci")
        if epci is not None and epci not in epci_sirens:
            problems.append(
                f"{where} : l'EPCI {epci!r} n'est pas dans la liste « epcis » du document ; "
                "ajoutez-le à « epcis » ou corrigez le champ « epci » de la commune (null si elle n'en a pas)"
            )
    return problems


def validate_document(document, origin: str) -> None:
    problems = _problems(document)
    if not problems:
        return
    shown = problems[:MAX_REPORTED_PROBLEMS]
    more = len(problems) - len(shown)
    lines = [f"{origin} : {len(problems)} erreur(s), aucune donnée n'a été écrite."]
    lines += [f"- {problem}." for problem in shown]
    if more:
        lines.append(f"- … et {more} autre(s) erreur(s).")
    raise TerritoryDataError("\n".join(lines))


# --- Loading -------------------------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"{self.created} créé(s), {self.updated} mis à jour, {self.unchanged} inchangé(s)"


@dataclass
class LoadReport:
    department: Department
    departments: Counts = field(default_factory=Counts)
    epcis: Counts = field(default_factory=Counts)
    communes: Counts = field(default_factory=Counts)
    # Kept in the database (other records may point to them) but no longer in the COG.
    missing_communes: list[Commune] = field(default_factory=list)
    # EPCIs that lost their last commune during this load; kept for the same reason.
    emptied_epcis: list[EPCI] = field(default_factory=list)


def _upsert(model, key_field, wanted: dict[str, dict], counts: Counts) -> dict[str, int]:
    """Create or update `model` rows keyed by `key_field` to the given field values; the
    primary keys by key. Rows whose values already match are not written."""
    existing = {getattr(obj, key_field): obj for obj in model.objects.filter(**{f"{key_field}__in": list(wanted)})}
    to_create, to_update = [], []
    fields = set()
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            to_create.append(model(**{key_field: key}, **values))
            continue
        changed = {name for name, value in values.items() if getattr(obj, name) != value}
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            fields |= changed
            to_update.append(obj)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields))
    counts.created += len(to_create)
    counts.updated += len(to_update)
    counts.unchanged += len(wanted) - len(to_create) - len(to_update)
    return dict(model.objects.filter(**{f"{key_field}__in": list(wanted)}).values_list(key_field, "pk"))


def load_document(document, origin: str = "document") -> LoadReport:
    """Write a territory document into the database, all or nothing. Rows are matched by
    code INSEE / SIREN and updated in place; nothing is deleted."""
    validate_document(document, origin)
    dep = document["department"]
    with transaction.atomic():
        department_counts = Counts()
        department_id = _upsert(
            Department,
            "code",
            {dep["code"]: {"name": dep["name"], "region_code": dep.get("region") or ""}},
            department_counts,
        )[dep["code"]]
        report = LoadReport(department=Department.objects.get(pk=department_id), departments=department_counts)

        epci_ids_before = set(
            Commune.objects.filter(department_id=department_id, epci__isnull=False).values_list("epci_id", flat=True)
        )
        epci_ids = _upsert(
            EPCI,
            "siren",
            {e["siren"]: {"name": e["name"], "nature": e.get("nature", "")} for e in document["epcis"]},
            report.epcis,
        )
        _upsert(
            Commune,
            "insee_code",
            {
                c["insee"]: {
                    "name": c["name"],
                    "department_id": department_id,
                    "epci_id": epci_ids[c["epci"]] if c.get("epci") else None,
                    "postcodes": c.get("postcodes", []),
                    "population": c.get("population"),
                }
                for c in document["communes"]
            },
            report.communes,
        )
        report.missing_communes = list(
            Commune.objects.filter(department_id=department_id)
            .exclude(insee_code__in=[c["insee"] for c in document["communes"]])
            .order_by("insee_code")
        )
        report.emptied_epcis = list(
            EPCI.objects.filter(pk__in=epci_ids_before, communes__isnull=True).order_by("siren")
        )
    return report


def load_file(path) -> LoadReport:
    document = read_json_file(Path(path), missing_hint="vérifiez le chemin du fichier à charger")
    return load_document(document, origin=str(path))
