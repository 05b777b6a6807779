"""Every error is an RFC 9457 problem, in French, whatever the status."""

from tests.api.test_auth import assert_problem
from toit.api.views.me import Me


def test_unknown_address_under_api(api):
    body = assert_problem(api.get("/api/dossiers/"), 404, "introuvable")
    assert "/api/docs/" in body["detail"]
    assert_problem(api.post("/api/nulle-part/", {}), 404, "introuvable")


def test_method_not_allowed(api, file):
    response = api.delete(f"/api/files/{file.reference}/")
    body = assert_problem(response, 405, "methode-non-autorisee")
    assert "DELETE" in body["detail"] and "GET" in body["detail"]
    assert "GET" in response["Allow"]


def test_json_only(api, file):
    response = api.post(
        f"/api/files/{file.reference}/events/", "kind=jugement", content_type="application/x-www-form-urlencoded"
    )
    body = assert_problem(response, 415, "type-de-contenu-non-pris-en-charge")
    assert "application/json" in body["detail"]


def test_malformed_json(api, file):
    response = api.post(f"/api/files/{file.reference}/events/", '{"kind": ', content_type="application/json")
    body = assert_problem(response, 400, "json-invalide")
    assert "JSON" in body["detail"]


def test_not_acceptable(api):
    response = api.get("/api/me/", HTTP_ACCEPT="application/xml")
    assert_problem(response, 406, "format-non-disponible")


def test_throttled_per_key(api, other_api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/min"}}
    for _ in range(3):
        assert api.get("/api/me/").status_code == 200
    response = api.get("/api/me/")
    body = assert_problem(response, 429, "trop-de-requetes")
    assert int(response["Retry-After"]) == body["retry_after"] > 0
    assert "réessayez dans" in body["detail"]
    # Another organisation's key has its own count.
    assert other_api.get("/api/me/").status_code == 200


def test_internal_error_is_a_problem_too(api, monkeypatch, caplog):
    def broken(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr(Me, "get", broken)
    body = assert_problem(api.get("/api/me/"), 500, "erreur-interne")
    assert "boom" not in body["detail"]
    assert any("boom" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_messages_are_french(api, file):
    body = api.post(f"/api/files/{file.reference}/events/", {}).json()
    assert body["detail"].startswith("La requête contient des erreurs")
    assert {e["detail"] for e in body["errors"]} == {"Ce champ est obligatoire."}
