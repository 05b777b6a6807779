"""Occupancy against a hand computation: capacity that changes during the year and stays
that cross the period's boundaries. The figures in comments are counted on a calendar."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.accommodation.factories import CapacityPeriodFactory, FundingFactory, StayFactory, StructureFactory
from tests.organisations.factories import member_of
from toit.accommodation.enums import ExitDestination, FundingBasis, StructureKind
from toit.accommodation.metrics import (
    available_days,
    cost_per_place,
    funding,
    occupancy_rate,
    occupied_days,
    places_created,
)
from toit.accommodation.records import capacity_on, set_capacity
from toit.metrics.periods import Period
from toit.territory.scopes import TerritoryScope

SARTHE = TerritoryScope.department_scope("72")
Y2010 = Period.year(2010)
Q1 = Period.quarter(2010, 1)


@pytest.fixture
def structure():
    """10 places from 2009, 15 from 1 April 2010, 12 from 1 October 2010."""
    structure = StructureFactory(kind=StructureKind.MAISON_RELAIS)
    CapacityPeriodFactory(
        structure=structure, valid_from=dt.date(2009, 1, 1), valid_until=dt.date(2010, 4, 1), places=10
    )
    CapacityPeriodFactory(
        structure=structure, valid_from=dt.date(2010, 4, 1), valid_until=dt.date(2010, 10, 1), places=15
    )
    CapacityPeriodFactory(structure=structure, valid_from=dt.date(2010, 10, 1), places=12)
    return structure


def test_available_place_days_follow_the_dated_capacity(structure):
    # Jan-Mar 2010: 90 days x 10; Apr-Sep: 183 days x 15; Oct-Dec: 92 days x 12.
    assert available_days(Y2010, SARTHE) == 90 * 10 + 183 * 15 + 92 * 12 == 4749
    assert available_days(Q1, SARTHE) == 900


def test_occupancy_counts_nights_inside_the_period_only(structure):
    # Entered 2009-12-01, left 2010-01-11: 10 nights in 2010 (1st to 10th January).
    StayFactory(
        structure=structure,
        entry_on=dt.date(2009, 12, 1),
        exit_on=dt.date(2010, 1, 11),
        destination=ExitDestination.SOCIAL_HOUSING,
    )
    # Entered 2010-12-20, still there: 12 nights in 2010 (20th to 31st December).
    StayFactory(structure=structure, entry_on=dt.date(2010, 12, 20))
    # Entered 2010-03-01, left 2010-03-01: no night.
    StayFactory(
        structure=structure,
        entry_on=dt.date(2010, 3, 1),
        exit_on=dt.date(2010, 3, 1),
        destination=ExitDestination.UNKNOWN,
    )
    # The whole year: 365 nights.
    StayFactory(
        structure=structure,
        entry_on=dt.date(2008, 6, 1),
        exit_on=dt.date(2011, 2, 1),
        destination=ExitDestination.DEATH,
    )
    # Outside the year entirely.
    StayFactory(structure=structure, entry_on=dt.date(2011, 1, 1))
    StayFactory(
        structure=structure,
        entry_on=dt.date(2009, 2, 1),
        exit_on=dt.date(2010, 1, 1),
        destination=ExitDestination.FAMILY,
    )
    occupied = 10 + 12 + 0 + 365
    assert occupied_days(Y2010, SARTHE) == occupied
    assert occupancy_rate(Y2010, SARTHE) == (Decimal(occupied) * 100 / 4749).quantize(Decimal("0.1"))
    assert occupancy_rate(Y2010, SARTHE) == Decimal("8.1")
    # First quarter: 10 + 90 nights over 900 place-days.
    assert occupancy_rate(Q1, SARTHE) == Decimal("11.1")


def test_no_places_means_no_rate_rather_than_zero():
    StructureFactory()
    assert occupancy_rate(Y2010, SARTHE) is None


def test_a_rate_over_every_territory_equals_the_grouped_computation(structure):
    other = StructureFactory(kind=StructureKind.CHRS)
    CapacityPeriodFactory(structure=other, valid_from=dt.date(2010, 7, 1), places=20)
    StayFactory(structure=other, entry_on=dt.date(2010, 6, 1))  # before the places: still counted as nights
    StayFactory(structure=structure, entry_on=dt.date(2010, 2, 1))
    numerators, denominators = occupancy_rate.by_commune_parts(Y2010, "72")
    assert sum(numerators.values()) == occupied_days(Y2010, SARTHE) == 214 + 334
    assert sum(denominators.values()) == available_days(Y2010, SARTHE) == 4749 + 184 * 20
    assert occupancy_rate.combine(sum(numerators.values()), sum(denominators.values())) == occupancy_rate(Y2010, SARTHE)
    assert occupancy_rate(Y2010, SARTHE, kind="maisons_relais") == Decimal("7.0")  # 334 / 4749


def test_places_created_count_increases_only(structure):
    # 2010: +5 on 1 April, -3 on 1 October (a decrease creates nothing).
    assert places_created(Y2010, SARTHE) == 5
    # 2009: the first 10 places.
    assert places_created(Period.year(2009), SARTHE) == 10
    assert sum(places_created.by_commune(Y2010, "72").values()) == 5


def test_cost_per_place_from_funding_per_day_and_per_month(structure):
    FundingFactory(structure=structure, basis=FundingBasis.PER_PLACE_DAY, amount=16, valid_from=dt.date(2009, 1, 1))
    # ALT-like monthly funding of 365 € per place, only for the last quarter: 12 € a place-day.
    FundingFactory(structure=structure, basis=FundingBasis.PER_PLACE_MONTH, amount=365, valid_from=dt.date(2010, 10, 1))
    expected = Decimal(16 * 4749 + 12 * 92 * 12)
    assert funding(Y2010, SARTHE) == expected
    # Average places over the year: 4749 / 365.
    assert cost_per_place(Y2010, SARTHE) == (expected * 365 / 4749).quantize(Decimal("0.01"))
    num, den = cost_per_place.by_commune_parts(Y2010, "72")
    assert cost_per_place.combine(sum(num.values()), sum(den.values())) == cost_per_place(Y2010, SARTHE)


def test_set_capacity_cuts_the_period_in_force():
    structure = StructureFactory()
    user = member_of(structure.manager)
    set_capacity(structure, 10, dt.date(2009, 1, 1), user)
    set_capacity(structure, 15, dt.date(2010, 4, 1), user, reason="extension")
    set_capacity(structure, 12, dt.date(2010, 10, 1), user)
    assert capacity_on(structure, dt.date(2010, 3, 31)) == 10
    assert capacity_on(structure, dt.date(2010, 4, 1)) == 15
    assert capacity_on(structure, dt.date(2011, 1, 1)) == 12
    assert available_days(Y2010, SARTHE) == 4749
    # A change inserted between two others stops at the next one.
    set_capacity(structure, 18, dt.date(2010, 7, 1), user, reason="ouverture d'une aile")
    assert available_days(Y2010, SARTHE) == 90 * 10 + 91 * 15 + 92 * 18 + 92 * 12
    latest = structure.capacities.get(valid_from=dt.date(2010, 7, 1))
    assert latest.valid_until == dt.date(2010, 10, 1)
    assert latest.history.first().history_change_reason == "ouverture d'une aile"
