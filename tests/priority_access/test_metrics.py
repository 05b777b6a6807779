import datetime
from decimal import Decimal

import pytest

from tests.organisations.factories import OrganisationFactory
from tests.priority_access.factories import (
    AbnormalDelayFactory,
    CollectiveAgreementTargetFactory,
    ContingentProposalFactory,
    DaloAgglomerationFactory,
    DaloAppealFactory,
    HousingDemandFactory,
    MousCoverageFactory,
    MousFollowupFactory,
    ProjectFollowupFactory,
    SlidingLeaseFactory,
    landlord,
)
from tests.territory.factories import CommuneFactory, DepartmentFactory, EPCIFactory
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.priority_access.enums import (
    AllocationChannel,
    CharterKind,
    DaloEndReason,
    LeaseOutcome,
    MousEndReason,
    ProjectOutcome,
    ProposalOutcome,
)
from toit.priority_access.models import Charter, CharterSignature
from toit.territory.scopes import ScopeKind, TerritoryScope

D = datetime.date
Y2009 = Period.year(2009)
Y2010 = Period.year(2010)
SARTHE = TerritoryScope.department_scope("72")


def value(key, period=Y2009, scope=SARTHE):
    return registry.get(key).compute(period, scope)


def test_dalo_counts_and_late_rehousing():
    DaloAppealFactory(filed_on=D(2009, 2, 1))
    DaloAppealFactory(priority=True)  # decided 15/04/2009: the préfet had until 15/07/2009
    DaloAppealFactory(priority=True, rehoused_on=D(2009, 6, 1))
    DaloAppealFactory(filed_on=D(2010, 2, 1))
    assert value("priority_access.dalo_appeals") == 3
    assert value("priority_access.dalo_priority_decisions") == 2
    assert value("priority_access.dalo_not_rehoused_in_time") == 1


def test_a_household_no_longer_late_from_the_end_of_the_obligation_on():
    # Decided 15/04/2009, due by 15/07/2009: late on 30/09/2009; the obligation ends on 31/12/2009.
    DaloAppealFactory(priority=True, ended_on=D(2009, 12, 31), end_reason=DaloEndReason.REFUSED_OFFER)
    assert value("priority_access.dalo_not_rehoused_in_time", Period.quarter(2009, 3)) == 1
    assert value("priority_access.dalo_not_rehoused_in_time", Y2009) == 0  # ends on 31/12, the period's last day
    # Ended the day after the period: still late at its end.
    DaloAppealFactory(priority=True, ended_on=D(2010, 1, 1), end_reason=DaloEndReason.LEFT)
    assert value("priority_access.dalo_not_rehoused_in_time", Y2009) == 1
    assert value("priority_access.dalo_not_rehoused_in_time", Y2010) == 0
    # An end is no rehousing, nor does it undo the decision.
    assert value("priority_access.dalo_priority_decisions") == 2


def test_late_rehousing_follows_the_dated_agglomeration_setting():
    department = DepartmentFactory()
    DaloAgglomerationFactory(department=department, large_agglomeration=True)
    DaloAppealFactory(priority=True, decided_on=D(2009, 7, 15))  # six months: until 15/01/2010
    assert value("priority_access.dalo_not_rehoused_in_time") == 0
    assert value("priority_access.dalo_not_rehoused_in_time", Y2010) == 1


def test_abnormally_long_needs_the_prefectoral_order():
    HousingDemandFactory(filed_on=D(2007, 6, 1))
    HousingDemandFactory(filed_on=D(2009, 6, 1))
    HousingDemandFactory(filed_on=D(2007, 6, 1), allocated_on=D(2008, 1, 1), allocated_landlord=landlord())
    assert value("priority_access.demands_abnormally_long") is None
    AbnormalDelayFactory(months=24)
    assert value("priority_access.demands_abnormally_long") == 1


def test_acd_achievement_against_yearly_targets():
    hlm = landlord()
    CollectiveAgreementTargetFactory(landlord=hlm, target=4)
    for day in (D(2009, 3, 1), D(2009, 9, 1), D(2010, 1, 5)):
        HousingDemandFactory(
            filed_on=D(2008, 1, 1), allocated_on=day, allocated_landlord=hlm, allocation_channel=AllocationChannel.ACD
        )
    HousingDemandFactory(
        filed_on=D(2008, 1, 1),
        allocated_on=D(2009, 5, 1),
        allocated_landlord=hlm,
        allocation_channel=AllocationChannel.COMMON,
        plai_dwelling=True,
        priority_grounds=["sans_logement"],
    )
    assert value("priority_access.acd_housed") == 2
    assert value("priority_access.acd_achievement") == Decimal("50.0")
    assert value("priority_access.plai_allocations") == 1
    assert value("priority_access.acd_achievement", Y2010) is None  # no target for 2010


