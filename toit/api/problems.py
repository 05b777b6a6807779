"""Every error of the API as RFC 9457 problem details (application/problem+json), in
French: `type` (a link to the documentation of that problem), `title`, `status`, `detail`
(what went wrong and how to fix it), `instance` (the request path) and, for invalid
input, `errors`: one entry per problem with where it is (`pointer`, a JSON pointer into
the request body, or `parameter`, the query parameter) and what to do (`detail`).

Statuses: 400 the request itself is malformed (type, format, unknown value); 422 it is
well formed but a rule of the domain refuses it (chronology of the procedure, a date in
the future, a field the kind of event requires); 401 no or unusable key; 403 the key
lacks the permission; 404 the object does not exist or is not visible (the same answer);
405, 406, 415, 429 as HTTP says; 500 an error of Toit (logged).
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from rest_framework import exceptions, status
from rest_framework.views import set_rollback

logger = logging.getLogger("toit.api")

MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str
    description: str


TYPES = {
    t.slug: t
    for t in [
        ProblemType(
            "requete-invalide",
            400,
            "Requête invalide",
            "Le corps de la requête ne convient pas : un champ manque, a un mauvais type ou une valeur inconnue. "
            "La liste `errors` dit lequel (`pointer`) et quoi corriger.",
        ),
        ProblemType(
            "parametre-invalide",
            400,
            "Paramètre invalide",
            "Un paramètre de l'adresse (filtre, pagination) est invalide. La liste `errors` dit lequel "
            "(`parameter`) et les valeurs admises.",
        ),
        ProblemType(
            "json-invalide",
            400,
            "JSON invalide",
            "Le corps de la requête n'est pas du JSON valide : vérifiez guillemets, virgules et encodage UTF-8.",
        ),
        ProblemType(
            "non-authentifie",
            401,
            "Authentification requise",
            "Aucune clé d'API n'a été fournie. Ajoutez l'en-tête « Authorization: Bearer toit_<préfixe>_<secret> ».",
        ),
        ProblemType(
            "cle-mal-formee",
            401,
            "Clé d'API mal formée",
            "La clé ne suit pas la forme « toit_<préfixe>_<secret> » : copiez-la en entier.",
        ),
        ProblemType(
            "cle-invalide",
            401,
            "Clé d'API refusée",
            "Aucune clé active ne correspond (préfixe inconnu, secret incorrect, organisation désactivée).",
        ),
        ProblemType(
            "cle-revoquee",
            401,
            "Clé d'API révoquée",
            "La clé a été révoquée : demandez-en une nouvelle à l'administrateur de Toit.",
        ),
        ProblemType(
            "cle-expiree",
            401,
            "Clé d'API expirée",
            "La date d'expiration de la clé est passée : demandez-en une nouvelle à l'administrateur de Toit.",
        ),
        ProblemType(
            "authentification-invalide",
            401,
            "Authentification refusée",
            "Les informations d'authentification fournies ne sont pas utilisables.",
        ),
        ProblemType(
            "permission-manquante",
            403,
            "Permission manquante",
            "La clé n'a pas la permission (scope) que demande cette opération : demandez une clé qui l'a.",
        ),
        ProblemType(
            "acces-refuse",
            403,
            "Accès refusé",
            "Votre organisation ou votre rôle ne permet pas cette opération (par exemple agir au titre d'une "
            "organisation qui ne participe pas au dossier).",
        ),
        ProblemType(
            "introuvable",
            404,
            "Introuvable",
            "L'objet n'existe pas, ou votre organisation ne peut pas le voir : les deux cas reçoivent la même réponse.",
        ),
        ProblemType(
            "methode-non-autorisee",
            405,
            "Méthode non autorisée",
            "Cette adresse n'accepte pas cette méthode HTTP : l'en-tête « Allow » donne celles qu'elle accepte.",
        ),
        ProblemType(
            "format-non-disponible",
            406,
            "Format non disponible",
            "L'en-tête « Accept » demande un format que cette adresse ne produit pas (JSON en général).",
        ),
        ProblemType(
            "type-de-contenu-non-pris-en-charge",
            415,
            "Type de contenu non pris en charge",
            "Envoyez le corps en JSON avec l'en-tête « Content-Type: application/json ».",
        ),
        ProblemType(
            "regle-metier",
            422,
            "Demande contraire aux règles",
            "La requête est bien formée mais une règle de gestion la refuse (chronologie de la procédure, date "
            "dans le futur, champ exigé par le type d'événement…). `errors` dit quel champ et pourquoi.",
        ),
        ProblemType(
            "corps-trop-volumineux",
            413,
            "Corps de requête trop volumineux",
            "Le corps de la requête dépasse la taille admise (2,5 Mo par défaut) : il est refusé sur sa taille "
            "annoncée, sans être lu. Envoyez moins de données par requête.",
        ),
        ProblemType(
            "longueur-requise",
            411,
            "Longueur du corps non annoncée",
            "Le corps est envoyé sans en-tête « Content-Length » (envoi fragmenté) : il n'est pas lu. Envoyez-le "
            "d'un bloc, avec sa longueur.",
        ),
        ProblemType(
            "trop-de-requetes",
            429,
            "Trop de requêtes",
            "La limite de requêtes de la clé est atteinte : attendez le nombre de secondes donné par l'en-tête "
            "« Retry-After » (et `retry_after`).",
        ),
        ProblemType(
            "erreur-interne",
            500,
            "Erreur interne",
            "Toit a rencontré une erreur qui ne vient pas de votre requête ; elle est enregistrée. Réessayez plus "
            "tard, et signalez-la si elle persiste.",
        ),
    ]
}

DEFAULT_TYPES = {
    400: "requete-invalide",
    401: "non-authentifie",
    403: "acces-refuse",
    404: "introuvable",
    405: "methode-non-autorisee",
    406: "format-non-disponible",
    411: "longueur-requise",
    413: "corps-trop-volumineux",
    415: "type-de-contenu-non-pris-en-charge",
    422: "regle-metier",
    429: "trop-de-requetes",
    500: "erreur-interne",
}

NOT_FOUND = "Aucun objet visible par votre organisation ne correspond à cette adresse."


class DomainRefused(exceptions.APIException):
    """A domain function refused the request (its ValidationError)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "La demande contredit une règle de gestion."


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Corps de requête trop volumineux."

    def __init__(self, announced, limit):
        size = f" ({announced / 1_000_000:.1f} Mo annoncés)" if announced else ""
        super().__init__(
            f"Corps de requête trop volumineux{size} : la limite est de {limit / 1_000_000:.1f} Mo. Envoyez moins de "
            "données par requête."
        )


