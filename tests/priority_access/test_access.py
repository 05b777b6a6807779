import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.organisations.factories import OrganisationFactory, UserFactory, member_of
from tests.priority_access.factories import DaloAppealFactory, HousingDemandFactory, SlidingLeaseFactory
from toit.organisations.enums import Role
from toit.priority_access import access
from toit.priority_access.models import DaloAppeal, HousingDemand, SlidingLease


@pytest.fixture
def dalo_secretariat():
    return OrganisationFactory(code="DDE72")


def test_holder_members_see_their_records_only(dalo_secretariat):
    appeal = DaloAppealFactory(holder=dalo_secretariat)
    other = DaloAppealFactory()
    agent = member_of(dalo_secretariat)
    assert list(DaloAppeal.objects.visible_to(agent)) == [appeal]
    assert other not in DaloAppeal.objects.visible_to(agent)


@pytest.mark.parametrize("role", [Role.OBSERVATORY])
def test_observatory_sees_no_record(dalo_secretariat, role):
    DaloAppealFactory(holder=dalo_secretariat)
    assert not DaloAppeal.objects.visible_to(member_of(dalo_secretariat, role=role)).exists()


def test_anonymous_superuser_and_inactive_member_see_nothing(dalo_secretariat):
    HousingDemandFactory(holder=dalo_secretariat)
    agent = member_of(dalo_secretariat)
    agent.memberships.update(is_active=False)
    for user in (UserFactory(is_superuser=True), agent):
        assert not HousingDemand.objects.visible_to(user).exists()


def test_same_person_in_another_partner_file_stays_hidden():
    # Attack: an association agent knows the name of a household it follows in a sliding
    # lease; the DALO appeal of that same person must not show up for them.
    association = OrganisationFactory(code="ASSO-HABITAT")
    lease = SlidingLeaseFactory(holder=association, last_name="NOËL", first_name="Éric")
    DaloAppealFactory(last_name="NOEL", first_name="Eric", birth_date=lease.birth_date)
    agent = member_of(association)
    assert list(SlidingLease.objects.visible_to(agent)) == [lease]
    assert not DaloAppeal.objects.visible_to(agent).exists()


def test_recording_for_an_organisation_needs_a_nominative_membership(dalo_secretariat):
    with pytest.raises(PermissionDenied, match="seuls ses agents"):
        access.require_may_record_for(member_of(OrganisationFactory()), dalo_secretariat)
    with pytest.raises(PermissionDenied):
        access.require_may_record_for(member_of(dalo_secretariat, role=Role.OBSERVATORY), dalo_secretariat)
    access.require_may_record_for(member_of(dalo_secretariat), dalo_secretariat)


def test_dated_constraints_refuse_inconsistent_rows(dalo_secretariat):
    from django.core.exceptions import ValidationError

    appeal = DaloAppealFactory(holder=dalo_secretariat, filed_on=datetime.date(2009, 2, 1))
    appeal.decided_on, appeal.decision = datetime.date(2009, 1, 1), "prioritaire"
    with pytest.raises(ValidationError, match="postérieure au dépôt"):
        appeal.full_clean()
