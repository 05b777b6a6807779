"""Pages that record accommodation data in the browser: entries and exits (the structure's
staff), places and conventions (the managing organisation's staff), projects (State services
and local authorities of the département), applications to the admission commission. Each:
happy path, French refusals that write nothing, outsiders who get a 404, bounded queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

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
from tests.territory.factories import CommuneFactory
from toit.accommodation.enums import ExitDestination, PartnershipKind, ProjectKind
from toit.accommodation.models import Application, CapacityPeriod, Funding, Partnership, Project, Resident, Stay
from toit.audit.models import AccessLog
from toit.organisations.enums import OrganisationKind, Role


@pytest.fixture
def home():
    structure = StructureFactory(name="Maison relais du Pont", opened_on=dt.date(2009, 1, 1))
    CapacityPeriodFactory(structure=structure, valid_from=dt.date(2009, 1, 1), places=10)
    return structure


@pytest.fixture
def staff(home):
    return member_of(home.manager)


@pytest.fixture
def intruder(home):
    """An agent of another structure's managing organisation, in the same département."""
    other = StructureFactory(department=home.department, name="Résidence voisine")
    return member_of(other.manager)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _body(response):
    return response.content.decode()


# 1. Entries and exits -----------------------------------------------------------------------


def test_the_staff_record_an_entry_then_the_exit(home, staff, django_assert_max_num_queries):
    client = _client(staff)
    url = f"/hebergement/structures/{home.pk}/entree/"
    client.get(url)
    # session (read, saved), user, roles, structure (scoped), render
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "last_name": "Zqxentrant",
            "first_name": "Léa",
            "birth_date": "03/04/1970",
            "entry_on": "15/02/2010",
            "origin": "hopital",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/hebergement/structures/{home.pk}/?annee=2010"
    stay = Stay.objects.get(structure=home)
    assert (stay.entry_on, stay.origin, stay.resident.last_name) == (dt.date(2010, 2, 15), "hopital", "Zqxentrant")
    assert stay.history.first().history_user == staff

    # The structure page offers the exit of the open stay.
    page = _body(client.get(f"/hebergement/structures/{home.pk}/?annee=2010"))
    assert f"/hebergement/sejours/{stay.pk}/sortie/" in page
    assert f"/hebergement/structures/{home.pk}/entree/" in page

    exit_url = f"/hebergement/sejours/{stay.pk}/sortie/"
    client.get(exit_url)
    # session (read, saved), user, roles, stay (scoped, with resident and structure), access log
    with django_assert_max_num_queries(9):
        assert client.get(exit_url).status_code == 200
    response = client.post(exit_url, {"exit_on": "30/09/2011", "destination": ExitDestination.SOCIAL_HOUSING})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.exit_on, stay.destination) == (dt.date(2011, 9, 30), "logement_social")
    latest = stay.history.first()
    assert (latest.history_user, latest.history_change_reason) == (staff, "sortie")
    assert AccessLog.objects.filter(object_type="accommodation.stay", user=staff).exists()
    # A recorded exit is corrected (with a reason), not recorded twice.
    assert client.get(exit_url)["Location"] == f"/hebergement/sejours/{stay.pk}/corriger/"


def test_a_person_who_comes_back_is_recognised_and_cannot_be_in_twice(home, staff):
    client = _client(staff)
    url = f"/hebergement/structures/{home.pk}/entree/"
    person = {"last_name": "Martin", "first_name": "Paul", "birth_date": "01/01/1960", "origin": "rue"}
    assert client.post(url, {**person, "entry_on": "01/02/2010"}).status_code == 302
    response = client.post(url, {**person, "last_name": "MARTIN", "entry_on": "01/06/2010"})
    assert response.status_code == 200
    assert "déjà dans la structure à cette date (entrée le 01/02/2010)" in _body(response)
    first = Stay.objects.get()
    client.post(f"/hebergement/sejours/{first.pk}/sortie/", {"exit_on": "01/03/2010", "destination": "famille"})
    assert client.post(url, {**person, "entry_on": "01/06/2010"}).status_code == 302
    assert Resident.objects.count() == 1 and Stay.objects.count() == 2
    # A name alone does not tell two people apart: two « Durand » without birth date are two residents.
    for _ in range(2):
        assert client.post(url, {"last_name": "Durand", "entry_on": "01/06/2010", "origin": "rue"}).status_code == 302
    assert Resident.objects.filter(last_name="Durand").count() == 2