def nested_errors(path, message):
    """A DRF error detail placing `message` at `path` (keys and indexes) in the body."""
    detail = [message]
    for part in reversed(path):
        detail = {part: detail}
    return detail


def refused(detail, pointer=""):
    """A 422 about one field of the body (`pointer`, e.g. "/organisation")."""
    error = DomainRefused(detail)
    error.items = [{"pointer": pointer, "detail": str(detail)}]
    return error


class InvalidParameters(exceptions.APIException):
    """Query parameters that do not validate; `errors` maps each parameter to messages."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Paramètre(s) invalide(s) : corrigez la ou les valeurs indiquées dans « errors »."

    def __init__(self, errors):
        super().__init__()
        self.parameter_errors = errors


def type_uri(request, slug):
    base = reverse("api:docs")
    if request is not None:
        base = request.build_absolute_uri(base)
    return f"{base}#probleme-{slug}"


def problem(request, status_code, detail, *, slug=None, errors=None, headers=None, **extra):
    """The problem details response."""
    slug = slug or DEFAULT_TYPES.get(status_code, "erreur-interne")
    kind = TYPES.get(slug)
    body = {
        "type": type_uri(request, slug),
        "title": kind.title if kind else "Erreur",
        "status": status_code,
        "detail": str(detail),
        "instance": request.get_full_path() if request is not None else "",
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    response = JsonResponse(
        body, status=status_code, content_type=MEDIA_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _pointer(parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts) if parts else ""


def body_errors(detail, path=()):
    """Flatten a DRF ValidationError detail (nested dicts and lists) into error items."""
    items = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                items += body_errors(value, path)
            else:
                items += body_errors(value, (*path, key))
    elif isinstance(detail, list):
        if detail and all(isinstance(d, str) for d in detail):
            items += [{"pointer": _pointer(path), "detail": str(d)} for d in detail]
        else:
            for index, value in enumerate(detail):
                if value:
                    items += body_errors(value, (*path, index))
    else:
        items.append({"pointer": _pointer(path), "detail": str(detail)})
    return items


def domain_errors(error, fields=None):
    """Items of a django ValidationError raised by a domain function. `fields` renames
    model fields to the API's names when they differ."""
    fields = fields or {}
    if hasattr(error, "error_dict"):
        items = []
        for field, messages in error.message_dict.items():
            path = () if field in ("__all__", None) else (fields.get(field, field),)
            items += [{"pointer": _pointer(path), "detail": m} for m in messages]
        return items
    return [{"pointer": "", "detail": m} for m in error.messages]


