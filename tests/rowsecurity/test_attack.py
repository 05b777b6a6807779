"""Issue 14, defence in depth: a query that forgets its filter, run inside a real request,
returns nothing from another département (PostgreSQL row-level security, toit.rowsecurity).

The view of tests/rowsecurity/urls.py reads households, members, files, events, reports,
housing demands and dwellings with no filter at all. The same query outside a request (the
tables' owner) sees both départements: the data is there, the request does not see it."""

import datetime
import re

import pytest
from django.db import DatabaseError, connection, transaction

from tests.dwellings.factories import DwellingFactory
from tests.eviction.factories import (
    EventFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PreventionFileFactory,
    ReportFactory,
)
from tests.organisations.factories import OrganisationFactory, UserFactory, member_of
from tests.priority_access.factories import HousingDemandFactory
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.eviction.enums import HousingSector
from toit.eviction.models import Household, PreventionFile
from toit.organisations.models import Membership
from toit.rowsecurity import scope

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="sécurité au niveau des lignes : PostgreSQL"),
    pytest.mark.urls("tests.rowsecurity.urls"),
]

BOTH = {
    "households": ["61", "72"],
    "members": ["Orne", "Sarthe"],
    "files": 2,
    "events": 2,
    "reports": ["Orne", "Sarthe", "SarthePasDeCommune"],
    "demands": ["61", "72"],
    "dwellings": ["61", "72"],
}
SARTHE = {
    "households": ["72"],
    "members": ["Sarthe"],
    "files": 1,
    "events": 1,
    "reports": ["Sarthe", "SarthePasDeCommune"],
    "demands": ["72"],
    "dwellings": ["72"],
}
NOTHING = {"households": [], "members": [], "files": 0, "events": 0, "reports": [], "demands": [], "dwellings": []}


@pytest.fixture
def world():
    """One file of each département, with a member, an event, a report, a housing demand and
    a dwelling; the Sarthe's reporting CAF also made a report without a commune."""
    departments = {"72": DepartmentFactory(code="72", name="Sarthe"), "61": DepartmentFactory(code="61", name="Orne")}
    organisations = {}
    for code, department in departments.items():
        name = department.name
        organisations[code] = OrganisationFactory(code=f"ADIL{code}", department=department)
        commune = CommuneFactory(department=department)
        household = HouseholdFactory(commune=commune)
        HouseholdMemberFactory(household=household, last_name=name)
        file = PreventionFileFactory(household=household, opened_by=organisations[code])
        EventFactory(file=file, date=datetime.date(2010, 2, 1))
        ReportFactory(last_name=name, commune=commune, reporting_organisation=organisations[code])
        HousingDemandFactory(department=department, commune=commune, holder=organisations[code])
        DwellingFactory(department=department, commune=commune)
    ReportFactory(last_name="SarthePasDeCommune", commune=None, reporting_organisation=organisations["72"])
    return organisations


def seen(client):
    response = client.get("/sans-filtre/")
    assert response.status_code == 200
    return response.json()


def test_an_unfiltered_query_in_a_request_sees_only_the_users_departement(client, world):
    client.force_login(member_of(world["72"]))
    assert seen(client) == SARTHE
    # The same unfiltered queries outside the request: both départements are there.
    assert sorted(Household.objects.values_list("commune__department__code", flat=True)) == ["61", "72"]
    assert PreventionFile.objects.count() == 2


def test_the_other_departement_sees_its_own_rows_only(client, world):
    client.force_login(member_of(world["61"]))
    assert seen(client)["households"] == ["61"]
    assert seen(client)["reports"] == ["Orne"]


def test_a_user_of_two_departements_sees_both(client, world):
    user = member_of(world["72"])
    Membership.objects.create(user=user, organisation=world["61"], role="agent")
    client.force_login(user)
    assert seen(client) == BOTH


def test_an_anonymous_request_sees_no_nominative_row(client, world):
    assert seen(client) == NOTHING


def test_a_user_without_membership_sees_no_nominative_row(client, world):
    client.force_login(UserFactory())
    assert seen(client) == NOTHING


