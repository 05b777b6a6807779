from django.urls import reverse

from tests.organisations.factories import OrganisationFactory, member_of


def test_404_is_in_french(client, settings):
    settings.DEBUG = False
    client.force_login(member_of(OrganisationFactory()))
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert '<html lang="fr"' in response.text


def test_403_is_in_french(client):
    from toit.organisations.enums import Role

    client.force_login(member_of(OrganisationFactory(), role=Role.OBSERVATORY))
    response = client.get(reverse("eviction:search"))
    assert response.status_code == 403
    assert "réservés" in response.text or "Accès refusé" in response.text
