"""The lease on the pages: entered with a report (« signalements/nouveau/ ») and carried into
the file opened from it, corrected on the file (« Corriger le bail ») by a participant with
a reason; the deadline shown follows it. An outsider gets the 404 of a missing file, a
cancelled file refuses, an impossible value is refused in French; nothing is written."""

import pytest
from django.urls import reverse

from tests.eviction.factories import EventFactory
from tests.www.eviction.conftest import D, make_file
from tests.www.eviction.test_reports import REPORT
from toit.eviction import corrections
from toit.eviction.enums import EventKind, LandlordKind
from toit.eviction.models import PreventionFile, Report

REASON = "Bail retrouvé dans les pièces"


def url(file):
    return reverse("eviction:correct_lease", args=[file.reference])


def text_of(response):
    return response.text.replace("&#x27;", "'").replace("\u202f", " ").replace("\xa0", " ")


def stored(file):
    file = PreventionFile.objects.get(pk=file.pk)
    return file.lease_signed_on, file.landlord_kind, file.monthly_rent, file.history.count()


def lease(**values):
    return {"lease_signed_on": "", "landlord_kind": "", "monthly_rent": "", "reason": REASON, **values}


def test_the_file_page_links_to_the_form_which_explains_the_rules(agent_client, org):
    file = make_file(org)
    page = text_of(agent_client.get(reverse("eviction:file", args=[file.reference])))
    assert url(file) in page and "Corriger le bail" in page
    form = text_of(agent_client.get(url(file)))
    assert 'name="lease_signed_on"' in form and 'name="landlord_kind"' in form and 'name="monthly_rent"' in form
    assert "avis du 13 juin 2024" in form and "loi ALUR" in form and "décret n° 2015-1384" in form
    assert 'name="reason"' in form


def test_a_participant_corrects_the_lease_and_history_says_who_and_why(agent_client, agent, org):
    file = make_file(org)
    response = agent_client.post(
        url(file), lease(lease_signed_on="01/02/2019", landlord_kind=LandlordKind.LEGAL_PERSON, monthly_rent="450,50")
    )
    assert response.status_code == 302 and response.url.endswith("#menage")
    file = PreventionFile.objects.get(pk=file.pk)
    assert (str(file.lease_signed_on), file.landlord_kind, str(file.monthly_rent)) == (
        "2019-02-01",
        LandlordKind.LEGAL_PERSON,
        "450.50",
    )
    latest = file.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (agent, REASON)
    page = text_of(agent_client.get(reverse("eviction:file", args=[file.reference])))
    assert "Bail signé le : 01/02/2019" in page and "450,50 €" in page
    history = text_of(agent_client.get(reverse("eviction:file_history", args=[file.reference])))
    assert REASON in history  # the change history of the file


def test_an_outsider_gets_the_404_of_a_missing_file_and_nothing_changes(outsider_client, org):
    file = make_file(org)
    before = stored(file)
    assert outsider_client.get(url(file)).status_code == 404
    response = outsider_client.post(url(file), lease(monthly_rent="1"))
    assert response.status_code == 404
    assert stored(file) == before


def test_a_cancelled_file_refuses_and_offers_no_link(agent_client, agent, org):
    file = make_file(org)
    corrections.cancel_file(file, agent, "Doublon ouvert par erreur la veille")
    before = stored(file)
    page = text_of(agent_client.get(reverse("eviction:file", args=[file.reference])))
    assert url(file) not in page
    response = agent_client.post(url(file), lease(monthly_rent="400"))
    assert response.status_code == 422 and "est annulé" in text_of(response)
    assert stored(file) == before


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"monthly_rent": "-10"}, "Le loyer mensuel ne peut pas être négatif"),
        ({"lease_signed_on": "07/12/2026"}, "Date dans le futur (nous sommes le 06/12/2026)"),
        ({"landlord_kind": "bailleur_inconnu"}, "Sélectionnez un choix valide"),
        ({"monthly_rent": "400", "reason": " "}, "Ce champ est obligatoire"),
    ],
)
def test_impossible_values_are_refused_in_french_and_nothing_is_written(agent_client, org, values, words):
    file = make_file(org)
    before = stored(file)
    response = agent_client.post(url(file), lease(**values))
    assert response.status_code == 422
    assert words in text_of(response)
    assert stored(file) == before


