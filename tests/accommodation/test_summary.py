"""The monthly occupancy summary of a structure that sends no list of residents: its import
(French errors per row: a bad row, a duplicate month, an unknown structure and a structure
of another manager, the last two with the same message), and its place in the occupancy
figures: a month is counted from the stays or from the summary, never both."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tests.accommodation.factories import CapacityPeriodFactory, StayFactory, StructureFactory
from tests.imports.helpers import csv_bytes, import_file, issues, upload
from tests.organisations.factories import OrganisationFactory, member_of
from toit.accommodation import metrics
from toit.accommodation.models import OccupancySummary
from toit.accommodation.monthly import Month, monthly_figures
from toit.accommodation.records import correct_summary, record_summary
from toit.imports import jobs
from toit.imports.enums import Decision, JobStatus
from toit.metrics.periods import Period
from toit.territory.scopes import TerritoryScope

D = dt.date
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "imports" / "synthese-occupation.csv"
HEADER = ["Structure", "Mois", "Places", "Journées occupées", "Entrées", "Sorties"]


@pytest.fixture
def manager():
    return OrganisationFactory(code="DEMO-GESTION")


@pytest.fixture
def agent(manager):
    return member_of(manager)


@pytest.fixture
def structure(manager):
    return StructureFactory(name="Résidence sociale du Val", manager=manager)


def test_the_sample_feeds_the_capacity_and_the_summaries(structure, manager, agent):
    job = import_file(agent, manager, "synthese_occupation", SAMPLE)
    assert job.status == JobStatus.DONE and job.error_count == 0, issues(job)
    rows = list(OccupancySummary.objects.order_by("month").values_list("month", "occupied_place_days", "entries"))
    assert rows == [(D(2010, 1, 1), 589, 2), (D(2010, 2, 1), 540, 1), (D(2010, 3, 1), 700, 4)]
    periods = list(structure.capacities.order_by("valid_from").values_list("valid_from", "valid_until", "places"))
    assert periods == [(D(2010, 1, 1), D(2010, 3, 1), 20), (D(2010, 3, 1), None, 24)]
    summary = OccupancySummary.objects.get(month=D(2010, 1, 1))
    assert summary.month_end == D(2010, 1, 31) and summary.history.first().history_user == agent
    # The same file again: every row is known, nothing changes.
    again = import_file(agent, manager, "synthese_occupation", SAMPLE)
    assert again.already_imported_rows == 3 and OccupancySummary.objects.count() == 3


def test_each_wrong_row_says_what_where_and_how_to_fix(structure, manager, agent):
    StructureFactory(name="Foyer d'un autre gestionnaire")  # exists, managed by someone else
    content = csv_bytes(
        [
            HEADER,
            ["Résidence sociale du Val", "01/2010", "20", "589", "2", "1"],
            ["Résidence sociale du Val", "15/02/2010", "20", "500", "1", "0"],  # a day, not a month
            ["Résidence sociale du Val", "03/2010", "20", "700", "1", "0"],  # 700 > 20 × 31
            ["Résidence sociale du Val", "avril 2010", "20", "beaucoup", "1", "0"],  # not a number
            ["Résidence sociale du Val", "2010-01", "20", "580", "2", "1"],  # January again, other values
            ["Foyer d'un autre gestionnaire", "01/2010", "10", "300", "0", "0"],
            ["Foyer qui n'existe pas", "01/2010", "10", "300", "0", "0"],
        ]
    )
    job = import_file(agent, manager, "synthese_occupation", content)
    found = {line: (column, value, message) for line, column, value, message in issues(job)}
    assert found[3][:2] == ("Mois", "15/02/2010") and "au lieu d'un mois" in found[3][2]
    assert found[4][:2] == ("Journées occupées", "700") and "dépassent les 20 places × 31 jours" in found[4][2]
    assert found[5][:2] == ("Journées occupées", "beaucoup") and "nombre entier" in found[5][2]
    assert "Même" in found[6][2] and "que la ligne 2" in found[6][2]
    # A structure of another manager and one that does not exist: the same words.
    assert found[7][0] == found[8][0] == "Structure"
    assert found[7][2].replace("Foyer d'un autre gestionnaire", "X") == found[8][2].replace(
        "Foyer qui n'existe pas", "X"
    )
    assert "n'est pas gérée par l'organisation qui importe" in found[7][2]
    expected = dict(job.issues.values_list("line_number", "expected"))
    assert "Résidence sociale du Val" in expected[7] and "autre gestionnaire" not in expected[7]
    assert "02/2010" in job.issues.get(line_number=3).expected  # how to fix: the month alone
    # Only the good row is imported (valid rows only); nothing of the others.
    assert list(OccupancySummary.objects.values_list("month", flat=True)) == [D(2010, 1, 1)]


def test_checking_a_file_writes_nothing_and_all_or_nothing_refuses_it(structure, manager, agent):
    content = csv_bytes([HEADER, ["Résidence sociale du Val", "01/2010", "20", "589", "2", "1"], HEADER[:1]])
    job = upload(agent, manager, "synthese_occupation", content)
    # The check applied the good row in a rolled-back transaction: neither summary nor places.
    assert job.valid_rows == 1 and job.error_count >= 1
    assert not OccupancySummary.objects.exists() and not structure.capacities.exists()
    with pytest.raises(ValidationError, match="tout ou rien"):
        jobs.decide(job, agent, Decision.ALL_OR_NOTHING)
    assert not OccupancySummary.objects.exists() and not structure.capacities.exists()


def test_a_month_is_counted_from_the_stays_or_the_summary_never_both(structure, agent):
    CapacityPeriodFactory(structure=structure, valid_from=D(2010, 1, 1), places=10)
    # January: a summary only (structure with no list that month).
    record_summary(structure, agent, month=D(2010, 1, 1), occupied_place_days=200, entries=3, exits=1)
    # February: a stay (5 nights, 10th to 15th) and a summary: the stay wins.
    StayFactory(structure=structure, entry_on=D(2010, 2, 10), exit_on=D(2010, 2, 15), destination="famille")
    record_summary(structure, agent, month=D(2010, 2, 1), occupied_place_days=250, entries=9, exits=9)
    scope = TerritoryScope.department_scope(structure.department.code)
    quarter = Period.quarter(2010, 1)
    # 200 (January, summary) + 5 (February, stay); March: nothing. Over 90 days × 10 places.
    assert metrics.place_days(quarter, scope) == (205, 900)
    assert metrics.occupancy_rate(quarter, scope) == Decimal("22.8")
    by_commune = metrics.occupied_days.by_commune(quarter, structure.department.code)
    assert by_commune == {structure.commune.insee_code: 205}
    # Entries and exits of the plan come from stays only (their reasons are known there).
    assert metrics.entries(quarter, scope) == 1 and metrics.exits(quarter, scope) == 1
    months = monthly_figures(structure, Month(2010, 1), Month(2010, 3))
    assert [(m["source"], m["occupied_place_days"], m["entries"], m["exits"], m["stays"]) for m in months] == [
        ("synthese", 200, 3, 1, None),
        ("sejours", 5, 1, 1, 1),
        ("aucune", 0, 0, 0, 0),
    ]


def test_a_summary_is_corrected_with_a_reason_and_checked_against_the_places(structure, agent, manager):
    CapacityPeriodFactory(structure=structure, valid_from=D(2010, 1, 1), places=10)
    summary = record_summary(structure, agent, month=D(2010, 1, 1), occupied_place_days=200)
    with pytest.raises(ValidationError, match="déjà résumé"):
        record_summary(structure, agent, month=D(2010, 1, 1), occupied_place_days=210)
    with pytest.raises(ValidationError, match="motif"):
        correct_summary(summary, agent, "", occupied_place_days=210)
    with pytest.raises(ValidationError, match="501 caractères pour 500 au plus"):
        correct_summary(summary, agent, "x" * 501, occupied_place_days=210)
    with pytest.raises(ValidationError, match="310 journées-places ouvertes"):
        correct_summary(summary, agent, "erreur de saisie", occupied_place_days=400)
    summary.refresh_from_db()
    correct_summary(summary, agent, "erreur de saisie du gestionnaire", occupied_place_days=210)
    assert summary.history.first().history_change_reason == "correction : erreur de saisie du gestionnaire"
    outsider = member_of(OrganisationFactory())
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        record_summary(structure, outsider, month=D(2010, 2, 1), occupied_place_days=1)