def test_superusers_and_national_bodies_are_not_narrowed(client, world):
    """Documented (docs/security.md): a superuser is instance-wide; a national body has no
    département of its own, the querysets are its only barrier."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert seen(client) == BOTH
    client.force_login(member_of(OrganisationFactory(code="BDF", department=None)))
    assert seen(client) == BOTH


def test_the_connection_is_the_owners_again_after_the_request(client, world):
    client.force_login(member_of(world["72"]))
    seen(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_setting('toit.departments', true)")
        user, departments = cursor.fetchone()
    assert (user, departments or "") == (connection.settings_dict["USER"] or user, "")
    assert PreventionFile.objects.count() == 2


def test_the_setting_turns_it_off(client, world, settings):
    settings.TOIT_ROW_SECURITY = False
    client.force_login(member_of(world["72"]))
    assert seen(client) == BOTH


def test_a_narrowed_write_into_another_departement_is_refused(world):
    orne = CommuneFactory(department=DepartmentFactory(code="61"))
    with scope.restricted({"72"}), pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        Household.objects.create(street="1 rue de Bretagne", commune=orne, sector=HousingSector.PRIVATE)
    assert not Household.objects.filter(street="1 rue de Bretagne").exists()


def test_an_api_key_narrows_the_request_once_recognised(world):
    """An API request is anonymous when the middleware runs; the key's service account
    narrows it when the API authenticates it (toit.api.authentication)."""
    with scope.restricted(scope.departments_for(None)):
        assert Household.objects.count() == 0
        scope.narrow_for(member_of(world["61"]))
        assert list(Household.objects.values_list("commune__department__code", flat=True)) == ["61"]


def test_a_national_bodys_api_key_is_not_narrowed(world):
    with scope.restricted(scope.departments_for(None)):
        scope.narrow_for(member_of(OrganisationFactory(code="ANAH", department=None)))
        assert Household.objects.count() == 2
    assert scope.current() is None


def test_the_name_search_keeps_its_index_when_narrowed(world):
    """Under row-level security PostgreSQL uses as an index condition only leakproof operators
    (LIKE is not): the search compares keys as a range of pattern operators instead, or a
    narrowed search would read every member of the instance."""
    from toit.www.eviction.search import matching_members

    for n in range(30):
        HouseholdMemberFactory(last_name=f"Nom{n}")
    sql, params = matching_members("dupont sylvie").query.sql_with_params()
    with scope.restricted({"72"}), connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table would be scanned anyway
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "member_name_prefix_idx" in plan and "member_birth_name_prefix_idx" in plan, plan


def test_a_login_role_that_does_not_own_the_tables_reads_everything_unless_narrowed(world, settings):
    """Production may run the application under a role that does not own the tables
    (docs/security.md): outside a narrowed block (commands, the worker) it reads every row;
    narrowed, it reads its départements only. The role is made inside the test's
    transaction, and goes with it."""
    app_role = f"toit_test_app_{connection.settings_dict['NAME']}".lower()
    request_role = settings.TOIT_ROW_SECURITY_ROLE
    count = "SELECT count(*) FROM eviction_household"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {app_role} NOLOGIN")
        cursor.execute(f"GRANT {request_role} TO {app_role}")
        cursor.execute(f"GRANT SELECT ON eviction_household, territory_commune TO {app_role}")
        cursor.execute(f"SET ROLE {app_role}")
        cursor.execute(count)
        everything = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT set_config('toit.departments', '72', false), set_config('role', '{request_role}', false)"
        )
        cursor.execute(count)
        narrowed = cursor.fetchone()[0]
        cursor.execute("RESET ROLE")
        cursor.execute("RESET toit.departments")
    assert (everything, narrowed) == (2, 1)


def test_a_member_is_seen_through_its_own_departement_column(world):
    """The member's policy compares its département column (the household subquery of the
    plan never runs for a member that has one); a history row older than that column, without one, is still
    seen through its household, and only by that household's département."""
    from toit.eviction.models import HouseholdMember

    sarthe_member = HouseholdMember.objects.get(last_name="Sarthe")
    HouseholdMember.history.filter(id=sarthe_member.pk).update(department=None)
    sql, params = HouseholdMember.objects.filter(name_key__gte="sarthe").values("pk").query.sql_with_params()
    with scope.restricted({"72"}), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The table's policy never goes through the household (the column is required there).
    assert not re.search(r"on eviction_household\b(?!member)", plan), plan
    sql, params = HouseholdMember.history.filter(name_key__gte="sarthe").values("pk").query.sql_with_params()
    with scope.restricted({"72"}), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    households = [line for line in plan.splitlines() if re.search(r"on eviction_household\b(?!member)", line)]
    # The history's: present for rows without a département, run for those only.
    assert households, plan
    with scope.restricted({"72"}):
        assert list(HouseholdMember.objects.values_list("last_name", flat=True)) == ["Sarthe"]
        history = HouseholdMember.history.all()
        assert list(history.values_list("last_name", "department")) == [("Sarthe", None)]
    with scope.restricted({"61"}):
        assert list(HouseholdMember.history.values_list("last_name", flat=True)) == ["Orne"]