@pytest.mark.parametrize(
    ("order_on", "lease_on", "shown"),
    [
        # Before the law of 27 July 2023: two months, whatever the lease.
        (D(2023, 7, 28), "01/01/2020", "28/09/2023"),
        # From 29 July 2023, a lease signed from that day: six weeks.
        (D(2023, 7, 29), "29/07/2023", "09/09/2023"),
        # A lease in force before: two months (Cour de cassation, avis du 13 juin 2024).
        (D(2023, 7, 29), "28/07/2023", "29/09/2023"),
    ],
)
def test_the_lease_entered_in_the_form_moves_the_deadline_shown(agent_client, org, order_on, lease_on, shown):
    file = make_file(org)
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=order_on, organisation=org)
    before = text_of(agent_client.get(reverse("eviction:file", args=[file.reference])))
    if order_on >= D(2023, 7, 29):
        assert "date du bail à vérifier" in before and "29/09/2023" in before
    assert agent_client.post(url(file), lease(lease_signed_on=lease_on)).status_code == 302
    after = text_of(agent_client.get(reverse("eviction:file", args=[file.reference])))
    assert shown in after and "date du bail à vérifier" not in after
    if shown == "09/09/2023":
        assert "29/09/2023" not in after


def test_form_page_query_count(agent_client, org, django_assert_num_queries):
    file = make_file(org)
    # Session and user (2, and 3 to save the session), roles, the user's organisations, the
    # file with its household and members (2), the access-log entry.
    with django_assert_num_queries(10):
        assert agent_client.get(url(file)).status_code == 200


def test_the_report_form_takes_the_lease_and_the_file_opened_from_it_keeps_it(agent_client, org, le_mans):
    form = text_of(agent_client.get(reverse("eviction:report_new")))
    assert "Le bail (facultatif)" in form and "avis du 13 juin 2024" in form and "loi ALUR" in form
    data = {**REPORT, "commune": le_mans.pk, "reporting_organisation": org.pk}
    data.update(lease_signed_on="15/03/2018", landlord_kind=LandlordKind.NATURAL_PERSON, monthly_rent="520")
    response = agent_client.post(reverse("eviction:report_new"), data)
    report = Report.objects.get()
    assert response.status_code == 302
    assert (report.lease_signed_on, report.landlord_kind, str(report.monthly_rent)) == (
        D(2018, 3, 15),
        LandlordKind.NATURAL_PERSON,
        "520.00",
    )
    assert "signé le 15/03/2018" in text_of(agent_client.get(response.url))
    opened = agent_client.post(
        reverse("eviction:report_open_file", args=[report.pk]),
        {
            "menage-street": "12 rue de la Gare",
            "menage-commune": le_mans.pk,
            "menage-sector": "parc_prive",
            "menage-housing_benefit": "al",
        },
    )
    assert opened.status_code == 302, text_of(opened)
    file = PreventionFile.objects.get()
    assert (file.lease_signed_on, file.landlord_kind, str(file.monthly_rent)) == (
        D(2018, 3, 15),
        LandlordKind.NATURAL_PERSON,
        "520.00",
    )


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"monthly_rent": "-1"}, "Le loyer mensuel ne peut pas être négatif"),
        ({"lease_signed_on": "01/01/2027"}, "Date de signature du bail : Date dans le futur"),
        ({"landlord_kind": "bailleur_inconnu"}, "Sélectionnez un choix valide"),
    ],
)
def test_the_report_form_refuses_an_impossible_lease(agent_client, org, le_mans, values, words):
    data = {**REPORT, "commune": le_mans.pk, "reporting_organisation": org.pk, **values}
    response = agent_client.post(reverse("eviction:report_new"), data)
    assert response.status_code == 422 and words in text_of(response)
    assert not Report.objects.exists()


def test_report_form_query_count(agent_client, django_assert_num_queries):
    # Session and user (2, and 3 to save the session), roles, the organisations, communes
    # and social landlords offered (4): the lease's fields read nothing.
    with django_assert_num_queries(10):
        assert agent_client.get(reverse("eviction:report_new")).status_code == 200
