"""Pagination by limit and offset, strictly validated: a wrong value is a 400 that says
which parameter and what is allowed, never silently replaced.

Lists ordered by one column then the id (reports, files, imports) page by keyset: the
`next` link carries `apres`, the position of the last row read (an opaque cursor), and
the next page starts right after it through the index, however deep: an OFFSET of a
million rows reads and drops a million rows (7 s on 2 million reports). `offset` stays
for the first pages, up to MAX_OFFSET."""

import base64
import binascii
import json

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.db.models.query import ModelIterable
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from toit.api.problems import InvalidParameters

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 10_000
CURSOR = "apres"


def _encode(value, pk):
    text = json.dumps([value.isoformat(), pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(raw, field):
    """(value, pk) of a cursor, or InvalidParameters."""
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        value, pk = json.loads(text)
        if not isinstance(value, str) or not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError
        parsed = field.to_python(value)
        if parsed is None:
            raise ValueError
        return parsed, pk
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, ValidationError, OverflowError):
        raise InvalidParameters(
            {CURSOR: f"« {raw[:40]} » : curseur invalide ; utilisez tel quel le lien « next » d'une page."}
        ) from None


def keyset_of(queryset):
    """(field, descending) when `queryset` is ordered by one column of its model then the
    id, in the same direction; else None (offsets only)."""
    query = getattr(queryset, "query", None)
    if query is None or getattr(queryset, "_iterable_class", None) is not ModelIterable:
        return None  # a list, or values(): no row to read the position from
    order = list(query.order_by)
    if len(order) != 2 or not all(isinstance(o, str) for o in order) or order[1].lstrip("-") not in ("pk", "id"):
        return None
    descending = order[0].startswith("-")
    if descending != order[1].startswith("-"):
        return None
    try:
        field = queryset.model._meta.get_field(order[0].lstrip("-"))
    except FieldDoesNotExist:
        return None
    if field.null or field.is_relation:
        return None
    return field, descending


def _integer(request, name, default, minimum, maximum=None):
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    bound = f"entre {minimum} et {maximum}" if maximum is not None else f"supérieur ou égal à {minimum}"
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        raise InvalidParameters({name: f"« {raw[:40]} » : attendu un nombre entier {bound}."})
    return value


class Pagination(LimitOffsetPagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT
    limit_query_description = f"Nombre de résultats par page (1 à {MAX_LIMIT}, {DEFAULT_LIMIT} par défaut)."
    offset_query_description = "Rang du premier résultat renvoyé (0 pour le premier)."
    template = None  # no page links in the browsable API

    cursor_query_param = CURSOR

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        self.keyset = keyset_of(queryset)
        self.after = None
        self.count = self.get_count(queryset)
        self.offset = self.get_offset(request)
        raw = request.query_params.get(self.cursor_query_param)
        if raw:
            if self.keyset is None:
                raise InvalidParameters({CURSOR: "Cette liste ne se parcourt que par « offset »."})
            if request.query_params.get(self.offset_query_param):
                raise InvalidParameters({CURSOR: "« apres » et « offset » ne se combinent pas : gardez l'un des deux."})
            field, descending = self.keyset
            value, pk = _decode(raw, field)
            after = "lt" if descending else "gt"
            queryset = queryset.filter(
                Q(**{f"{field.name}__{after}": value}) | Q(**{field.name: value, f"pk__{after}": pk})
            )
            self.after = raw
            rows = list(queryset[: self.limit + 1])
        else:
            if self.keyset is not None and self.offset > MAX_OFFSET:
                raise InvalidParameters(
                    {
                        self.offset_query_param: f"« {self.offset} » : au-delà de {MAX_OFFSET}, parcourez la liste "
                        "par le lien « next » de chaque page (paramètre « apres »), ou restreignez-la par ses filtres."
                    }
                )
            if self.count == 0 or self.offset > self.count:
                rows = []
            else:
                rows = list(queryset[self.offset : self.offset + self.limit + 1])
        self.has_more = len(rows) > self.limit
        rows = rows[: self.limit]
        self.last = rows[-1] if rows else None
        return rows

    def get_next_link(self):
        if not self.has_more:
            return None
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, self.limit_query_param, self.limit)
        if self.keyset is None or self.last is None:
            return replace_query_param(url, self.offset_query_param, self.offset + self.limit)
        field, _ = self.keyset
        url = remove_query_param(url, self.offset_query_param)
        return replace_query_param(
            url, self.cursor_query_param, _encode(getattr(self.last, field.attname), self.last.pk)
        )

    def get_previous_link(self):
        if self.after is not None:
            return None  # a cursor only goes forward: the first page is the list without « apres »
        return super().get_previous_link()

    def get_limit(self, request):
        return _integer(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return _integer(request, self.offset_query_param, 0, 0)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_limit, default=self.default_limit)
            else:
                parameter["schema"].update(minimum=0, default=0)
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Curseur de la page suivante, tel que le donne le lien « next » (listes des "
                "signalements, dossiers, imports et séjours) : la page commence juste après la dernière ligne lue, "
                "quelle que soit sa profondeur. Ne se combine pas avec « offset ».",
                "schema": {"type": "string"},
            }
        )
        return parameters

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        properties = result["properties"]
        properties["count"]["description"] = "Nombre total de résultats, toutes pages confondues."
        properties["next"]["description"] = "Adresse de la page suivante ; null sur la dernière."
        properties["previous"]["description"] = "Adresse de la page précédente ; null sur la première."
        for name in ("next", "previous"):
            properties[name]["example"] = properties[name]["example"].replace(
                "http://api.example.org/accounts/", "https://toit.example.fr/api/files/"
            )
        result["required"] = ["count", "next", "previous", "results"]
        return result
