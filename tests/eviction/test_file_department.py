"""Each file carries a copy of its household's département, which row-level security
compares (toit.rowsecurity.policies): kept on every write Toit makes, checked and repaired by
`toit_procedure_state` after writes made outside it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.eviction.factories import HouseholdFactory, PreventionFileFactory
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.eviction import corrections, intake
from toit.eviction.enums import HousingSector, MemberRelationship
from toit.eviction.models import Household, HouseholdMember, PreventionFile

pytestmark = pytest.mark.django_db

REASON = "Le ménage a déménagé dans l'Orne avant l'ouverture du dossier"


def department_code(file):
    return PreventionFile.objects.get(pk=file.pk).department.code


def test_a_file_takes_its_households_departement():
    file = PreventionFileFactory(household__commune=CommuneFactory(department=DepartmentFactory(code="61")))
    assert department_code(file) == "61"


def test_open_file_copies_the_departement_of_a_new_household():
    caf = OrganisationFactory(code="CAF61", department=DepartmentFactory(code="61", name="Orne"))
    household = Household(street="1 rue de Bretagne", commune=CommuneFactory(department=caf.department))
    household.sector = HousingSector.PRIVATE
    member = HouseholdMember(last_name="Durand", first_name="Léa", relationship=MemberRelationship.REFERENCE)
    file = intake.open_file(household, [member], member_of(caf), caf)
    assert department_code(file) == "61"


def test_a_household_moved_to_another_departement_moves_its_files_and_their_history():
    caf = OrganisationFactory(code="CAF72")
    user = member_of(caf)
    file = PreventionFileFactory(opened_by=caf)
    other = PreventionFileFactory(household=file.household, opened_by=caf)
    orne = CommuneFactory(department=DepartmentFactory(code="61", name="Orne"))
    corrections.correct_household(file.household, user, REASON, file=file, commune=orne)
    assert {department_code(file), department_code(other)} == {"61"}
    # The history rows follow: the département left behind no longer reads them.
    assert set(PreventionFile.history.values_list("department__code", flat=True)) == {"61"}


def test_a_file_saved_again_keeps_its_departement_without_a_query(django_assert_num_queries):
    file = PreventionFile.objects.get(pk=PreventionFileFactory().pk)
    file.monthly_rent = 450
    with django_assert_num_queries(2):  # the update and its history row
        file.save()
    assert department_code(file) == "72"


def test_a_file_moved_to_another_household_takes_its_departement():
    file = PreventionFile.objects.get(pk=PreventionFileFactory().pk)
    file.household = HouseholdFactory(commune=CommuneFactory(department=DepartmentFactory(code="61")))
    file.save()
    assert department_code(file) == "61"


def test_the_check_command_finds_and_repairs_a_file_with_another_departement(capsys):
    file = PreventionFileFactory()
    call_command("toit_procedure_state", "check")
    # A write outside Toit's functions (SQL, a data migration) leaves the copy stale.
    orne = DepartmentFactory(code="61", name="Orne")
    PreventionFile.objects.filter(pk=file.pk).update(department=orne)
    # Its participation's copy (FileParticipant.department) now differs from the file too;
    # once the file is repaired, the copy agrees with it again.
    with pytest.raises(
        CommandError,
        match="1 dossier\\(s\\), 0 plan\\(s\\) d'apurement, 0 personne\\(s\\) et 1 participation\\(s\\) en écart",
    ):
        call_command("toit_procedure_state", "check")
    assert f"dossier n° {file.pk} : department_id enregistré {orne.pk}" in capsys.readouterr().out
    call_command("toit_procedure_state", "fix")
    assert department_code(file) == "72"
    call_command("toit_procedure_state", "check")
