"""The monthly residents list of a structure imports through the generic import machinery:
entries create stays, a later list carrying exits closes them, a structure of another
manager is refused."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.accommodation.factories import StructureFactory
from tests.organisations.factories import OrganisationFactory, member_of
from toit.accommodation.enums import EntryOrigin, ExitDestination
from toit.accommodation.models import Stay
from toit.imports.enums import JobStatus
from toit.imports.models import ImportJob

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "imports" / "residents-structure.csv"


def _import(path, organisation, user):
    out = StringIO()
    call_command(
        "toit_import", "residents_structure", str(path), organisation=organisation.code, user=user.username, stdout=out
    )
    return ImportJob.objects.order_by("-pk").first(), out.getvalue()


def test_the_sample_creates_stays_and_a_later_list_closes_them(tmp_path):
    manager = OrganisationFactory(code="DEMO-GESTION")
    StructureFactory(name="Maison relais Les Glycines", manager=manager)
    user = member_of(manager)
    job, out = _import(SAMPLE, manager, user)
    assert job.status == JobStatus.DONE, out
    assert Stay.objects.count() == 4
    leroy = Stay.objects.get(resident__last_name="LEROY")
    assert (leroy.origin, leroy.exit_on, leroy.destination) == (
        EntryOrigin.HOSPITAL,
        dt.date(2010, 2, 28),
        ExitDestination.SOCIAL_HOUSING,
    )
    assert leroy.history.first().history_user == user
    # The next month: the same list, Paul Martin has left.
    later = tmp_path / "mars.csv"
    later.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("Rue;;", "Rue;15/03/2010;Logement privé"), encoding="utf-8"
    )
    job, out = _import(later, manager, user)
    assert job.status == JobStatus.DONE, out
    assert Stay.objects.count() == 4
    martin = Stay.objects.get(resident__last_name="MARTIN")
    assert (martin.exit_on, martin.destination) == (dt.date(2010, 3, 15), ExitDestination.PRIVATE_HOUSING)
    assert job.already_imported_rows == 3


def test_a_structure_of_another_manager_is_refused():
    StructureFactory(name="Maison relais Les Glycines")
    intruder = OrganisationFactory(code="INTRUS")
    with pytest.raises(CommandError, match="aucune ligne valide"):
        _import(SAMPLE, intruder, member_of(intruder))
    assert not Stay.objects.exists()
    job = ImportJob.objects.get()
    assert "n'est pas gérée par l'organisation" in job.issues.first().message


CAPACITY_SAMPLE = SAMPLE.with_name("capacite-structure.csv")


def test_the_capacity_summary_feeds_the_dated_capacity():
    manager = OrganisationFactory(code="DEMO-GESTION")
    structure = StructureFactory(name="Maison relais Les Glycines", manager=manager)
    user = member_of(manager)
    out = StringIO()
    call_command(
        "toit_import",
        "capacite_structure",
        str(CAPACITY_SAMPLE),
        organisation=manager.code,
        user=user.username,
        stdout=out,
    )
    periods = list(structure.capacities.order_by("valid_from").values_list("valid_from", "valid_until", "places"))
    # The repeated months change nothing; March cuts the capacity.
    assert periods == [(dt.date(2010, 1, 1), dt.date(2010, 3, 1), 15), (dt.date(2010, 3, 1), None, 18)]
    assert structure.capacities.get(places=18).history.first().history_change_reason == "import de fichier"
