"""The API's JSON parser: DRF's, with the limits a hostile client needs.

- The body is refused (413) on its announced length, and never read past the limit
  (settings.DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default): DRF reads the request stream
  itself, which Django's own check on request.body never sees.
- Nesting deeper than MAX_DEPTH is a 400, never a RecursionError (500).
- A NUL character in any key or text is a 400 naming where: PostgreSQL refuses to store
  it, and no field of the API has a use for it.
The walk over the parsed value is iterative, so that it cannot overflow either."""

from json import JSONDecodeError

from django.conf import settings
from rest_framework import exceptions, parsers
from rest_framework.utils import json

from toit.api.problems import BodyTooLarge, nested_errors

MAX_DEPTH = 32
NUL = "\x00"
NUL_MESSAGE = "Caractère nul (U+0000) interdit : retirez-le de la valeur."


def body_limit():
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def check_announced_length(request):
    """413 when the Content-Length header already says the body is too large."""
    limit = body_limit()
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if limit is not None and announced > limit:
        raise BodyTooLarge(announced, limit)


# Python's JSON decoder explains in English (« Expecting value: line 1 column 1 »): the
# API answers in French, saying what and where.
JSON_ERRORS = {
    "Expecting value": "une valeur est attendue (texte entre guillemets doubles, nombre, true, false, null, objet "
    "ou liste)",
    "Expecting property name enclosed in double quotes": "un nom de champ entre guillemets doubles est attendu",
    "Expecting ':' delimiter": "deux-points (:) attendus après le nom du champ",
    "Expecting ',' delimiter": "virgule (,) ou fin de l'objet ou de la liste attendue",
    "Illegal trailing comma before end of object": "virgule en trop avant la fin de l'objet",
    "Illegal trailing comma before end of array": "virgule en trop avant la fin de la liste",
    "Extra data": "texte après la fin du JSON",
    "Unterminated string starting at": "texte sans guillemet de fin",
    "Invalid \\escape": "échappement (\\) invalide dans un texte",
    "Invalid \\uXXXX escape": "échappement \\uXXXX invalide dans un texte",
    "Invalid control character at": "caractère de contrôle (tabulation, retour à la ligne…) dans un texte : "
    "écrivez-le \\t ou \\n",
    "Unexpected UTF-8 BOM (decode using utf-8-sig)": "marque d'ordre des octets (BOM) en tête du corps : retirez-la",
}


def json_error(exc):
    """What is wrong with a body json.loads refused, in French, with where."""
    if isinstance(exc, JSONDecodeError):
        what = JSON_ERRORS.get(exc.msg, "syntaxe invalide")
        return f"{what}, ligne {exc.lineno}, colonne {exc.colno}"
    if "JSON compliant" in str(exc) or "not valid JSON" in str(exc):
        return "NaN et Infinity ne sont pas des nombres JSON : envoyez un nombre fini, ou null"
    return "syntaxe invalide"


def _walk(value):
    """Raise for depth or NUL, breadth first over (path, value)."""
    pending = [((), value)]
    while pending:
        path, item = pending.pop()
        if len(path) >= MAX_DEPTH:  # the body itself is the first level
            raise exceptions.ParseError(f"JSON imbriqué sur plus de {MAX_DEPTH} niveaux")
        if isinstance(item, str):
            if NUL in item:
                raise exceptions.ValidationError(nested_errors(path, NUL_MESSAGE))
        elif isinstance(item, dict):
            for key, child in item.items():
                if NUL in key:
                    raise exceptions.ValidationError(nested_errors(path, f"Nom de champ invalide : {NUL_MESSAGE}"))
                pending.append(((*path, key), child))
        elif isinstance(item, list):
            pending.extend(((*path, index), child) for index, child in enumerate(item))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        if request is not None:
            check_announced_length(request)
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = body_limit()
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise BodyTooLarge(None, limit)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise exceptions.ParseError(f"le corps n'est pas du texte {encoding}") from None
        try:
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except RecursionError:
            raise exceptions.ParseError(f"JSON imbriqué sur plus de {MAX_DEPTH} niveaux") from None
        except ValueError as exc:
            raise exceptions.ParseError(json_error(exc)) from None
        _walk(data)
        return data
