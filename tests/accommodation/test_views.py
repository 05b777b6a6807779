"""Pages: who sees what, and a bounded number of queries whatever the number of rows."""

import datetime as dt

import pytest
from django.test import Client

from tests.accommodation.factories import (
    ApplicationFactory,
    CapacityPeriodFactory,
    CommissionFactory,
    FundingFactory,
    PartnershipFactory,
    ProjectFactory,
    StayFactory,
    StructureFactory,
)
from tests.organisations.factories import OrganisationFactory, member_of
from toit.accommodation.enums import CommissionDecision, ExitDestination
from toit.audit.models import AccessLog
from toit.organisations.enums import Role

SECRET = "Zqxsecretresident"


@pytest.fixture
def home():
    structure = StructureFactory(name="Maison relais du Pont")
    CapacityPeriodFactory(
        structure=structure, valid_from=dt.date(2009, 1, 1), valid_until=dt.date(2010, 7, 1), places=10
    )
    CapacityPeriodFactory(structure=structure, valid_from=dt.date(2010, 7, 1), places=14)
    FundingFactory(structure=structure)
    PartnershipFactory(structure=structure)
    return structure


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _stays(structure, n):
    for i in range(n):
        StayFactory(
            structure=structure,
            resident__last_name=f"{SECRET}{i}",
            entry_on=dt.date(2010, 1, 1) + dt.timedelta(days=i),
            exit_on=dt.date(2010, 6, 1) if i % 2 else None,
            destination=ExitDestination.SOCIAL_HOUSING if i % 2 else "",
        )


def test_the_staff_see_their_residents_in_a_bounded_number_of_queries(home, django_assert_num_queries):
    staff = member_of(home.manager)
    client = _client(staff)
    _stays(home, 3)
    client.get(f"/hebergement/structures/{home.pk}/?annee=2010")  # session and roles warmed up
    # session (read, then saved), user, roles (menu), structure, staff check, capacities, fundings,
    # partnerships, yearly place-days (2), projects, stays, entries and exits by reason (2), access
    # log (in a savepoint)
    with django_assert_num_queries(18):
        response = client.get(f"/hebergement/structures/{home.pk}/?annee=2010")
    _stays(home, 20)
    with django_assert_num_queries(18):
        response = client.get(f"/hebergement/structures/{home.pk}/?annee=2010")
    body = response.content.decode()
    assert f"{SECRET}1".upper() in body
    assert "Taux d'occupation" in body
    assert AccessLog.objects.filter(object_type="accommodation.stay", user=staff).count() == 3 + 3 + 23  # three visits


@pytest.mark.parametrize("role", [Role.AGENT, Role.OBSERVATORY])
def test_others_see_the_structure_s_aggregates_and_no_resident(home, role):
    _stays(home, 2)
    outsider = member_of(OrganisationFactory(), role=role)
    response = _client(outsider).get(f"/hebergement/structures/{home.pk}/?annee=2010")
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET.upper() not in body.upper()
    assert "14" in body and "Maison relais du Pont" in body
    assert not AccessLog.objects.exists()


def test_a_stay_is_corrected_with_a_reason_kept_in_its_history(home):
    staff = member_of(home.manager)
    _stays(home, 1)
    stay = home.stays.get()
    client = _client(staff)
    response = client.post(
        f"/hebergement/sejours/{stay.pk}/corriger/",
        {"entry_on": "2010-01-02", "origin": "hopital", "exit_on": "", "destination": "", "reason": ""},
    )
    assert response.status_code == 200
    assert "motif" in response.content.decode().lower()
    stay.refresh_from_db()
    assert stay.entry_on == dt.date(2010, 1, 1)
    response = client.post(
        f"/hebergement/sejours/{stay.pk}/corriger/",
        {
            "entry_on": "2010-01-02",
            "origin": "hopital",
            "exit_on": "2010-01-01",
            "destination": "famille",
            "reason": "date de sortie mal saisie",
        },
    )
    assert response.status_code == 200  # exit before entry: refused, nothing written
    stay.refresh_from_db()
    assert stay.exit_on is None
    response = client.post(
        f"/hebergement/sejours/{stay.pk}/corriger/",
        {
            "entry_on": "2010-01-02",
            "origin": "hopital",
            "exit_on": "2010-03-01",
            "destination": "famille",
            "reason": "sortie oubliée",
        },
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.entry_on, stay.origin, stay.exit_on) == (dt.date(2010, 1, 2), "hopital", dt.date(2010, 3, 1))
    latest = stay.history.first()
    assert latest.history_change_reason == "correction : sortie oubliée"
    assert latest.history_user == staff


def test_a_stay_of_another_structure_does_not_exist_for_the_visitor(home):
    _stays(home, 1)
    stay = home.stays.get()
    outsider = member_of(OrganisationFactory())
    client = _client(outsider)
    assert client.get(f"/hebergement/sejours/{stay.pk}/corriger/").status_code == 404
    response = client.post(
        f"/hebergement/sejours/{stay.pk}/corriger/",
        {"entry_on": "2009-01-01", "origin": "rue", "exit_on": "", "destination": "", "reason": "tentative"},
    )
    assert response.status_code == 404
    stay.refresh_from_db()
    assert stay.entry_on == dt.date(2010, 1, 1)
    observatory = member_of(home.manager, role=Role.OBSERVATORY)
    assert _client(observatory).get(f"/hebergement/sejours/{stay.pk}/corriger/").status_code == 403


