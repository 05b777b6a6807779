"""The OpenAPI description: valid, complete, served; the documentation page; and every
API view says which scope each of its methods requires."""

import json
import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from toit.api.enums import Scope
from toit.api.views.base import ApiView

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")
    assert {"/api/files/", "/api/reports/", "/api/indicators/", "/api/imports/{id}/errors.csv"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["cleApi"]["scheme"] == "bearer"


def test_errors_are_described_as_problems(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    create = schema["paths"]["/api/files/{reference}/events/"]["post"]
    assert set(create["responses"]) == {"201", "400", "401", "403", "404", "422", "429"}
    assert "application/problem+json" in create["responses"]["422"]["content"]
    assert "`events:write`" in create["description"]


def api_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from api_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and (prefix + str(pattern.pattern)).startswith("api/"):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_api_view_declares_the_scope_of_each_method():
    views = [(route, getattr(callback, "cls", None)) for route, callback in api_patterns()]
    api_views = [(route, cls) for route, cls in views if cls is not None and issubclass(cls, ApiView)]
    assert len(api_views) >= 16
    for route, cls in api_views:
        methods = {m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)}
        assert methods, route
        assert methods <= set(cls.scopes), f"{route}: scopes manquants pour {methods - set(cls.scopes)}"
        for scope in cls.scopes.values():
            assert scope is None or scope in Scope.values


def test_every_api_view_lets_drf_authenticate():
    """The site's LoginRequiredMiddleware would redirect key holders to the login page."""
    for route, callback in api_patterns():
        assert getattr(callback, "login_required", True) is False, route


def test_schema_is_served_publicly(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert "openapi:" in response.content.decode()
    as_json = client.get("/api/schema/", {"format": "json"})
    assert json.loads(as_json.content)["info"]["title"] == "API de Toit"


def test_documentation_page(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    for path in ("/api/files/{reference}/events/", "/api/reports/", "/api/indicators/", "/api/imports/"):
        assert path in html
    assert 'id="probleme-regle-metier"' in html and 'id="probleme-cle-revoquee"' in html
    assert "Permission requise pour une clé d&#x27;API" in html or "Permission requise pour une clé d'API" in html


@pytest.mark.parametrize("url", ["/api/docs/"])
def test_documentation_respects_the_strict_csp(client, url):
    response = client.get(url)
    html = response.content.decode()
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert not EXTERNAL.search(html)
    assert not INLINE_HANDLER.search(html)
    assert not INLINE_SCRIPT.search(html)


def test_path_parameters_match_the_paths(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    for path, item in schema["paths"].items():
        in_path = set(re.findall(r"{(\w+)}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == in_path, f"{method.upper()} {path}: {declared} ≠ {in_path}"
            assert operation.get("summary") and operation.get("description"), f"{method.upper()} {path}"