def test_entry_and_exit_refusals_are_in_french_and_write_nothing(home, staff):
    client = _client(staff)
    url = f"/hebergement/structures/{home.pk}/entree/"
    response = client.post(url, {"last_name": "", "entry_on": "2010-13-45", "origin": ""})
    body = _body(response)
    assert response.status_code == 200
    assert "Le formulaire contient 3 erreurs" in body
    assert "n&#x27;existe pas dans le calendrier" in body
    response = client.post(url, {"last_name": "Avant", "entry_on": "01/06/2008", "origin": "rue"})
    assert "La structure a ouvert le 01/01/2009 : une entrée ne peut pas la précéder." in _body(response).replace(
        "&#x27;", "'"
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url, {"last_name": "Futur", "entry_on": tomorrow.strftime("%d/%m/%Y"), "origin": "rue"})
    assert "est à venir" in _body(response)
    assert not Stay.objects.exists() and not Resident.objects.exists()

    stay = StayFactory(structure=home, entry_on=dt.date(2010, 5, 1))
    response = client.post(f"/hebergement/sejours/{stay.pk}/sortie/", {"exit_on": "30/04/2010", "destination": "deces"})
    assert response.status_code == 200
    assert "La date de sortie précède la date d&#x27;entrée" in _body(response)
    response = client.post(f"/hebergement/sejours/{stay.pk}/sortie/", {"exit_on": "30/05/2010", "destination": ""})
    assert response.status_code == 200
    stay.refresh_from_db()
    assert (stay.exit_on, stay.destination) == (None, "")


def test_an_agent_of_another_structure_cannot_record_a_stay_or_an_exit_there(home, intruder):
    """The attack: a partner knows (or guesses) a structure's and a stay's numbers and posts to
    them. Both pages answer as if nothing existed, and nothing is written."""
    stay = StayFactory(structure=home, entry_on=dt.date(2010, 1, 1))
    client = _client(intruder)
    entry_url = f"/hebergement/structures/{home.pk}/entree/"
    exit_url = f"/hebergement/sejours/{stay.pk}/sortie/"
    assert client.get(entry_url).status_code == 404
    response = client.post(entry_url, {"last_name": "Intrus", "entry_on": "01/02/2010", "origin": "rue"})
    assert response.status_code == 404
    assert client.get(exit_url).status_code == 404
    assert client.post(exit_url, {"exit_on": "01/02/2010", "destination": "exclusion"}).status_code == 404
    # The same answer as for numbers that do not exist.
    assert client.get("/hebergement/structures/999999/entree/").status_code == 404
    assert client.post("/hebergement/sejours/999999/sortie/", {"exit_on": "01/02/2010"}).status_code == 404
    assert Stay.objects.count() == 1
    stay.refresh_from_db()
    assert stay.exit_on is None
    assert not Resident.objects.filter(last_name="Intrus").exists()
    assert not AccessLog.objects.filter(user=intruder).exists()
    # The structure's page does not offer them the forms.
    assert entry_url not in _body(client.get(f"/hebergement/structures/{home.pk}/"))
    # Aggregates-only roles are refused before anything is read, even in the managing organisation.
    observatory = _client(member_of(home.manager, role=Role.OBSERVATORY))
    assert observatory.get(entry_url).status_code == 403
    assert observatory.post(exit_url, {"exit_on": "01/02/2010", "destination": "exclusion"}).status_code == 403


# 2. Places and conventions ------------------------------------------------------------------


