"""Database constraints hold even when the Python validation is bypassed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.eviction.factories import (
    EventFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PreventionFileFactory,
    PrivateLandlordFactory,
    ReportFactory,
    social_landlord,
)
from toit.eviction.enums import EventKind, HousingBenefit, HousingSector, MemberRelationship
from toit.eviction.models import Event, Household
from toit.eviction.models.household import NOT_A_SOCIAL_LANDLORD

D = datetime.date


def integrity_error(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": EventKind.SUMMONS},  # no hearing date
        {"kind": EventKind.ORDER_TO_PAY, "hearing_date": D(2010, 5, 1)},
        {"kind": EventKind.JUDGMENT},  # no decision
        {"kind": EventKind.JUDGMENT, "judgment_outcome": "maybe"},
        {"kind": EventKind.DIAGNOSIS_DONE},  # complete or not?
        {"kind": EventKind.COMPENSATION, "amount": Decimal("100")},  # no mode
        {"kind": EventKind.COMPENSATION, "settlement_mode": "amiable"},  # no amount
        {"kind": EventKind.OCCUPATION_INDEMNITY},  # no amount
        {"kind": EventKind.EVICTION, "amount": Decimal("100")},
        {"kind": EventKind.ORDER_TO_PAY, "amount": Decimal("-1")},
        {"kind": EventKind.SUMMONS, "date": D(2010, 5, 1), "hearing_date": D(2010, 4, 1)},
        {"kind": "inconnu"},
    ],
)
def test_event_constraints(fields):
    integrity_error(EventFactory, **fields)


def test_event_clean_gives_field_errors():
    event = Event(file=PreventionFileFactory(), kind=EventKind.COMPENSATION, date=D(2010, 1, 1), complete=True)
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert set(excinfo.value.message_dict) >= {"settlement_mode", "amount", "complete"}
    assert (
        "Indemnisation du bailleur : renseignez le champ « règlement »."
        in excinfo.value.message_dict["settlement_mode"]
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"sector": HousingSector.PRIVATE, "social_landlord": "social"},
        {"sector": HousingSector.SOCIAL, "private_landlord": "private"},
        {"third_party_payment": True},  # without a housing benefit
        {"housing_benefit": HousingBenefit.AL, "third_party_payment_since": D(2009, 1, 1)},
    ],
)
def test_household_constraints(fields):
    values = dict(fields)
    if values.get("social_landlord") == "social":
        values["social_landlord"] = social_landlord()
    if values.get("private_landlord") == "private":
        values["private_landlord"] = PrivateLandlordFactory()
    integrity_error(HouseholdFactory, **values)


def test_household_clean_checks_the_landlord_kind():
    household = Household(
        street="1 rue Nationale",
        commune=HouseholdFactory().commune,
        sector=HousingSector.SOCIAL,
        social_landlord=PreventionFileFactory().opened_by,  # an association
    )
    with pytest.raises(ValidationError) as excinfo:
        household.full_clean()
    assert excinfo.value.message_dict["social_landlord"] == [NOT_A_SOCIAL_LANDLORD]


def test_one_reference_person_per_household():
    member = HouseholdMemberFactory()
    integrity_error(HouseholdMemberFactory, household=member.household, relationship=MemberRelationship.REFERENCE)
    HouseholdMemberFactory(household=member.household, relationship=MemberRelationship.PARTNER)


def test_report_match_is_recorded_with_its_file():
    integrity_error(ReportFactory, file=PreventionFileFactory())  # no matched_at
    integrity_error(ReportFactory, opened_file=True)


def test_keys_are_stored_on_save():
    member = HouseholdMemberFactory(last_name="MARTIN épouse Dupont", first_name="Anne-Marie")
    assert (member.name_key, member.birth_name_key) == ("dupont|annemarie", "martin|annemarie")
    household = HouseholdFactory(street="3 av. Bollée")
    assert household.address_key == "3 avenue bollee"
    assert str(member) == "MARTIN ÉPOUSE DUPONT Anne-Marie"