def test_the_commission_queue_shows_only_the_commission_s_applications(home, django_assert_num_queries):
    commission = CommissionFactory()
    other = CommissionFactory()
    secretary = member_of(commission.secretariat)
    for i in range(3):
        ApplicationFactory(commission=commission, last_name=f"{SECRET}{i}", applied_on=dt.date(2010, 1, 1 + i))
    ApplicationFactory(
        commission=commission,
        last_name="Admis",
        applied_on=dt.date(2010, 1, 1),
        decision=CommissionDecision.ACCEPTED,
        examined_on=dt.date(2010, 2, 1),
        proposed_structure=home,
        entered_on=dt.date(2010, 3, 3),
    )
    ApplicationFactory(commission=other, last_name="Zqxautrecommission")
    client = _client(secretary)
    client.get("/hebergement/commission/")
    # session (read, saved), user, roles, three sections, commissions of the user, access log
    # (insert in a savepoint: 3)
    with django_assert_num_queries(11):
        response = client.get("/hebergement/commission/")
    ApplicationFactory.create_batch(5, commission=commission)
    with django_assert_num_queries(11):
        client.get("/hebergement/commission/")
    body = response.content.decode()
    assert f"{SECRET}0".upper() in body and "ZQXAUTRECOMMISSION" not in body
    assert ">61<" in body  # 1 January to 3 March 2010: the wait before entry
    staff = member_of(home.manager)
    assert SECRET.upper() not in _client(staff).get("/hebergement/commission/").content.decode()


def test_the_projects_board_groups_projects_by_stage(home, django_assert_num_queries):
    department = home.department
    ProjectFactory(department=department, name="Maison de la Gare")
    ProjectFactory(department=department, name="Terrain des Sablons", studied_on=dt.date(2010, 3, 1))
    ProjectFactory(
        department=department,
        name="Pension du Parc",
        places_planned=18,
        spotted_on=dt.date(2008, 10, 1),
        studied_on=dt.date(2009, 3, 1),
        setup_on=dt.date(2009, 9, 1),
        funded_on=dt.date(2010, 1, 1),
        delivered_on=dt.date(2011, 1, 1),
        structure=home,
    )
    ProjectFactory(department=department, name="Abandonné", abandoned_on=dt.date(2010, 5, 1))
    client = _client(member_of(OrganisationFactory(), role=Role.OBSERVATORY))
    client.get("/hebergement/72/projets/")
    # session (read, saved in a savepoint: 4), user, roles, département, projects, may the user write
    with django_assert_num_queries(9):
        response = client.get("/hebergement/72/projets/")
    body = response.content.decode()
    assert "Repéré (1)" in body and "Étudié (1)" in body and "Livré (1)" in body
    assert "Abandonné" not in body
    assert client.get("/hebergement/99/projets/").status_code == 404


def test_the_structures_list_counts_today_s_places(home, django_assert_num_queries):
    StructureFactory(department=home.department)
    client = _client(member_of(OrganisationFactory()))
    client.get("/hebergement/72/structures/")
    with django_assert_num_queries(8):  # session (read, saved in a savepoint: 4), user, roles, département, structures
        response = client.get("/hebergement/72/structures/")
    assert response.status_code == 200
    assert "Maison relais du Pont" in response.content.decode()


def test_the_secretariat_records_a_decision_and_corrects_it_with_a_reason(home):
    commission = CommissionFactory(department=home.department)
    secretary = member_of(commission.secretariat)
    application = ApplicationFactory(commission=commission, applied_on=dt.date(2010, 1, 4))
    client = _client(secretary)
    url = f"/hebergement/commission/demandes/{application.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "admis", "examined_on": "2010-02-01", "proposed_structure": ""})
    assert response.status_code == 200  # an admission names the structure
    response = client.post(
        url,
        {"decision": "admis", "examined_on": "2010-02-01", "proposed_structure": home.pk, "entered_on": "2010-03-01"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.decision, application.wait_days) == ("admis", 56)
    corrected = {"decision": "admis", "examined_on": "2010-02-01", "proposed_structure": home.pk}
    response = client.post(url, {**corrected, "entered_on": "2010-03-08"})
    assert response.status_code == 200 and "motif" in response.content.decode()
    response = client.post(url, {**corrected, "entered_on": "2010-03-08", "reason": "date d'entrée mal saisie"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.entered_on == dt.date(2010, 3, 8)
    assert application.history.first().history_change_reason == "correction : date d'entrée mal saisie"
    # The structure's staff do not reach the application, even by writing to it.
    staff = _client(member_of(home.manager))
    assert staff.get(url).status_code == 404
    assert staff.post(url, {**corrected, "entered_on": "2011-01-01", "reason": "tentative"}).status_code == 404
    application.refresh_from_db()
    assert application.entered_on == dt.date(2010, 3, 8)