def test_the_staff_change_the_places_from_a_date_with_a_reason(home, staff, django_assert_max_num_queries):
    client = _client(staff)
    url = f"/hebergement/structures/{home.pk}/places/"
    client.get(url)
    # session (read, saved), user, roles, structure (scoped), history of the places
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    response = client.post(url, {"valid_from": "01/07/2010", "places": "14", "reason": "extension autorisée"})
    assert response.status_code == 302
    periods = list(CapacityPeriod.objects.filter(structure=home).order_by("valid_from"))
    assert [(p.valid_from, p.valid_until, p.places) for p in periods] == [
        (dt.date(2009, 1, 1), dt.date(2010, 7, 1), 10),
        (dt.date(2010, 7, 1), None, 14),
    ]
    assert periods[1].history.first().history_change_reason == "extension autorisée"
    assert periods[0].history.first().history_user == staff
    body = _body(client.get(url))
    assert "extension autorisée" in body  # the history on the page
    assert f"/hebergement/structures/{home.pk}/places/" in _body(client.get(f"/hebergement/structures/{home.pk}/"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"valid_from": "01/07/2010", "places": "-3", "reason": "fermeture"}, "ne peut pas être négatif"),
        ({"valid_from": "01/07/2010", "places": "8", "reason": ""}, "Ce champ est obligatoire"),
        ({"valid_from": "01/07/2010", "places": "8", "reason": "ok"}, "Indiquez le motif de ce changement"),
        ({"valid_from": "01/07/2008", "places": "8", "reason": "ouverture"}, "La structure a ouvert le 01/01/2009"),
        ({"valid_from": "1/7/10", "places": "8", "reason": "ouverture"}, "l&#x27;année sur quatre chiffres"),
    ],
)
def test_a_wrong_capacity_change_is_refused_in_french(home, staff, data, message):
    response = _client(staff).post(f"/hebergement/structures/{home.pk}/places/", data)
    assert response.status_code == 200
    assert message in _body(response)
    assert list(CapacityPeriod.objects.filter(structure=home).values_list("places", "valid_until")) == [(10, None)]


def test_the_staff_record_a_convention_and_correct_it_with_a_reason(home, staff, django_assert_max_num_queries):
    client = _client(staff)
    url = f"/hebergement/structures/{home.pk}/conventions/nouvelle/"
    client.get(url)
    # session (read, saved), user, roles, structure (scoped), organisations offered
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    psychiatry = OrganisationFactory(name="Centre hospitalier spécialisé", department=home.department)
    response = client.post(
        url, {"kind": PartnershipKind.MOBILE_PSYCHIATRY, "partner": psychiatry.pk, "signed_on": "12/03/2010"}
    )
    assert response.status_code == 302
    convention = Partnership.objects.get(structure=home)
    assert (convention.partner, convention.signed_on) == (psychiatry, dt.date(2010, 3, 12))
    assert convention.history.first().history_user == staff

    edit = f"/hebergement/structures/{home.pk}/conventions/{convention.pk}/"
    assert edit in _body(client.get(f"/hebergement/structures/{home.pk}/"))
    client.get(edit)
    with django_assert_max_num_queries(10):  # and the convention, its history
        assert client.get(edit).status_code == 200
    values = {"kind": PartnershipKind.MOBILE_PSYCHIATRY, "partner": psychiatry.pk, "signed_on": "12/03/2010"}
    response = client.post(edit, {**values, "ended_on": "01/01/2010", "reason": "convention dénoncée"})
    assert "La convention prend fin avant d&#x27;être signée" in _body(response)
    response = client.post(edit, {**values, "ended_on": "31/12/2011"})
    assert "Ce champ est obligatoire" in _body(response)
    convention.refresh_from_db()
    assert convention.ended_on is None
    response = client.post(edit, {**values, "ended_on": "31/12/2011", "reason": "convention dénoncée"})
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.ended_on == dt.date(2011, 12, 31)
    assert convention.history.first().history_change_reason == "correction : convention dénoncée"


