"""Creating and revoking keys: the domain functions, the admin (the token shown once) and
the command line."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.api.conftest import client_for
from tests.api.factories import make_key
from tests.organisations.factories import OrganisationFactory, UserFactory
from toit.api import keys
from toit.api.models import ApiKey
from toit.organisations.enums import Role
from toit.organisations.models import Membership

TOKEN = re.compile(r"toit_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def test_create_key_validates(org):
    with pytest.raises(ValidationError) as error:
        make_key(org, scopes=["files:read", "files:delete"])
    assert "files:delete" in str(error.value)
    with pytest.raises(ValidationError):
        make_key(org, scopes=[])
    with pytest.raises(ValidationError):
        make_key(org, name="")
    org.is_active = False
    with pytest.raises(ValidationError):
        make_key(org)
    assert not ApiKey.objects.exists()


def test_each_key_has_its_own_service_account(org):
    first, second = make_key(org), make_key(org)
    assert first.key.user != second.key.user
    assert Membership.objects.get(user=first.key.user).organisation == org
    assert str(first.key.user) == f"Clé d'API « Logiciel du partenaire » ({org.code})"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_shows_the_token_once(admin_client, org):
    response = admin_client.post(
        reverse("admin:api_apikey_add"),
        {"organisation": org.pk, "name": "Progiciel", "scopes": ["files:read", "events:write"], "expires_at": ""},
    )
    assert response.status_code == 200, response.content
    token = TOKEN.search(response.content.decode()).group(0)
    assert "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get()
    assert key.scopes == ["files:read", "events:write"] and key.created_by.is_superuser
    assert client_for(token).get("/api/me/").json()["key"]["prefix"] == key.prefix
    page = admin_client.get(reverse("admin:api_apikey_change", args=[key.pk])).content.decode()
    assert token not in page and f"toit_{key.prefix}_…" in page
    listing = admin_client.get(reverse("admin:api_apikey_changelist")).content.decode()
    assert token not in listing


def test_admin_refuses_unknown_organisation_state(admin_client, org):
    org.is_active = False
    org.save()
    response = admin_client.post(
        reverse("admin:api_apikey_add"), {"organisation": org.pk, "name": "x", "scopes": ["files:read"]}
    )
    assert response.status_code == 200 and not ApiKey.objects.exists()
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_admin_revokes(admin_client, key):
    response = admin_client.post(
        reverse("admin:api_apikey_changelist"), {"action": "revoke", "_selected_action": [key.key.pk]}
    )
    assert response.status_code == 302
    assert ApiKey.objects.get().revoked_at is not None
    assert client_for(key.token).get("/api/me/").status_code == 401
    assert not ApiKey.objects.get().user.memberships.filter(is_active=True).exists()
    assert admin_client.post(reverse("admin:api_apikey_delete", args=[key.key.pk])).status_code == 403


def test_command_create_list_revoke(capsys):
    caf = OrganisationFactory(code="CAF72")
    call_command("toit_apikey", "create", "caf72", "--scopes", "reports:write, files:read", "--name", "Logiciel CAF")
    out, err = capsys.readouterr()
    token = out.strip()
    assert TOKEN.fullmatch(token) and "ne sera plus affichée" in err
    key = ApiKey.objects.get()
    assert key.organisation == caf and key.scopes == ["reports:write", "files:read"]
    assert Membership.objects.get(user=key.user).role == Role.AGENT

    call_command("toit_apikey", "list")
    assert f"{key.prefix}\tCAF72\tLogiciel CAF\treports:write,files:read\tactive" in capsys.readouterr().out

    call_command("toit_apikey", "revoke", f"toit_{key.prefix}_…")
    assert "révoquée" in capsys.readouterr().out
    call_command("toit_apikey", "list")
    assert capsys.readouterr().out == ""
    call_command("toit_apikey", "list", "--all")
    assert "révoquée le" in capsys.readouterr().out
    assert client_for(token).get("/api/me/").status_code == 401


def test_command_errors_are_french(db):
    OrganisationFactory(code="CAF72")
    with pytest.raises(CommandError, match="Organisation inconnue"):
        call_command("toit_apikey", "create", "XXX", "--scopes", "files:read", "--name", "x")
    with pytest.raises(CommandError, match=r"Permission.*inconnue"):
        call_command("toit_apikey", "create", "CAF72", "--scopes", "tout", "--name", "x")
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("toit_apikey", "create", "CAF72", "--scopes", "files:read", "--name", "x", "--expires", "demain")
    with pytest.raises(CommandError, match="Aucune clé"):
        call_command("toit_apikey", "revoke", "abcdef12")


def test_aggregate_key_from_the_command_line(capsys):
    OrganisationFactory(code="CG72")
    call_command("toit_apikey", "create", "CG72", "--scopes", "indicators:read", "--name", "Tableau de bord")
    assert Membership.objects.get(user=ApiKey.objects.get().user).role == Role.OBSERVATORY


def test_check_token_never_reveals_state_without_the_secret(key):
    keys.revoke_key(key.key)
    with pytest.raises(keys.KeyRefused) as refused:
        keys.check_token(f"toit_{key.key.prefix}_{'B' * 43}")
    assert refused.value.code == "cle-invalide"
