"""Authentication by organisation API keys, and by the browser session."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from tests.api.conftest import client_for
from tests.api.factories import make_key
from tests.organisations.factories import member_of
from toit.api import keys
from toit.api.enums import Scope
from toit.api.models import ApiKey
from toit.eviction.models import PreventionFile
from toit.organisations.enums import Role
from toit.organisations.perms import roles_of

PROBLEM = "application/problem+json"


def assert_problem(response, status, slug):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].endswith(f"/api/docs/#probleme-{slug}")
    assert body["instance"] == response.wsgi_request.get_full_path()
    assert body["title"] and body["detail"]
    return body


def test_a_valid_key_reads_as_its_organisation(api, org, key):
    response = api.get("/api/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["authentication"] == "cle"
    assert body["organisations"] == [{"code": org.code, "name": org.name}]
    assert body["key"]["prefix"] == key.key.prefix


def test_the_token_is_not_stored(key):
    stored = ApiKey.objects.get(pk=key.key.pk)
    assert key.token.startswith(f"toit_{stored.prefix}_")
    assert key.token not in str(stored.__dict__)
    assert stored.secret_hash == keys.hash_token(key.token)


def test_no_key(db):
    response = client_for().get("/api/files/")
    body = assert_problem(response, 401, "non-authentifie")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "Authorization: Bearer" in body["detail"]


def test_wrong_secret(key):
    prefix = key.key.prefix
    wrong = f"toit_{prefix}_{'A' * 43}"
    body = assert_problem(client_for(wrong).get("/api/me/"), 401, "cle-invalide")
    assert "secret incorrect" in body["detail"]


def test_unknown_prefix_gets_the_same_answer_as_a_wrong_secret(key):
    first = client_for(f"toit_00000000_{'A' * 43}").get("/api/me/").json()
    second = client_for(f"toit_{key.key.prefix}_{'A' * 43}").get("/api/me/").json()
    assert first["detail"] == second["detail"] and first["type"] == second["type"]


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer toit_abc", "Bearer 1234", "Bearer toit_1234567_secretsecretsecretsecret"]
)
def test_malformed_key(db, header):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=header)
    body = assert_problem(client.get("/api/me/"), 401, "cle-mal-formee")
    assert "toit_<préfixe" in body["detail"]


def test_other_scheme(db):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Basic YWRtaW46YWRtaW4=")
    body = assert_problem(client.get("/api/me/"), 401, "cle-mal-formee")
    assert "« Basic »" in body["detail"]


def test_revoked_key(key):
    keys.revoke_key(key.key)
    body = assert_problem(client_for(key.token).get("/api/me/"), 401, "cle-revoquee")
    assert "révoquée le" in body["detail"] and "nouvelle clé" in body["detail"]
    # Its service account has no right left either, whatever reads it.
    key.key.user.refresh_from_db()
    assert roles_of(key.key.user) == frozenset()


def test_expired_key(org):
    created = make_key(org, expires_at=timezone.now() + datetime.timedelta(days=1))
    ApiKey.objects.filter(pk=created.key.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    body = assert_problem(client_for(created.token).get("/api/me/"), 401, "cle-expiree")
    assert "expiré le" in body["detail"]


def test_key_of_a_deactivated_organisation(org, key):
    org.is_active = False
    org.save()
    body = assert_problem(client_for(key.token).get("/api/me/"), 401, "cle-invalide")
    assert "n'est plus active" in body["detail"]


def test_wrong_scope(org, file):
    created = make_key(org, scopes=[Scope.INDICATORS_READ])
    body = assert_problem(client_for(created.token).get("/api/files/"), 403, "permission-manquante")
    assert "« files:read »" in body["detail"]


def test_scope_for_reading_is_not_a_scope_for_writing(org, file):
    created = make_key(org, scopes=[Scope.FILES_READ])
    client = client_for(created.token)
    assert client.get(f"/api/files/{file.reference}/").status_code == 200
    response = client.post(f"/api/files/{file.reference}/events/", {"kind": "commandement_payer", "date": "2010-02-01"})
    body = assert_problem(response, 403, "permission-manquante")
    assert "« events:write »" in body["detail"]


def test_a_key_without_nominative_scope_gets_the_observatory_role(org, file):
    """Even if a view forgot its scope, the scoped querysets would give such a key nothing."""
    created = make_key(org, scopes=[Scope.INDICATORS_READ, Scope.PUBLICATIONS_READ])
    assert roles_of(created.key.user) == frozenset({Role.OBSERVATORY})
    assert not PreventionFile.objects.visible_to(created.key.user).exists()
    nominative = make_key(org, scopes=[Scope.FILES_READ])
    assert roles_of(nominative.key.user) == frozenset({Role.AGENT})
    assert PreventionFile.objects.visible_to(nominative.key.user).get() == file


def test_service_account_cannot_log_in(key):
    user = key.key.user
    assert not user.is_active and not user.has_usable_password()
    assert authenticate(username=user.username, password="") is None


def test_last_used_is_written_at_most_once_a_minute(api, key, django_assert_num_queries):
    assert key.key.last_used_at is None
    api.get("/api/me/")
    first = ApiKey.objects.get(pk=key.key.pk).last_used_at
    assert first is not None
    api.get("/api/me/")
    assert ApiKey.objects.get(pk=key.key.pk).last_used_at == first
    ApiKey.objects.filter(pk=key.key.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    api.get("/api/me/")
    assert ApiKey.objects.get(pk=key.key.pk).last_used_at > first


def test_the_same_request_writes_nothing_within_the_minute(api, django_assert_num_queries):
    api.get("/api/me/")
    # The key with its organisation and service account, in one query; no UPDATE of the
    # key; the request counted for the limit, in one upsert shared by every process.
    with django_assert_num_queries(2):
        assert api.get("/api/me/").status_code == 200


def test_browser_session(client, org, file):
    client.force_login(member_of(org))
    response = client.get("/api/files/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["results"][0]["reference"] == file.reference
    assert client.get("/api/me/").json()["authentication"] == "session"


def test_browser_session_writes_need_the_csrf_token(org, file):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member_of(org))
    response = client.post(
        f"/api/files/{file.reference}/events/",
        {"kind": "commandement_payer", "date": "2010-02-01"},
        content_type="application/json",
    )
    body = assert_problem(response, 403, "acces-refuse")
    assert "CSRF" in body["detail"]


def test_browser_session_without_second_factor(client, org, settings):
    settings.TOIT_REQUIRE_2FA = True
    client.force_login(member_of(org))
    # The API does not redirect to an HTML page: it refuses with problem details.
    body = assert_problem(client.get("/api/files/"), 401, "non-authentifie")
    assert "Double authentification requise" in body["detail"]


def test_observatory_session_gets_aggregates_only(client, org, file):
    client.force_login(member_of(org, role=Role.OBSERVATORY))
    body = assert_problem(client.get("/api/files/"), 403, "acces-refuse")
    assert "agrégats" in body["detail"]
    assert client.get("/api/indicators/").status_code == 200