def test_a_convention_names_its_partner(home, staff):
    response = _client(staff).post(
        f"/hebergement/structures/{home.pk}/conventions/nouvelle/",
        {"kind": PartnershipKind.SOCIAL_WATCH, "partner": "", "partner_label": " ", "signed_on": "12/03/2010"},
    )
    assert "Indiquez le partenaire" in _body(response)
    assert not Partnership.objects.exists()


def test_the_staff_record_the_funding_per_place_and_correct_it(home, staff, django_assert_max_num_queries):
    client = _client(staff)
    url = f"/hebergement/structures/{home.pk}/financements/nouveau/"
    client.get(url)
    # session (read, saved), user, roles, structure (scoped), funders offered
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    values = {"funder_label": "État (DDCS)", "basis": "place_jour", "valid_from": "01/01/2010"}
    response = client.post(url, {**values, "amount": "-16"})
    assert "Le montant ne peut pas être négatif." in _body(response)
    response = client.post(url, {**values, "amount": "16", "valid_until": "01/01/2010"})
    assert "La fin du financement doit suivre son début" in _body(response)
    assert not Funding.objects.exists()
    assert client.post(url, {**values, "amount": "16,50"}).status_code == 302
    funding = Funding.objects.get(structure=home)
    assert funding.amount == Decimal("16.50")
    edit = f"/hebergement/structures/{home.pk}/financements/{funding.pk}/"
    assert edit in _body(client.get(f"/hebergement/structures/{home.pk}/"))
    response = client.post(edit, {**values, "amount": "16", "reason": "montant de l'arrêté"})
    assert response.status_code == 302
    funding.refresh_from_db()
    assert funding.amount == Decimal("16")
    assert funding.history.first().history_change_reason == "correction : montant de l'arrêté"


def test_an_outsider_does_not_reach_the_places_or_conventions_of_a_structure(home, intruder):
    convention = PartnershipFactory(structure=home)
    funding = FundingFactory(structure=home)
    client = _client(intruder)
    for url in (
        f"/hebergement/structures/{home.pk}/places/",
        f"/hebergement/structures/{home.pk}/conventions/nouvelle/",
        f"/hebergement/structures/{home.pk}/conventions/{convention.pk}/",
        f"/hebergement/structures/{home.pk}/financements/nouveau/",
        f"/hebergement/structures/{home.pk}/financements/{funding.pk}/",
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        f"/hebergement/structures/{home.pk}/places/", {"valid_from": "01/07/2010", "places": "0", "reason": "fermeture"}
    )
    assert response.status_code == 404
    response = client.post(
        f"/hebergement/structures/{home.pk}/conventions/{convention.pk}/",
        {"kind": "autre", "partner_label": "X", "signed_on": "01/01/2009", "ended_on": "02/01/2009", "reason": "fin"},
    )
    assert response.status_code == 404
    response = client.post(
        f"/hebergement/structures/{home.pk}/financements/{funding.pk}/",
        {"funder_label": "X", "basis": "place_jour", "amount": "0", "valid_from": "01/01/2009", "reason": "tentative"},
    )
    assert response.status_code == 404
    funding.refresh_from_db()
    assert funding.amount == 16
    assert CapacityPeriod.objects.get(structure=home).places == 10
    convention.refresh_from_db()
    assert convention.ended_on is None
    # A convention of another structure is not reached through one's own structure either.
    own = StructureFactory(department=home.department, manager=intruder.memberships.get().organisation)
    assert client.get(f"/hebergement/structures/{own.pk}/conventions/{convention.pk}/").status_code == 404


# 3. Projects --------------------------------------------------------------------------------


@pytest.fixture
def ddt(home):
    return member_of(OrganisationFactory(kind=OrganisationKind.STATE, name="DDT", department=home.department))


