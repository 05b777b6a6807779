import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from tests.eviction.factories import (
    EventFactory,
    PreventionFileFactory,
    RepaymentPlanFactory,
    ReportFactory,
)
from tests.organisations.factories import MembershipFactory, OrganisationFactory, UserFactory, member_of
from toit.eviction import access
from toit.eviction.enums import ParticipantReason
from toit.eviction.models import Event, PreventionFile, RepaymentPlan, Report
from toit.eviction.references import PATTERN, clean_reference, new_reference
from toit.organisations.enums import Role


@pytest.fixture
def file():
    return PreventionFileFactory(opened_by=OrganisationFactory(code="CCAS-LM"))


@pytest.mark.parametrize("role", [Role.AGENT, Role.MANAGER, Role.ADMIN])
def test_members_of_a_participant_see_the_file(file, role):
    user = member_of(file.opened_by, role=role)
    assert list(PreventionFile.objects.visible_to(user)) == [file]


def test_observatory_sees_no_file(file):
    assert not PreventionFile.objects.visible_to(member_of(file.opened_by, role=Role.OBSERVATORY)).exists()


def test_inactive_membership_or_organisation_sees_nothing(file):
    user = member_of(file.opened_by)
    user.memberships.update(is_active=False)
    assert not PreventionFile.objects.visible_to(user).exists()
    other = member_of(file.opened_by)
    file.opened_by.is_active = False
    file.opened_by.save()
    assert not PreventionFile.objects.visible_to(other).exists()


def test_outsider_gets_a_404_from_the_scoped_queryset(file):
    outsider = member_of(OrganisationFactory())
    with pytest.raises(Http404):
        get_object_or_404(PreventionFile.objects.visible_to(outsider), reference=file.reference)
    insider = member_of(file.opened_by)
    assert get_object_or_404(PreventionFile.objects.visible_to(insider), reference=file.reference) == file


def test_anonymous_and_superuser_outside_admin_see_nothing(file):
    from django.contrib.auth.models import AnonymousUser

    assert not PreventionFile.objects.visible_to(AnonymousUser()).exists()
    assert not PreventionFile.objects.visible_to(UserFactory(is_superuser=True)).exists()


def test_one_of_several_memberships_is_enough(file):
    user = member_of(OrganisationFactory())
    MembershipFactory(user=user, organisation=file.opened_by, role=Role.AGENT)
    assert PreventionFile.objects.visible_to(user).count() == 1  # no duplicate row


def test_rows_of_a_file_follow_its_visibility(file):
    EventFactory(file=file)
    RepaymentPlanFactory(file=file)
    EventFactory()  # another file
    user = member_of(file.opened_by)
    assert Event.objects.visible_to(user).count() == 1
    assert RepaymentPlan.objects.visible_to(user).count() == 1


def test_shared_file_becomes_visible(file):
    partner = OrganisationFactory(code="FSL72")
    partner_user = member_of(partner)
    assert not PreventionFile.objects.visible_to(partner_user).exists()
    participant = access.share_file(file, partner, member_of(file.opened_by), file.opened_by)
    assert participant.reason == ParticipantReason.SHARING
    assert PreventionFile.objects.visible_to(partner_user).exists()


def test_only_a_participant_may_share(file):
    outsider_org = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        access.share_file(file, outsider_org, member_of(outsider_org), outsider_org)


def test_reports_are_seen_by_their_organisation_and_the_file_participants(file):
    unmatched = ReportFactory()
    attached = ReportFactory(file=file, matched_at=datetime.datetime(2010, 3, 2, tzinfo=datetime.UTC))
    reporter = member_of(unmatched.reporting_organisation)
    assert set(Report.objects.visible_to(reporter)) == {unmatched}
    assert set(Report.objects.visible_to(member_of(file.opened_by))) == {attached}
    assert set(Report.objects.visible_to(member_of(attached.reporting_organisation))) == {attached}
    assert not Report.objects.visible_to(member_of(OrganisationFactory())).exists()


def test_acting_organisations_exclude_observatory_memberships():
    agent_org, observed_org = OrganisationFactory(), OrganisationFactory()
    user = member_of(agent_org)
    MembershipFactory(user=user, organisation=observed_org, role=Role.OBSERVATORY)
    assert list(access.acting_organisations(user)) == [agent_org]


def test_references_are_random_and_well_formed(file):
    assert PATTERN.match(file.reference)
    references = {new_reference() for _ in range(500)}
    assert len(references) == 500
    assert all(PATTERN.match(r) for r in references)


def test_clean_reference():
    reference = new_reference()
    assert clean_reference(reference.lower().replace("-", " ")) == reference
    assert clean_reference("PX-0000-0000") == ""  # 0 is not in the alphabet
    assert clean_reference("12") == ""
