"""The page that cancels a file opened by mistake and restores it: asks for the reason, is
refused to the other participants with a French message, is a 404 to anyone who does not
read the file; a cancelled file says so on its page and leaves the search and the queues."""

from django.urls import reverse

from tests.organisations.factories import OrganisationFactory, member_of
from tests.www.eviction.conftest import make_file
from toit.eviction import access
from toit.eviction.enums import ParticipantReason
from toit.eviction.models import PreventionFile
from toit.organisations.enums import OrganisationKind

REASON = "Doublon : le ménage est déjà suivi dans un autre dossier"


def url(file):
    return reverse("eviction:cancel_file", args=[file.reference])


def text(response):
    return response.text.replace("&#x27;", "'").replace("&#x27;", "'")


def test_the_opening_organisation_cancels_then_restores(agent_client, agent, org):
    file = make_file(org, last_name="Erreur")
    page = text(agent_client.get(reverse("eviction:file", args=[file.reference])))
    assert url(file) in page and "Annuler le dossier" in page
    form = text(agent_client.get(url(file)))
    assert 'name="reason"' in form and "Motif de l'annulation" in form

    response = agent_client.post(url(file), {"reason": REASON})
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.cancelled_by == agent and file.cancellation_reason == REASON

    page = text(agent_client.get(reverse("eviction:file", args=[file.reference])))
    assert "Dossier annulé" in page and REASON in page and "Actions sur le dossier" not in page
    # No section offers a form that would only refuse: the file takes nothing until restored.
    for action in ("Ajouter un événement", "Corriger", "Enregistrer", "Partager le dossier", "Ajouter un membre"):
        assert action not in page, action
    search = reverse("eviction:search")
    assert file.reference not in agent_client.get(search, {"q": "Erreur"}).text
    found = agent_client.get(search, {"q": file.reference}).text
    assert file.reference in found and "annulé" in found

    form = text(agent_client.get(url(file)))
    assert "Rétablir le dossier" in form and REASON in form
    assert agent_client.post(url(file), {"reason": "Annulé à tort"}).status_code == 302
    file.refresh_from_db()
    assert file.cancelled_at is None


def test_a_reason_is_required(agent_client, org):
    file = make_file(org)
    response = agent_client.post(url(file), {"reason": ""})
    assert response.status_code == 422
    assert "data-error-summary" in response.text
    assert PreventionFile.objects.get(pk=file.pk).cancelled_at is None


def test_another_participant_is_refused_in_french(client, org):
    file = make_file(org)
    partner = OrganisationFactory(code="CCAS72", kind=OrganisationKind.LOCAL_AUTHORITY)
    access.grant(file, partner, ParticipantReason.SHARING)
    client.force_login(member_of(partner))
    assert url(file) not in client.get(reverse("eviction:file", args=[file.reference])).text
    response = client.post(url(file), {"reason": REASON})
    assert response.status_code == 422
    assert "qui a ouvert le dossier" in text(response)
    assert PreventionFile.objects.get(pk=file.pk).cancelled_at is None


def test_an_outsider_gets_a_404(outsider_client, org):
    file = make_file(org)
    assert outsider_client.get(url(file)).status_code == 404
    assert outsider_client.post(url(file), {"reason": REASON}).status_code == 404
    assert PreventionFile.objects.get(pk=file.pk).cancelled_at is None