def test_a_state_service_records_a_project_and_moves_it_stage_by_stage(home, ddt, django_assert_max_num_queries):
    client = _client(ddt)
    commune = CommuneFactory(department=home.department, name="Sablé-sur-Sarthe")
    board = _body(client.get("/hebergement/72/projets/"))
    assert "/hebergement/72/projets/nouveau/" in board
    url = "/hebergement/72/projets/nouveau/"
    client.get(url)
    # session (read, saved), user, roles, département, writer check, promoters, communes
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Maison relais de Sablé",
            "kind": ProjectKind.MAISON_RELAIS,
            "promoter_label": "Association Tremplin",
            "commune": commune.pk,
            "places_planned": "18",
            "dwellings_planned": "0",
            "guide_method": "on",
            "spotted_on": "15/01/2010",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.stage, project.places_planned, project.department) == ("repere", 18, home.department)
    assert project.history.first().history_user == ddt

    advance = f"/hebergement/projets/{project.pk}/etape/"
    assert advance in _body(client.get("/hebergement/72/projets/"))
    client.get(advance)
    # session (read, saved), user, roles, project (scoped), its history
    with django_assert_max_num_queries(9):
        assert client.get(advance).status_code == 200
    assert client.post(advance, {"stage": "etudie", "on": "01/03/2010"}).status_code == 302
    assert client.post(advance, {"stage": "montage", "on": "01/09/2010"}).status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.studied_on, project.setup_on) == (
        "montage",
        dt.date(2010, 3, 1),
        dt.date(2010, 9, 1),
    )
    assert project.history.first().history_change_reason == "étape « En montage » le 01/09/2010"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"stage": "repere", "on": "01/05/2010"}, "ne se franchit pas à rebours"),
        ({"stage": "etudie", "on": "01/05/2010"}, "ne se franchit pas à rebours"),
        ({"stage": "livre", "on": "01/05/2010"}, "Franchissez d&#x27;abord l&#x27;étape « En montage »"),
        ({"stage": "montage", "on": "01/02/2010"}, "ne peut pas être datée avant"),
        ({"stage": "montage", "on": ""}, "Ce champ est obligatoire"),
    ],
)
def test_a_project_never_moves_backwards_nor_skips_a_stage(home, ddt, data, message):
    project = ProjectFactory(
        department=home.department, spotted_on=dt.date(2010, 1, 15), studied_on=dt.date(2010, 3, 1)
    )
    response = _client(ddt).post(f"/hebergement/projets/{project.pk}/etape/", data)
    assert response.status_code == 200
    assert message in _body(response)
    project.refresh_from_db()
    assert (project.stage, project.setup_on, project.delivered_on) == ("etudie", None, None)


def test_a_new_project_is_refused_in_french_when_incomplete(home, ddt):
    response = _client(ddt).post(
        "/hebergement/72/projets/nouveau/",
        {"name": "Sans porteur", "kind": ProjectKind.ISOLATED_HOUSE, "commune": "", "spotted_on": "15/01/2010"},
    )
    body = _body(response)
    assert response.status_code == 200 and "Ce champ est obligatoire" in body
    commune = CommuneFactory(department=home.department)
    response = _client(ddt).post(
        "/hebergement/72/projets/nouveau/",
        {
            "name": "Sans porteur",
            "kind": ProjectKind.ISOLATED_HOUSE,
            "commune": commune.pk,
            "places_planned": "0",
            "dwellings_planned": "1",
            "spotted_on": "15/01/2010",
        },
    )
    assert "Indiquez le porteur" in _body(response)
    assert not Project.objects.exists()


