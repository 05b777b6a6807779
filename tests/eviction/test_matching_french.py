"""Issue 13: French spellings of the same household find its file (« NOEL Eric » and
« NOËL Éric »), through the shared identity module (toit.linkage.identity)."""

import datetime

import pytest

from tests.eviction.factories import (
    HouseholdFactory,
    HouseholdMemberFactory,
    PreventionFileFactory,
    PrivateLandlordFactory,
)
from tests.organisations.factories import OrganisationFactory
from tests.territory.factories import CommuneFactory
from toit.eviction.matching import ReportIdentity, all_matches

D = datetime.date


@pytest.fixture
def noel():
    landlord = PrivateLandlordFactory(name="SCI Les Tilleuls")
    household = HouseholdFactory(street="12 rue de la Gare", private_landlord=landlord)
    HouseholdMemberFactory(household=household, last_name="NOËL", first_name="Éric", birth_date=D(1975, 3, 12))
    return PreventionFileFactory(household=household, opened_by=OrganisationFactory(code="CG72"))


@pytest.mark.parametrize(
    "fields",
    [
        {"last_name": "NOEL", "first_name": "Eric", "birth_date": D(1975, 3, 12)},
        {"last_name": "Noel", "first_name": "eric", "birth_date": D(1975, 12, 3)},  # day and month swapped
        {"last_name": "Eric", "first_name": "NOEL", "birth_date": D(1975, 3, 12)},  # boxes swapped
    ],
)
def test_same_person_spelled_otherwise(noel, fields):
    (candidate,) = all_matches(ReportIdentity(**fields))
    assert candidate.file == noel and candidate.same_person


def test_without_birth_date_the_same_name_in_the_same_commune(noel):
    identity = ReportIdentity(last_name="NOEL", first_name="Eric", commune_id=noel.household.commune_id)
    (candidate,) = all_matches(identity)
    assert candidate.file == noel and candidate.same_person
    elsewhere = ReportIdentity(last_name="NOEL", first_name="Eric", commune_id=CommuneFactory().pk)
    assert all_matches(elsewhere) == []
    assert all_matches(ReportIdentity(last_name="NOEL", first_name="Eric")) == []


def test_same_address_with_landlord_spelled_otherwise(noel):
    identity = ReportIdentity(
        last_name="NOEL",
        first_name="Eric",
        street="12 r. de la gare",
        commune_id=noel.household.commune_id,
        private_landlord_name="S.C.I. les Tilleuls",
    )
    (candidate,) = all_matches(identity)
    assert candidate.file == noel and candidate.same_address_and_landlord


def test_other_person_same_name_born_another_day_is_not_proposed(noel):
    assert all_matches(ReportIdentity(last_name="NOEL", first_name="Eric", birth_date=D(1975, 3, 13))) == []