def _messages(value):
    """Every message in a (possibly nested) DRF error structure."""
    if isinstance(value, dict):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def _summary(items):
    return " ".join(dict.fromkeys(i["detail"] for i in items))


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or NOT_FOUND)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        items = domain_errors(exc)
        exc = DomainRefused(_summary(items))
        exc.items = items

    if not isinstance(exc, exceptions.APIException):
        logger.exception("Erreur interne de l'API sur %s", request.get_full_path() if request else "?")
        set_rollback()
        return problem(
            request,
            500,
            "Toit a rencontré une erreur interne ; elle est enregistrée. Réessayez plus tard et signalez-la si "
            "elle persiste.",
        )

    set_rollback()
    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    extra = {}
    slug = getattr(exc, "problem_type", None)
    errors = None
    detail = exc.detail if isinstance(exc.detail, str) else None

    if isinstance(exc, exceptions.ValidationError):
        errors = body_errors(exc.detail)
        detail = "La requête contient des erreurs : " + _summary(errors)
    elif isinstance(exc, DomainRefused):
        errors = getattr(exc, "items", None) or [{"pointer": "", "detail": str(exc.detail)}]
        detail = _summary(errors)
    elif isinstance(exc, InvalidParameters):
        slug = "parametre-invalide"
        errors = [
            {"parameter": name, "detail": message}
            for name, messages in exc.parameter_errors.items()
            for message in _messages(messages)
        ]
        detail = "Paramètre(s) invalide(s) : " + " ".join(f"« {e['parameter'][:40]} » : {e['detail']}" for e in errors)
    elif isinstance(exc, exceptions.ParseError):
        slug = "json-invalide"
        detail = (
            "Le corps de la requête n'est pas du JSON valide : vérifiez guillemets, virgules et encodage UTF-8 "
            f"({exc.detail})."
        )
    elif isinstance(exc, exceptions.NotAuthenticated):
        detail = (
            "Authentification requise : ajoutez l'en-tête « Authorization: Bearer toit_<préfixe>_<secret> » avec "
            "la clé d'API de votre organisation."
        )
    elif isinstance(exc, exceptions.MethodNotAllowed):
        allowed = context["view"].allowed_methods if context.get("view") else []
        detail = (
            f"La méthode {request.method} n'est pas acceptée ici : utilisez "
            f"{', '.join(m for m in allowed if m != 'OPTIONS') or 'une autre adresse'}."
        )
        headers["Allow"] = ", ".join(allowed)
    elif isinstance(exc, exceptions.NotAcceptable):
        detail = "Le format demandé par l'en-tête « Accept » n'est pas disponible ici : demandez « application/json »."
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        detail = (
            f"Type de contenu « {exc.detail and request.content_type} » non pris en charge : envoyez du JSON avec "
            "l'en-tête « Content-Type: application/json »."
        )
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        detail = f"Limite de requêtes atteinte pour cette clé : réessayez dans {wait} seconde{'s' if wait > 1 else ''}."
        headers["Retry-After"] = str(wait)
        extra["retry_after"] = wait
    elif isinstance(exc, exceptions.NotFound):
        detail = detail if detail and detail != str(exceptions.NotFound.default_detail) else NOT_FOUND
    elif detail is None:
        detail = str(exc.detail)

    return problem(request, exc.status_code, detail, slug=slug, errors=errors, headers=headers, **extra)
