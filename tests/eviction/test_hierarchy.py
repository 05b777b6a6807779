"""The hierarchy of organisations: a parent's members read the files its services take
part in (two levels down); never the reverse, never a sibling, never the observatory, and
reading does not give the right to act."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.eviction.factories import PreventionFileFactory
from tests.organisations.factories import OrganisationFactory, member_of
from toit.eviction import access
from toit.eviction.enums import EventKind
from toit.eviction.models import Event, PreventionFile
from toit.eviction.procedure import add_event
from toit.organisations.enums import OrganisationKind, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    cg = OrganisationFactory(code="CG72", kind=OrganisationKind.LOCAL_AUTHORITY)
    drl = OrganisationFactory(code="CG72-DRL", parent=cg)
    fsl = OrganisationFactory(code="FSL72", kind=OrganisationKind.FSL, parent=cg)
    team = OrganisationFactory(code="CG72-DRL-EQUIPE", parent=drl)
    below_team = OrganisationFactory(code="CG72-DRL-EQUIPE-CELLULE", parent=team)
    return cg, drl, fsl, team, below_team


def visible(user):
    return set(PreventionFile.objects.visible_to(user))


def test_the_parent_reads_what_its_services_take_part_in(tree):
    cg, drl, fsl, team, below_team = tree
    fsl_file = PreventionFileFactory(opened_by=fsl)
    team_file = PreventionFileFactory(opened_by=team)
    too_deep = PreventionFileFactory(opened_by=below_team)
    cg_file = PreventionFileFactory(opened_by=cg)
    cg_agent = member_of(cg)
    assert visible(cg_agent) == {fsl_file, team_file, cg_file}
    assert too_deep not in visible(cg_agent)  # three levels down: not the département's service
    assert visible(member_of(drl)) == {team_file, too_deep}
    # Never upwards nor sideways.
    assert visible(member_of(fsl)) == {fsl_file}
    assert cg_file not in visible(member_of(team))
    # The observatory of the parent reads no file at all.
    assert visible(member_of(cg, role=Role.OBSERVATORY)) == set()
    assert set(Event.objects.visible_to(cg_agent).values_list("file", flat=True)) <= {f.pk for f in visible(cg_agent)}


def test_reading_through_a_service_does_not_let_the_parent_act(tree):
    cg, _drl, fsl, _team, _below = tree
    file = PreventionFileFactory(opened_by=fsl)
    cg_agent = member_of(cg)
    assert access.is_visible(file, cg_agent)
    with pytest.raises(PermissionDenied):
        add_event(file, EventKind.ORDER_TO_PAY, file.opened_on, cg_agent, cg)
    assert not access.acting_organisations(cg_agent).filter(pk=fsl.pk).exists()


def test_a_file_is_never_shared_with_a_body_that_sees_aggregates_only(tree):
    from django.core.exceptions import ValidationError

    cg = tree[0]
    file = PreventionFileFactory(opened_by=cg)
    committee = OrganisationFactory(code="COPIL", kind=OrganisationKind.OTHER)
    with pytest.raises(ValidationError):
        access.share_file(file, committee, member_of(cg), cg, reason="Pour information")
    assert not access.takes_part(committee, file)
