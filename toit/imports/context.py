"""What checking a row needs besides the row: the organisation, the acting user, today,
and the reference data cells are resolved against (communes, social landlords), each
loaded once per job."""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from toit.eviction.normalise import normalise_text
from toit.imports.cells import CellError
from toit.organisations.enums import OrganisationKind
from toit.organisations.models import Organisation
from toit.territory.models import Commune

_INSEE = re.compile(r"\d{5}|2[AB]\d{3}")
_SAINT = re.compile(r"\b(st|ste)\b")


def _place_key(name):
    text = normalise_text(name)
    return _SAINT.sub(lambda m: "saint" if m[1] == "st" else "sainte", text).replace(" ", "")


class Lookups:
    """Reference data of the importing organisation's département (issue 14): a name such as
    « Fay » names one commune there, whatever other départements the instance hosts. A
    national body's files are read against every département."""

    def __init__(self, department_id=None):
        self.department_id = department_id
        self._communes = None
        self._landlords = None

    def _load_communes(self):
        by_code, by_name, by_postcode = {}, {}, {}
        communes = Commune.objects.all()
        if self.department_id is not None:
            communes = communes.filter(department_id=self.department_id)
        for pk, code, name, postcodes in communes.values_list("pk", "insee_code", "name", "postcodes"):
            by_code[code] = pk
            by_name.setdefault(_place_key(name), []).append(pk)
            for postcode in postcodes or ():
                by_postcode.setdefault(str(postcode), []).append(pk)
        self._communes = by_code, by_name, by_postcode

    def preload(self):
        """Load the reference data now (before forking the processes that check a file's
        rows: toit.imports.parallel)."""
        if self._communes is None:
            self._load_communes()
        self.landlord("")

    def commune(self, text):
        """The id of the commune written `text`: INSEE code, unambiguous postcode, or name."""
        if self._communes is None:
            self._load_communes()
        by_code, by_name, by_postcode = self._communes
        if not by_code:
            raise CellError(
                "Aucune commune n'est chargée dans Toit",
                "le référentiel des communes : un administrateur le charge avec « manage.py toit_territory load »",
            )
        code = text.upper().replace(" ", "")
        if code.isdigit() and len(code) == 4:
            code = code.zfill(5)  # a spreadsheet dropped the leading zero
        if _INSEE.fullmatch(code):
            if code in by_code:
                return by_code[code]
            communes = set(by_postcode.get(code, ()))
            if len(communes) == 1:
                return communes.pop()
            if communes:
                raise CellError(
                    f"Code postal commun à {len(communes)} communes",
                    "le code INSEE de la commune (5 caractères, ex. 72181 pour Le Mans) ou son nom",
                )
            raise CellError(
                "Code de commune inconnu", "le code INSEE d'une commune du département (ex. 72181 pour Le Mans)"
            )
        communes = by_name.get(_place_key(text), [])
        if len(communes) == 1:
            return communes[0]
        if communes:
            raise CellError(
                f"Plusieurs communes portent ce nom ({len(communes)})", "le code INSEE de la commune (ex. 72181)"
            )
        raise CellError(
            "Commune inconnue", "le code INSEE (ex. 72181) ou le nom exact d'une commune du département (ex. Le Mans)"
        )

    def landlord(self, text):
        """("social", organisation id) for a social landlord known by code or name, else
        ("prive", text): the name of a private landlord."""
        if self._landlords is None:
            self._landlords = {}
            rows = Organisation.objects.filter(kind=OrganisationKind.SOCIAL_LANDLORD, is_active=True)
            if self.department_id is not None:
                rows = rows.filter(Q(department_id=self.department_id) | Q(department__isnull=True))
            for pk, code, name in rows.values_list("pk", "code", "name"):
                self._landlords[normalise_text(code).replace(" ", "")] = pk
                self._landlords[normalise_text(name).replace(" ", "")] = pk
        pk = self._landlords.get(normalise_text(text).replace(" ", ""))
        return ("social", pk) if pk else ("prive", text)


@dataclass
class Context:
    organisation: Organisation
    user: object
    today: object = field(default_factory=timezone.localdate)
    lookups: Lookups = field(default_factory=Lookups)
    memo: dict = field(default_factory=dict)  # per cell type: spelling -> value or CellError
    iso: dict = field(default_factory=lambda: {None: ""})  # date -> "yyyy-mm-dd"

    def __post_init__(self):
        if self.organisation is not None and self.lookups.department_id is None and self.lookups._communes is None:
            self.lookups.department_id = self.organisation.department_id
