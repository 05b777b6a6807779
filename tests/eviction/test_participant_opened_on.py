"""Each participation carries its file's opening date, which the search walks by
(FileParticipant.file_opened_on, toit.www.eviction.search.participant_walk): kept on every
write Toit makes, filled by the migration, checked and repaired by `toit_procedure_state`."""

import datetime
import importlib
import types

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.eviction.factories import PreventionFileFactory
from tests.organisations.factories import OrganisationFactory, member_of
from toit.eviction import access
from toit.eviction.enums import BreakGlassMotive, ParticipantReason
from toit.eviction.models import FileParticipant, PreventionFile
from toit.organisations.enums import Role

pytestmark = pytest.mark.django_db

OPENED = datetime.date(2010, 1, 4)  # PreventionFileFactory's


def dates(file):
    return set(FileParticipant.objects.filter(file=file).values_list("file_opened_on", flat=True))


def test_a_participation_takes_its_files_date_whatever_grants_it():
    file = PreventionFileFactory(participants=[OrganisationFactory(code="CCAS")])  # opening, sharing
    FileParticipant(file=file, organisation=OrganisationFactory(code="FSL"), reason=ParticipantReason.FSL).save()
    manager_org = OrganisationFactory(code="ADIL")
    manager = member_of(manager_org, role=Role.MANAGER)
    reason = "Le ménage est menacé d'expulsion demain matin"
    access.break_glass(file, manager_org, manager, reason, motive=BreakGlassMotive.DANGER)
    access.break_glass(file, manager_org, manager, reason, motive=BreakGlassMotive.DANGER)  # renewed
    assert FileParticipant.objects.filter(file=file).count() == 4
    assert dates(file) == {OPENED}


def test_a_file_whose_date_changes_moves_its_participations():
    file = PreventionFileFactory(participants=[OrganisationFactory(code="CCAS")])
    other = PreventionFileFactory()
    file = PreventionFile.objects.get(pk=file.pk)
    file.opened_on = datetime.date(2011, 5, 6)
    file.save()
    assert dates(file) == {datetime.date(2011, 5, 6)}
    assert dates(other) == {OPENED}
    file.opened_on = datetime.date(2012, 1, 1)
    file.save(update_fields=["monthly_rent"])  # the date not saved: the copies stay
    assert dates(file) == {datetime.date(2011, 5, 6)}


def test_the_migration_fills_every_participation_in_one_statement(django_assert_num_queries):
    file = PreventionFileFactory(opened_on=datetime.date(2013, 3, 3), participants=[OrganisationFactory(code="CCAS")])
    other = PreventionFileFactory()
    FileParticipant.objects.update(file_opened_on=datetime.date(2000, 1, 1))
    migration = importlib.import_module("toit.eviction.migrations.0024_participant_file_opened_on")
    with django_assert_num_queries(1):
        migration.fill(None, types.SimpleNamespace(connection=connection))
    assert dates(file) == {datetime.date(2013, 3, 3)}
    assert dates(other) == {OPENED}


def test_the_check_command_finds_and_repairs_a_participation_with_another_date(capsys):
    file = PreventionFileFactory()
    call_command("toit_procedure_state", "check")
    # A write outside Toit's functions (SQL, a data migration) leaves the copy stale.
    PreventionFile.objects.filter(pk=file.pk).update(opened_on=datetime.date(2011, 2, 3))
    participant = FileParticipant.objects.get(file=file)
    with pytest.raises(CommandError, match="0 personne\\(s\\) et 1 participation\\(s\\) en écart"):
        call_command("toit_procedure_state", "check")
    assert f"participation n° {participant.pk} : file_opened_on enregistré" in capsys.readouterr().out
    call_command("toit_procedure_state", "fix")
    assert dates(file) == {datetime.date(2011, 2, 3)}
    call_command("toit_procedure_state", "check")
