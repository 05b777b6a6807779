"""A file opens on its summary: stage, current debt, next legal deadline, next action and
the référent of each participating organisation, who can be named from the page."""

from django.urls import reverse

from tests.organisations.factories import member_of
from tests.www.eviction.conftest import make_file
from toit.eviction.models import FileReferent
from toit.organisations.enums import Role


def test_the_summary_comes_first_and_names_the_referents(agent_client, agent, org, dupont):
    text = agent_client.get(reverse("eviction:file", args=[dupont.reference])).text.replace("&#x27;", "'")
    summary = text.split('id="synthese"')[1].split("</section>")[0]
    assert text.index('id="synthese"') < text.index('id="titre-menage"')
    debt = summary.split("<dt>Dette actuelle</dt>")[1].split("</dd>")[0]
    assert "500,00 €" in debt and "commandement de payer du 01/02/2010" in debt
    assert "Prochaine action" in summary
    assert "ADIL de la Sarthe : aucun référent désigné" in summary
    colleague = member_of(org, first_name="Rémi", last_name="Référent")
    response = agent_client.post(
        reverse("eviction:followup", args=[dupont.reference, "referent"]),
        {"referent": colleague.pk, "organisation": org.pk},
    )
    assert response.status_code == 302
    assert FileReferent.objects.get(file=dupont, organisation=org).user == colleague
    text = agent_client.get(reverse("eviction:file", args=[dupont.reference])).text
    assert "ADIL de la Sarthe : <strong>Rémi Référent</strong>" in text


def test_a_referent_must_be_a_member_of_the_organisation(agent_client, org, other_org):
    file = make_file(org)
    stranger = member_of(other_org)
    observer = member_of(org, role=Role.OBSERVATORY)
    for candidate in (stranger, observer):
        response = agent_client.post(
            reverse("eviction:followup", args=[file.reference, "referent"]),
            {"referent": candidate.pk, "organisation": org.pk},
        )
        assert response.status_code == 422
    assert not FileReferent.objects.exists()
