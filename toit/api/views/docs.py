"""The API's documentation page, rendered on the server from the OpenAPI schema: no
script, no asset from elsewhere (the strict CSP applies), readable without logging in.
The schema itself is served by drf-spectacular at /api/schema/."""

import functools

import markdown
import nh3
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator

from toit.api.problems import TYPES

METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(node, components):
    while isinstance(node, dict) and "$ref" in node:
        node = components.get(node["$ref"].rsplit("/", 1)[-1], {})
    if isinstance(node, dict) and "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(node["allOf"][0], components)
    return node


def _type(node, components):
    if isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target = components.get(name, {})
        if "enum" in target:
            return "une valeur parmi : " + ", ".join(f"« {v} »" for v in target["enum"] if v not in ("", None))
        return "objet"
    node = _resolve(node, components)
    if not isinstance(node, dict):
        return ""
    if "oneOf" in node:
        return " ou ".join(filter(None, (_type(n, components) for n in node["oneOf"])))
    kind = node.get("type", "")
    if kind == "array":
        return f"liste ({_type(node.get('items', {}), components)})"
    labels = {"string": "texte", "integer": "entier", "number": "nombre", "boolean": "booléen", "object": "objet"}
    text = labels.get(kind, kind)
    fmt = {"date": "date AAAA-MM-JJ", "date-time": "date et heure ISO 8601", "decimal": "décimal en texte"}
    if node.get("format") in fmt:
        text = fmt[node["format"]]
    if node.get("nullable"):
        text += ", ou null"
    return text


def _fields(node, components):
    node = _resolve(node, components)
    if not isinstance(node, dict):
        return []
    required = set(node.get("required", []))
    return [
        {
            "name": name,
            "type": _type(field, components),
            "required": name in required,
            "description": (_resolve(field, components) or {}).get("description", "") or field.get("description", ""),
            "read_only": field.get("readOnly", False),
        }
        for name, field in node.get("properties", {}).items()
    ]


def _html(text):
    return nh3.clean(markdown.markdown(text or ""))


def operations():
    document = schema()
    components = document.get("components", {}).get("schemas", {})
    groups = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            responses = []
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                responses.append(
                    {"code": code, "media": ", ".join(content), "description": response.get("description", "")}
                )
            groups.setdefault(operation.get("tags", ["API"])[0], []).append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": _html(operation.get("description", "")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": {"path": "chemin", "query": "requête"}.get(p["in"], p["in"]),
                            "required": p.get("required", False),
                            "type": _type(p.get("schema", {}), components),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _fields(body, components) if body else [],
                    "responses": responses,
                }
            )
    return document.get("info", {}), groups


@login_not_required
@require_safe
def docs(request):
    info, groups = operations()
    return render(
        request,
        "api/docs.html",
        {
            "info": info,
            "description": _html(info.get("description", "")),
            "groups": groups,
            "problem_types": TYPES.values(),
        },
    )