def test_contingent_allocations():
    ContingentProposalFactory(outcome=ProposalOutcome.ACCEPTED, allocated_on=D(2009, 7, 1))
    ContingentProposalFactory(outcome=ProposalOutcome.REFUSED)
    assert value("priority_access.contingent_allocations") == 1


def test_project_followed_and_rehoused():
    ProjectFollowupFactory(taken_in_on=D(2008, 5, 1))
    ProjectFollowupFactory(outcome=ProjectOutcome.REHOUSED, ended_on=D(2009, 10, 1))
    ProjectFollowupFactory(taken_in_on=D(2008, 1, 1), outcome=ProjectOutcome.ENDED, ended_on=D(2008, 6, 1))
    assert value("priority_access.project_followed") == 2
    assert value("priority_access.project_rehoused") == 1


def test_the_six_sliding_lease_indicators():
    association = OrganisationFactory(code="ASSO1")
    SlidingLeaseFactory(holder=association, standard_contract=True)
    SlidingLeaseFactory(holder=association, outcome=LeaseOutcome.GLIDED, glided_on=D(2009, 11, 1))
    SlidingLeaseFactory(outcome=LeaseOutcome.DISPUTE, ended_on=D(2009, 8, 1))
    SlidingLeaseFactory(
        started_on=D(2008, 1, 1), planned_glide_on=D(2009, 1, 1), outcome=LeaseOutcome.GLIDED, glided_on=D(2009, 3, 1)
    )
    department = DepartmentFactory()
    charter = Charter.objects.create(
        department=department, kind=CharterKind.SLIDING_LEASE, title="Charte", adopted_on=D(2009, 6, 1)
    )
    CharterSignature.objects.create(charter=charter, organisation=association, signed_on=D(2009, 6, 1))
    CharterSignature.objects.create(charter=charter, organisation=landlord(), signed_on=D(2010, 2, 1))
    assert value("priority_access.sliding_lease_charter_signatories") == 1
    assert value("priority_access.sliding_lease_charter_signatories", Y2010) == 2
    assert value("priority_access.sliding_lease_operators") == 3  # ASSO1 and the two other holders
    assert value("priority_access.sliding_leases_standard_contract") == 1
    assert value("priority_access.sliding_leases_standard_contract_share") == Decimal("33.3")
    assert value("priority_access.sliding_leases_glided_on_time") == Decimal("50.0")
    assert value("priority_access.sliding_lease_disputes") == 1
    assert value("priority_access.sliding_lease_exit_ratio") == Decimal("1.00")  # 3 exits, 3 started


def test_mous_coverage_is_dated_and_weighted_by_population():
    metropole = EPCIFactory(name="Le Mans Métropole")
    le_mans = CommuneFactory(epci=metropole, population=140_000)
    rural = CommuneFactory(population=60_000)
    MousCoverageFactory(commune=rural, since=D(2008, 1, 1))
    MousCoverageFactory(commune=le_mans, since=D(2010, 7, 1))
    assert value("priority_access.mous_coverage") == Decimal("30.0")
    assert value("priority_access.mous_coverage", Y2010) == Decimal("100.0")
    epci = TerritoryScope(ScopeKind.EPCI, "72", metropole.siren)
    assert value("priority_access.mous_coverage", Y2009, epci) == Decimal("0.0")


def test_mous_rehousings_and_large_families():
    MousFollowupFactory(rehoused_on=D(2009, 9, 1), children=4)
    MousFollowupFactory(rehoused_on=D(2009, 10, 1), children=1)
    MousFollowupFactory()
    MousFollowupFactory(ended_on=D(2009, 11, 1), end_reason=MousEndReason.OTHER_SOLUTION, children=5)
    assert value("priority_access.mous_rehoused") == 2  # a mediation ended without rehousing is no rehousing
    assert value("priority_access.mous_large_families_rehoused") == 1


@pytest.mark.parametrize(
    "key",
    ["priority_access.sliding_leases_standard_contract_share", "priority_access.sliding_lease_exit_ratio"],
)
def test_ratios_with_nothing_to_divide_are_not_computable(key):
    assert value(key) is None


def test_commune_scope_counts_only_the_communes_records():
    commune = CommuneFactory()
    MousFollowupFactory(rehoused_on=D(2009, 9, 1), commune=commune)
    MousFollowupFactory(rehoused_on=D(2009, 9, 1))
    scope = TerritoryScope(ScopeKind.COMMUNE, "72", commune.insee_code)
    assert value("priority_access.mous_rehoused", Y2009, scope) == 1
