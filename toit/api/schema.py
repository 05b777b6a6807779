"""The OpenAPI description: problem details for errors, the API key as a bearer security
scheme, French texts."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from toit.api.problems import MEDIA_TYPE, TYPES


class ProblemErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Ce qui ne va pas et comment le corriger.")
    pointer = serializers.CharField(
        required=False,
        help_text="Pointeur JSON (RFC 6901) vers le champ du corps en cause (« /date », « /members/0/last_name ») ; "
        "vide : la requête entière.",
    )
    parameter = serializers.CharField(required=False, help_text="Paramètre de l'adresse en cause.")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.URLField(help_text="Adresse de la documentation de ce type de problème.")
    title = serializers.CharField(help_text="Le type de problème, en clair.")
    status = serializers.IntegerField(help_text="Code HTTP.")
    detail = serializers.CharField(help_text="Ce qui s'est passé et comment y remédier.")
    instance = serializers.CharField(help_text="Chemin de la requête concernée.")
    errors = ProblemErrorSerializer(
        many=True, required=False, help_text="Pour une requête invalide : une entrée par champ ou paramètre en cause."
    )
    retry_after = serializers.IntegerField(
        required=False, help_text="Pour une limite atteinte : secondes à attendre avant de réessayer."
    )


DESCRIPTIONS = {
    400: "Requête invalide (champ ou paramètre) : `errors` dit lequel et quoi corriger.",
    401: "Clé d'API absente, mal formée, inconnue, révoquée ou expirée.",
    403: "Permission (scope) manquante, ou rôle sans accès aux données nominatives.",
    404: "Objet inexistant ou non visible par votre organisation (même réponse dans les deux cas).",
    413: "Corps de requête trop volumineux (plus de 2,5 Mo) : refusé sur sa taille annoncée.",
    422: "Requête bien formée mais refusée par une règle de gestion (chronologie, date future…).",
    429: "Limite de requêtes atteinte : attendre `Retry-After` secondes.",
}


def problems(*statuses):
    """Responses of these error statuses, as problem details."""
    return {(code, MEDIA_TYPE): OpenApiResponse(ProblemSerializer, description=DESCRIPTIONS[code]) for code in statuses}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "toit.api.authentication.ApiKeyAuthentication"
    name = "cleApi"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "toit_<préfixe>_<secret>",
            "description": "Clé d'API de l'organisation : « Authorization: Bearer toit_<préfixe>_<secret> ».",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "toit.api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Session d'une personne connectée à Toit dans le même navigateur (jeton CSRF exigé "
            "pour les écritures).",
        }


def problem_types():
    return list(TYPES.values())


class AutoSchema(openapi.AutoSchema):
    """Says, in each operation's description, which permission (scope) it requires; never
    uses the (English) docstrings of the code as descriptions."""

    def get_description(self):
        return ""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        scope = (getattr(self.view, "scopes", None) or {}).get(self.method)
        note = f"Permission requise pour une clé d'API : `{scope}`." if scope else "Toute clé d'API valide convient."
        operation["description"] = f"{operation.get('description', '')}\n\n{note}".strip()
        return operation


def strip_code_docstrings(result, generator, request, public):
    """Component descriptions come from the serializers' docstrings, written in English for
    developers; the schema keeps the French help texts of the fields only. Enums keep their
    generated list of values."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        if schema.get("type") == "object":
            schema.pop("description", None)
    return result