def test_a_file_and_what_goes_through_it_are_seen_through_the_files_departement_column(world):
    """The file's policy compares its département column: for the events (protected through
    their file) the household subquery of the plan never runs, so that a work queue does not
    hash every household of the instance. A file history row older than that column, without
    one, is still seen through its household, and only by that household's département."""
    from toit.eviction.models import Event

    sarthe_file = PreventionFile.objects.get(household__commune__department__code="72")
    PreventionFile.history.filter(id=sarthe_file.pk).update(department=None)
    for queryset in (Event.objects.values("pk"), PreventionFile.objects.values("pk")):
        sql, params = queryset.query.sql_with_params()
        with scope.restricted({"72"}), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        households = [line for line in plan.splitlines() if re.search(r"on eviction_household\b(?!member)", line)]
        # Present for rows without a département, never run for the files that have one.
        assert households and all("never executed" in line for line in households), plan
    with scope.restricted({"72"}):
        assert Event.objects.count() == 1
        assert list(PreventionFile.objects.values_list("pk", flat=True)) == [sarthe_file.pk]
        history = PreventionFile.history.all()
        assert list(history.values_list("id", "department")) == [(sarthe_file.pk, None)]
    with scope.restricted({"61"}):
        assert list(PreventionFile.history.values_list("household__commune__department__code", flat=True)) == ["61"]


def test_a_narrowed_write_of_a_file_into_another_departement_is_refused(world):
    orne_household = Household.objects.get(commune__department__code="61")
    with scope.restricted({"72"}), pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        PreventionFile.objects.create(household_id=orne_household.pk, opened_by=world["72"])
    assert PreventionFile.objects.filter(household=orne_household).count() == 1


def test_a_participation_is_seen_through_its_own_departement_column(world):
    """The participation's policy compares its département column: no file is looked up for
    it (the search's walk reads thousands). Its history, without that column, goes through
    the file, and only the file's département reads it."""
    from toit.eviction.models import FileParticipant

    sql, params = FileParticipant.objects.order_by().values("pk").query.sql_with_params()
    with scope.restricted({"72"}), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "eviction_preventionfile" not in plan, plan
    with scope.restricted({"72"}):
        assert list(FileParticipant.objects.values_list("organisation__code", flat=True)) == ["ADIL72"]
        assert list(FileParticipant.history.values_list("organisation__code", flat=True)) == ["ADIL72"]
    with scope.restricted({"61"}):
        assert list(FileParticipant.objects.values_list("organisation__code", flat=True)) == ["ADIL61"]
        assert list(FileParticipant.history.values_list("organisation__code", flat=True)) == ["ADIL61"]
    # A participation whose copy names another département (a write outside Toit) is not
    # read by the one its file belongs to: the check command finds it (toit_procedure_state).
    FileParticipant.objects.filter(organisation__code="ADIL72").update(department=world["61"].department)
    with scope.restricted({"72"}):
        assert not FileParticipant.objects.exists()
