"""Report intake: record a report, see the files it may belong to (a file of another
organisation shows no identity), attach it to one or open a new file; unmatched list."""

import pytest
from django.urls import reverse

from tests.eviction.factories import ReportFactory
from tests.organisations.factories import OrganisationFactory
from tests.territory.factories import CommuneFactory
from tests.www.eviction.conftest import D, make_file
from toit.eviction.enums import EventKind, MemberRelationship, ParticipantReason
from toit.eviction.intake import attach_report
from toit.eviction.models import Event, FileParticipant, PreventionFile, Report


def text_of(response):
    return response.text.replace("&#x27;", "'").replace("\u202f", " ").replace("\xa0", " ")


REPORT = {
    "source": "caf_msa",
    "reported_on": "2010-03-01",
    "debt_amount": "1200,00",
    "months_unpaid": "3",
    "last_name": "DUPONT née MARTIN",
    "first_name": "Sylvie",
    "birth_date": "1975-04-12",
    "street": "12 rue de la Gare",
    "sector": "parc_prive",
    "private_landlord_name": "SCI Les Tilleuls",
}


def test_record_a_report(agent_client, agent, org, le_mans):
    response = agent_client.post(
        reverse("eviction:report_new"), {**REPORT, "commune": le_mans.pk, "reporting_organisation": org.pk}
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == reverse("eviction:report", args=[report.pk])
    assert (report.reporting_organisation, report.recorded_by, str(report.debt_amount)) == (org, agent, "1200.00")
    page = text_of(agent_client.get(response.url))
    assert "Signalement enregistré : vérifiez s'il concerne un dossier existant." in page
    assert "Aucun dossier que vous suivez ne correspond" in page
    assert 'value="12 rue de la Gare"' in page  # the new file form is prefilled


def test_invalid_report_says_why_and_writes_nothing(agent_client, org):
    data = {
        **REPORT,
        "reporting_organisation": org.pk,
        "reported_on": "2999-01-01",
        "social_landlord": "",
        "debt_amount": "-5",
    }
    response = agent_client.post(reverse("eviction:report_new"), data)
    assert response.status_code == 422
    text = text_of(response)
    assert "Le montant de la dette ne peut pas être négatif." in text or "supérieure ou égale à 0" in text
    assert not Report.objects.exists()
    data["debt_amount"] = "100"
    response = agent_client.post(reverse("eviction:report_new"), data)
    assert response.status_code == 422
    assert "Date dans le futur (nous sommes le 06/12/2026) : la date du jour ou une date passée." in text_of(response)
    assert not Report.objects.exists()


def test_only_the_users_organisations_may_report(agent_client, org, other_org):
    page = text_of(agent_client.get(reverse("eviction:report_new")))
    assert org.name in page and other_org.name not in page
    response = agent_client.post(reverse("eviction:report_new"), {**REPORT, "reporting_organisation": other_org.pk})
    assert response.status_code == 422 and not Report.objects.exists()


@pytest.fixture
def report(org, le_mans):
    return ReportFactory(
        reporting_organisation=org,
        last_name="Dupont",
        first_name="Sylvie",
        birth_date=D(1975, 4, 12),
        commune=le_mans,
        private_landlord_name="SCI Les Tilleuls",
    )


def test_candidates_are_only_files_the_user_reads(agent_client, org, other_org, report):
    """A file of another organisation is not even mentioned (issue 10): the report is
    transmitted to its participants instead, and only when the user reads no file with
    this person."""
    own = make_file(org, last_name="Dupont", first_name="Sylvie")
    hidden = make_file(other_org, last_name="Martin", birth_name="Dupont", first_name="Sylvie")
    text = text_of(agent_client.get(reverse("eviction:report", args=[report.pk])))
    assert own.reference in text and hidden.reference not in text
    assert reverse("eviction:file", args=[own.reference]) in text
    assert other_org.name not in text and "MARTIN" not in text
    assert "Même nom (d'usage ou de naissance), même prénom et même date de naissance" in text


def test_attach_to_a_candidate(agent_client, agent, org, report):
    own = make_file(org, last_name="Dupont", first_name="Sylvie")
    response = agent_client.post(reverse("eviction:report_attach", args=[report.pk]), {"reference": own.reference})
    assert response.status_code == 302
    assert response.url == reverse("eviction:file", args=[own.reference]) + "#chronologie"
    report.refresh_from_db()
    assert (report.file, report.matched_by, report.opened_file) == (own, agent, False)
    assert Event.objects.get(file=own).kind == EventKind.UNPAID_REPORTED
    assert not FileParticipant.objects.filter(file=own, reason=ParticipantReason.REPORT).exists()
    assert f"Signalement rattaché au dossier {own.reference}." in text_of(agent_client.get(response.url))


def test_attach_refuses_a_file_that_is_not_a_candidate(agent_client, other_org, report):
    unrelated = make_file(other_org, last_name="Bernard", first_name="Paul")
    response = agent_client.post(
        reverse("eviction:report_attach", args=[report.pk]), {"reference": unrelated.reference}
    )
    assert response.status_code == 302 and response.url == reverse("eviction:report", args=[report.pk])
    report.refresh_from_db()
    assert report.file is None
    assert not FileParticipant.objects.filter(file=unrelated, reason=ParticipantReason.REPORT).exists()
    assert "ne fait pas partie des rapprochements proposés" in text_of(agent_client.get(response.url))


def test_open_a_new_file_from_the_report(agent_client, agent, org, report, le_mans):
    data = {
        "menage-street": "12 rue de la Gare",
        "menage-commune": le_mans.pk,
        "menage-sector": "parc_prive",
        "menage-housing_benefit": "al",
        "menage-third_party_payment": "on",
        "menage-phone": "06 39 98 00 00",
    }
    response = agent_client.post(reverse("eviction:report_open_file", args=[report.pk]), data)
    file = PreventionFile.objects.get()
    assert response.status_code == 302 and response.url == reverse("eviction:file", args=[file.reference])
    member = file.household.members.get()
    assert (member.last_name, member.relationship) == ("Dupont", MemberRelationship.REFERENCE)
    assert (file.household.third_party_payment, file.household.private_landlord.name) == (True, "SCI Les Tilleuls")
    report.refresh_from_db()
    assert report.file == file and report.opened_file
    page = text_of(agent_client.get(response.url))
    assert f"Dossier {file.reference} ouvert à partir du signalement." in page and "Impayé signalé" in page


def test_open_file_errors_stay_on_the_report_page(agent_client, org, report):
    data = {"menage-street": "", "menage-sector": "parc_prive", "menage-third_party_payment": "on"}
    response = agent_client.post(reverse("eviction:report_open_file", args=[report.pk]), data)
    assert response.status_code == 422
    text = text_of(response)
    assert "Ce champ est obligatoire." in text
    assert "Le tiers payant suppose une aide au logement : indiquez AL ou APL." in text
    assert not PreventionFile.objects.exists()


def test_unmatched_list_and_matched_report(agent_client, org, other_org, report, django_assert_num_queries):
    for n in range(4):
        ReportFactory(reporting_organisation=org, last_name=f"Nom{n}", commune=CommuneFactory())
    ReportFactory(reporting_organisation=other_org, last_name="Cachée")
    # Session and user (2, and 3 to save the session), roles, count, reports, and the
    # access-log entries (one insert).
    with django_assert_num_queries(9):
        text = text_of(agent_client.get(reverse("eviction:reports")))
    assert "DUPONT Sylvie" in text and "NOM3" in text and "CACHÉE" not in text
    file = make_file(org)
    attach_report(report, file, report.reporting_organisation.memberships.first().user)
    text = text_of(agent_client.get(reverse("eviction:report", args=[report.pk])))
    assert "Ce signalement est rattaché au dossier" in text
    assert f'href="{reverse("eviction:file", args=[file.reference])}">{file.reference}</a>' in text
    assert "Rattacher au dossier" not in text


def test_report_page_query_count(agent_client, org, report, django_assert_max_num_queries):
    for _ in range(5):
        make_file(OrganisationFactory(), last_name="Dupont", first_name="Sylvie")
        make_file(org, last_name="Dupont", first_name="Sylvie")
    # Session (2 + 3), roles, report, may handle, status (transmissions), pending
    # transmissions to decide, candidates, their files and members, the new file form's
    # communes and landlords, and the access-log entries (one insert for the report and
    # every candidate shown).
    with django_assert_max_num_queries(16):
        text = text_of(agent_client.get(reverse("eviction:report", args=[report.pk])))
    assert text.count("Rattacher au dossier") == 5
