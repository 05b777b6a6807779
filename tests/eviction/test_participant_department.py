"""Each participation carries its file's département, which row-level security compares
(FileParticipant.department, toit.rowsecurity.policies): kept on every write Toit makes,
filled by the migration, checked and repaired by `toit_procedure_state`."""

import importlib
import types

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.eviction.factories import HouseholdFactory, PreventionFileFactory
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.eviction import access
from toit.eviction.enums import BreakGlassMotive, ParticipantReason
from toit.eviction.models import FileParticipant, Household, PreventionFile
from toit.organisations.enums import Role

pytestmark = pytest.mark.django_db


def departments(file):
    return set(FileParticipant.objects.filter(file=file).values_list("department__code", flat=True))


@pytest.fixture
def orne():
    return CommuneFactory(department=DepartmentFactory(code="61", name="Orne"))


def test_a_participation_takes_its_files_departement_whatever_grants_it(orne):
    file = PreventionFileFactory(household=HouseholdFactory(commune=orne), participants=[OrganisationFactory()])
    FileParticipant(file=file, organisation=OrganisationFactory(code="FSL"), reason=ParticipantReason.FSL).save()
    manager_org = OrganisationFactory(code="ADIL")
    manager = member_of(manager_org, role=Role.MANAGER)
    access.break_glass(
        file, manager_org, manager, "Le ménage est menacé d'expulsion demain matin", motive=BreakGlassMotive.DANGER
    )
    assert FileParticipant.objects.filter(file=file).count() == 4
    assert departments(file) == {"61"}


def test_a_household_that_moves_to_another_departement_takes_its_participations(orne):
    file = PreventionFileFactory(participants=[OrganisationFactory()])
    other = PreventionFileFactory()
    sarthe = file.department.code
    household = Household.objects.get(pk=file.household_id)
    household.commune = orne
    household.save()
    assert departments(file) == {"61"}
    assert departments(other) == {sarthe}
    # Their history has no such column: it goes through the file (policies.HISTORY).
    assert "department_id" not in {f.attname for f in FileParticipant.history.model._meta.fields}


def test_a_file_moved_to_another_household_takes_its_participations(orne):
    file = PreventionFileFactory(participants=[OrganisationFactory()])
    file = PreventionFile.objects.get(pk=file.pk)
    file.household = HouseholdFactory(commune=orne)
    file.save()
    assert departments(file) == {"61"}


def test_the_migration_fills_every_participation_in_one_statement(orne, django_assert_num_queries):
    file = PreventionFileFactory(household=HouseholdFactory(commune=orne))
    other = PreventionFileFactory()
    FileParticipant.objects.update(department=DepartmentFactory(code="53", name="Mayenne"))
    migration = importlib.import_module("toit.eviction.migrations.0025_participant_department")
    with django_assert_num_queries(1):
        migration.fill(None, types.SimpleNamespace(connection=connection))
    assert departments(file) == {"61"}
    assert departments(other) == {other.department.code}


def test_the_check_command_finds_and_repairs_a_participation_of_another_departement(orne, capsys):
    file = PreventionFileFactory()
    call_command("toit_procedure_state", "check")
    # A write outside Toit's functions (SQL, a data migration) leaves the copy stale.
    participant = FileParticipant.objects.get(file=file)
    FileParticipant.objects.filter(pk=participant.pk).update(department=orne.department)
    with pytest.raises(CommandError, match="0 personne\\(s\\) et 1 participation\\(s\\) en écart"):
        call_command("toit_procedure_state", "check")
    assert f"participation n° {participant.pk} : department_id enregistré" in capsys.readouterr().out
    call_command("toit_procedure_state", "fix")
    assert departments(file) == {file.department.code}
    call_command("toit_procedure_state", "check")