def test_only_state_services_and_local_authorities_of_the_department_write_projects(home, staff):
    project = ProjectFactory(department=home.department)
    elsewhere = member_of(
        OrganisationFactory(kind=OrganisationKind.STATE, department__code="61", department__name="Orne")
    )
    observatory = member_of(
        OrganisationFactory(kind=OrganisationKind.STATE, department=home.department), role=Role.OBSERVATORY
    )
    for user in (staff, elsewhere, observatory):  # an association, another département, aggregates only
        client = _client(user)
        board = _body(client.get("/hebergement/72/projets/"))
        assert "projets/nouveau/" not in board and "/etape/" not in board
        assert client.get("/hebergement/72/projets/nouveau/").status_code == 404
        assert (
            client.post(
                f"/hebergement/projets/{project.pk}/etape/", {"stage": "etudie", "on": "01/03/2010"}
            ).status_code
            == 404
        )
        assert client.get(f"/hebergement/projets/{project.pk}/corriger/").status_code == 404
        response = client.post(
            f"/hebergement/projets/{project.pk}/corriger/", {"name": "Détourné", "reason": "tentative d'intrus"}
        )
        assert response.status_code == 404
    project.refresh_from_db()
    assert project.studied_on is None and project.name != "Détourné"
    council = member_of(OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, department=home.department))
    assert _client(council).get("/hebergement/72/projets/nouveau/").status_code == 200


def test_a_project_is_corrected_or_abandoned_with_a_reason(home, ddt, django_assert_max_num_queries):
    project = ProjectFactory(
        department=home.department,
        name="Terrain des Sablons",
        promoter_label="Commune",
        spotted_on=dt.date(2010, 1, 15),
        studied_on=dt.date(2010, 3, 1),
        setup_on=dt.date(2010, 6, 1),
    )
    client = _client(ddt)
    url = f"/hebergement/projets/{project.pk}/corriger/"
    assert url in _body(client.get("/hebergement/72/projets/"))
    client.get(url)
    # session (read, saved), user, roles, project (scoped), promoters, communes, history
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200
    values = {
        "name": project.name,
        "kind": project.kind,
        "promoter_label": "Commune",
        "commune": project.commune_id,
        "places_planned": "0",
        "dwellings_planned": "4",
        "spotted_on": "15/01/2010",
        "studied_on": "01/03/2010",
        "setup_on": "01/02/2010",
    }
    response = client.post(url, {**values, "reason": "date de montage"})
    assert "L&#x27;étape « En montage » est datée avant l&#x27;étape « Étudié »" in _body(response)
    response = client.post(url, {**values, "setup_on": "01/07/2010", "reason": ""})
    assert "Ce champ est obligatoire" in _body(response)
    project.refresh_from_db()
    assert (project.setup_on, project.dwellings_planned) == (dt.date(2010, 6, 1), 1)
    response = client.post(url, {**values, "setup_on": "01/07/2010", "reason": "date de montage mal saisie"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.setup_on, project.dwellings_planned) == (dt.date(2010, 7, 1), 4)
    assert project.history.first().history_change_reason == "correction : date de montage mal saisie"
    response = client.post(
        url, {**values, "setup_on": "01/07/2010", "abandoned_on": "01/09/2010", "reason": "terrain vendu"}
    )
    assert response.status_code == 302
    assert "Terrain des Sablons" not in _body(client.get("/hebergement/72/projets/"))


# 4. Applications to the admission commission ------------------------------------------------


def test_a_structure_files_an_application_that_only_the_secretariat_then_sees(
    home, staff, django_assert_max_num_queries
):
    commission = CommissionFactory(department=home.department, name="Commission des maisons relais")
    client = _client(staff)
    url = "/hebergement/commission/demandes/nouvelle/"
    assert url in _body(client.get("/hebergement/commission/"))
    client.get(url)
    # session (read, then saved in a savepoint: 4), user, roles, commissions and organisations offered
    # (twice each: the select without an empty choice reads its first option for `required`)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "commission": commission.pk,
            "referred_by": home.manager.pk,
            "last_name": "Zqxdemandeur",
            "applied_on": "04/01/2010",
            "dalo": "on",
        },
        follow=True,
    )
    assert "est déposée auprès de la Commission des maisons relais" in _body(response)
    application = Application.objects.get()
    assert (application.referred_by, application.dalo, application.decision) == (home.manager, True, "en_attente")
    assert application.history.first().history_user == staff
    # The filer does not see it afterwards; the secretariat does.
    assert "ZQXDEMANDEUR" not in _body(client.get("/hebergement/commission/"))
    assert client.get(f"/hebergement/commission/demandes/{application.pk}/").status_code == 404
    secretary = _client(member_of(commission.secretariat))
    assert "ZQXDEMANDEUR" in _body(secretary.get("/hebergement/commission/"))


