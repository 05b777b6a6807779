from django.apps import apps
from django.test import override_settings
from django.urls import reverse

from tests.organisations.factories import OrganisationFactory, member_of


def test_footer_links_lead_to_pages_readable_without_login(client):
    for name, heading in [
        ("accessibility", "Déclaration d'accessibilité"),
        ("legal", "Mentions légales"),
        ("personal_data", "Données personnelles"),
        ("sitemap", "Plan du site"),
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert f"<h1>{heading}</h1>" in response.text.replace("&#x27;", "'")
    footer = client.get(reverse("accessibility")).text.split('id="pied-de-page"')[1]
    for name in ("accessibility", "legal", "personal_data", "sitemap"):
        assert f'href="{reverse(name)}"' in footer
    assert "partiellement conforme" in footer


def test_a_help_page_per_module(client):
    client.force_login(member_of(OrganisationFactory()))
    for module in ("prevention", "plan", "observatoire", "pilotage", "imports"):
        assert client.get(reverse("help_page", args=[module])).status_code == 200
    assert client.get(reverse("help_page", args=["inconnu"])).status_code == 404


@override_settings(
    DEBUG=True, MIDDLEWARE=[*__import__("django.conf").conf.settings.MIDDLEWARE, "toit.www.dev_404.French404Middleware"]
)
def test_in_development_an_unknown_address_gets_the_french_404(client):
    client.force_login(member_of(OrganisationFactory()))
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "DEBUG = True" not in response.text
    assert '<html lang="fr"' in response.text


def test_third_party_admin_sections_are_in_french():
    assert apps.get_app_config("axes").verbose_name == "Tentatives de connexion"
    assert apps.get_app_config("otp_totp").verbose_name.startswith("Double authentification")
    assert apps.get_app_config("django_tasks_database").verbose_name == "Tâches en arrière-plan"
