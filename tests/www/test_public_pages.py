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


def test_no_template_nor_default_setting_names_a_departement(client, settings):
    """One instance serves several départements (issue 14): the operator comes from the
    settings, a plan's name from its plan, never from a template."""
    from pathlib import Path

    from config.settings import base

    templates = Path(apps.get_app_config("www").path).parent / "templates"
    naming = [p.relative_to(templates) for p in templates.rglob("*.html") if "sarthe" in p.read_text().casefold()]
    assert naming == []
    assert "sarthe" not in str(base.TOIT_BRAND).casefold()
    settings.TOIT_BRAND = {**settings.TOIT_BRAND, "operator_name": "Direction départementale des territoires de l'Orne"}
    text = client.get(reverse("legal")).text.replace("&#x27;", "'")
    assert "édité et opéré par Direction départementale des territoires de l'Orne" in text