def test_an_application_is_filed_only_to_a_commission_of_one_s_department(home, staff):
    elsewhere = CommissionFactory(department__code="61", department__name="Orne")
    own = CommissionFactory(department=home.department)
    stranger = OrganisationFactory(department=home.department)
    client = _client(staff)
    data = {"last_name": "Dupont", "applied_on": "04/01/2010"}
    response = client.post(
        "/hebergement/commission/demandes/nouvelle/",
        {**data, "commission": elsewhere.pk, "referred_by": home.manager.pk},
    )
    assert "Sélectionnez un choix valide" in _body(response)
    response = client.post(
        "/hebergement/commission/demandes/nouvelle/", {**data, "commission": own.pk, "referred_by": stranger.pk}
    )
    assert "Sélectionnez un choix valide" in _body(response)
    response = client.post(
        "/hebergement/commission/demandes/nouvelle/", {"commission": own.pk, "referred_by": home.manager.pk}
    )
    assert "Le formulaire contient 2 erreurs" in _body(response)
    assert not Application.objects.exists()
    observatory = _client(member_of(home.manager, role=Role.OBSERVATORY))
    assert observatory.get("/hebergement/commission/demandes/nouvelle/").status_code == 403
    ApplicationFactory(commission=own)  # the decision page keeps its rules


# Corrections of what was typed about a person ----------------------------------------------


def test_the_staff_correct_a_resident_s_name_with_a_reason(home, staff, intruder, django_assert_max_num_queries):
    stay = StayFactory(structure=home, resident__last_name="Dupnot", resident__first_name="Marc")
    resident = stay.resident
    url = f"/hebergement/residents/{resident.pk}/corriger/"
    client = _client(staff)
    assert url in _body(client.get(f"/hebergement/sejours/{stay.pk}/corriger/"))
    client.get(url)
    # session (read, saved), user, roles, resident (scoped), access log, history
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200
    response = client.post(url, {"last_name": "Dupont", "first_name": "Marc", "reason": ""})
    assert "Ce champ est obligatoire" in _body(response)
    resident.refresh_from_db()
    assert resident.last_name == "Dupnot"
    assert (
        client.post(url, {"last_name": "Dupont", "first_name": "Marc", "reason": "faute de frappe"}).status_code == 302
    )
    resident.refresh_from_db()
    assert resident.last_name == "Dupont"
    assert resident.history.first().history_change_reason == "correction : faute de frappe"
    outsider = _client(intruder)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"last_name": "Intrus", "reason": "tentative"}).status_code == 404
    resident.refresh_from_db()
    assert resident.last_name == "Dupont"


def test_the_secretariat_corrects_what_the_filer_typed(home, staff):
    commission = CommissionFactory(department=home.department)
    application = ApplicationFactory(commission=commission, last_name="Durnad", applied_on=dt.date(2010, 1, 4))
    url = f"/hebergement/commission/demandes/{application.pk}/corriger/"
    secretary = _client(member_of(commission.secretariat))
    assert url in _body(secretary.get(f"/hebergement/commission/demandes/{application.pk}/"))
    values = {"last_name": "Durand", "applied_on": "04/01/2010", "reason": "nom mal orthographié"}
    assert secretary.post(url, values).status_code == 302
    application.refresh_from_db()
    assert application.last_name == "Durand"
    assert application.history.first().history_change_reason == "correction : nom mal orthographié"
    # The structure that filed it does not reach it any more.
    filer = _client(staff)
    assert filer.get(url).status_code == 404
    assert filer.post(url, {**values, "last_name": "Autre"}).status_code == 404
    application.refresh_from_db()
    assert application.last_name == "Durand"
