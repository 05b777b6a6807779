"""Each member carries a copy of its household's département, which leads the name search's
indexes (bench/national.py): kept on every write Toit makes, checked and repaired by
`toit_procedure_state` after writes made outside it."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.eviction.factories import HouseholdMemberFactory, PreventionFileFactory
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.eviction import corrections
from toit.eviction.enums import MemberRelationship
from toit.eviction.models import HouseholdMember
from toit.www.eviction.search import matching_members

pytestmark = pytest.mark.django_db

REASON = "Le ménage a déménagé dans l'Orne avant l'ouverture du dossier"


def department_code(member):
    return HouseholdMember.objects.get(pk=member.pk).department.code


def test_a_member_takes_its_households_departement():
    member = HouseholdMemberFactory(household__commune=CommuneFactory(department=DepartmentFactory(code="61")))
    assert department_code(member) == "61"


def test_a_household_moved_to_another_departement_moves_its_members():
    caf = OrganisationFactory(code="CAF72")
    user = member_of(caf)
    file = PreventionFileFactory(opened_by=caf)
    first = HouseholdMemberFactory(household=file.household)
    second = HouseholdMemberFactory(household=file.household, relationship=MemberRelationship.CHILD)
    orne = CommuneFactory(department=DepartmentFactory(code="61", name="Orne"))
    corrections.correct_household(file.household, user, REASON, file=file, commune=orne)
    assert {department_code(first), department_code(second)} == {"61"}
    # A member added afterwards reads the new commune, not a stale household.
    child = corrections.add_member(
        file.household,
        user,
        "Enfant oublié à l'ouverture",
        file=file,
        last_name="Durand",
        first_name="Léo",
        relationship=MemberRelationship.CHILD,
        birth_date=datetime.date(2005, 1, 1),
    )
    assert department_code(child) == "61"


def test_the_name_search_reads_only_the_departements_asked():
    sarthe = HouseholdMemberFactory(last_name="Martin", household__commune=CommuneFactory())
    orne = HouseholdMemberFactory(
        last_name="Martin", household__commune=CommuneFactory(department=DepartmentFactory(code="61", name="Orne"))
    )
    assert set(matching_members("mart", {"72"})) == {sarthe}
    assert set(matching_members("mart", {"72", "61"})) == {sarthe, orne}
    assert set(matching_members("mart", None)) == {sarthe, orne}  # not narrowed: superuser, national body
    assert not matching_members("mart", frozenset()).exists()


def test_the_check_command_finds_and_repairs_a_member_with_another_departement(capsys):
    member = HouseholdMemberFactory()
    call_command("toit_procedure_state", "check")
    # A write outside Toit's functions (SQL, a data migration) leaves the copy stale.
    HouseholdMember.objects.filter(pk=member.pk).update(department=DepartmentFactory(code="61", name="Orne"))
    with pytest.raises(CommandError, match="1 personne\\(s\\) et 0 participation\\(s\\) en écart"):
        call_command("toit_procedure_state", "check")
    call_command("toit_procedure_state", "fix")
    assert department_code(member) == "72"
    call_command("toit_procedure_state", "check")
