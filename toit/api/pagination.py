"""Pagination by limit and offset, strictly validated: a wrong value is a 400 that says
which parameter and what is allowed, never silently replaced."""

from rest_framework.pagination import LimitOffsetPagination

from toit.api.problems import InvalidParameters

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


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
