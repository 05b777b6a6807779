import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.organisations.factories import OrganisationFactory, member_of
from toit.organisations.enums import Role
from toit.www.auth.password import ENROLMENT_KEY


@pytest.fixture(autouse=True)
def _require_2fa(settings):
    settings.TOIT_REQUIRE_2FA = True


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_nominative_role_must_set_up_a_second_factor(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the device would otherwise wait after the wrong code
    agent = member_of(OrganisationFactory(), role=Role.AGENT)
    client.force_login(agent)
    # The activation link was used in this browser (tests/security/test_attacks_accounts.py).
    session = client.session
    session[ENROLMENT_KEY] = agent.pk
    session.save()
    response = client.get(reverse("organisations:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))
    page = client.get(response.url)
    assert "Activer la double authentification" in page.text
    assert 'src="data:image/svg+xml;base64,' in page.text
    device = TOTPDevice.objects.get(user=agent, confirmed=False)

    wrong = client.post(reverse("two_factor_setup"), {"token": "000000", "next": "/organisations/"})
    assert "Code incorrect" in wrong.text
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    done = client.post(reverse("two_factor_setup"), {"token": code_for(device), "next": "/organisations/"})
    assert done.status_code == 302 and done.url == "/organisations/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("organisations:list")).status_code == 200


def test_verification_on_next_login(client):
    agent = member_of(OrganisationFactory(), role=Role.MANAGER)
    device = TOTPDevice.objects.create(user=agent, name="téléphone", confirmed=True)
    client.force_login(agent)
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("two_factor_verify"))
    bad = client.post(reverse("two_factor_verify"), {"token": "12ab"})
    assert "Le code ne contient que des chiffres." in bad.text
    good = client.post(reverse("two_factor_verify"), {"token": code_for(device), "next": "https://ailleurs.example/"})
    assert good.url == reverse("home")  # never redirected off-site


def test_observatory_role_needs_no_second_factor(client):
    client.force_login(member_of(OrganisationFactory(), role=Role.OBSERVATORY))
    assert client.get(reverse("organisations:list")).status_code == 200


def test_login_throttled_after_repeated_failures(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    member_of(OrganisationFactory(), username="camille", password="le-bon-mot-de-passe")
    for _ in range(3):
        client.post(reverse("login"), {"username": "camille", "password": "faux"})
    locked = client.post(reverse("login"), {"username": "camille", "password": "le-bon-mot-de-passe"})
    assert locked.status_code == 429
    assert "Trop de tentatives de connexion" in locked.text
    assert "_auth_user_id" not in client.session


def test_api_is_not_redirected_but_refused(client):
    client.force_login(member_of(OrganisationFactory(), role=Role.AGENT))
    response = client.get("/api/me/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/problem+json")
    assert "Double authentification requise" in response.json()["detail"]
