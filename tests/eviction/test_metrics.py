"""Each metric on a small dataset built by hand; expected values are worked out in the
test. Rows outside the period, the territory or the criteria are added on purpose."""

import datetime
from decimal import Decimal

import pytest

from tests.eviction.factories import (
    EventFactory,
    FslDecisionFactory,
    HomeownerDifficultyFactory,
    HouseholdFactory,
    OverIndebtednessCaseFactory,
    PreventionFileFactory,
    RepaymentPaymentFactory,
    RepaymentPlanFactory,
    ReportFactory,
)
from tests.territory.factories import CommuneFactory, EPCIFactory
from toit.eviction.enums import (
    EventKind,
    HomeownerSource,
    HousingBenefit,
    HousingSector,
    JudgmentOutcome,
    RepaymentPlanKind,
    ReportSource,
    SettlementMode,
)
from toit.metrics.periods import Period
from toit.metrics.registry import MetricError, registry
from toit.observatory.versions import data_version
from toit.territory.scopes import ScopeKind, TerritoryScope

D = datetime.date
Y2010 = Period.year(2010)
LMM_SIREN = "247200132"
DEPARTMENT = TerritoryScope.department_scope("72")
LMM = TerritoryScope(ScopeKind.EPCI, "72", LMM_SIREN, "Le Mans Métropole")
REST = TerritoryScope(ScopeKind.OUTSIDE_EPCI, "72", LMM_SIREN, "Reste du département")


def value(key, scope=DEPARTMENT, period=Y2010, **params):
    return registry.get(key).compute(period, scope, **params)


@pytest.fixture
def le_mans():
    return CommuneFactory(name="Le Mans", epci=EPCIFactory(siren=LMM_SIREN, name="Le Mans Métropole"))


@pytest.fixture
def rural():
    return CommuneFactory(name="La Flèche")


def file_in(commune, **household):
    return PreventionFileFactory(household=HouseholdFactory(commune=commune, **household))


def event(file, kind, day, **fields):
    return EventFactory(file=file, kind=kind, date=day, **fields)


def test_every_metric_of_the_brief_is_registered():
    keys = set(registry.keys())
    assert {
        "eviction.assignations",
        "eviction.orders_to_leave",
        "eviction.requisitions",
        "eviction.assistance_requested",
        "eviction.assistance_granted",
        "eviction.assistance_refused",
        "eviction.order_to_leave_rate",
        "eviction.repayment_plans_started",
        "eviction.repayment_plans_respected",
        "eviction.rehousings",
        "eviction.complete_diagnoses",
        "eviction.fsl_private_stay_households",
        "eviction.overindebted_fsl_households",
        "eviction.debt_remissions",
        "eviction.agreements_after_compensation",
        "eviction.contentious_amicable_ratio",
        "eviction.occupation_indemnities",
        "eviction.third_party_payment_households",
        "eviction.homeowners_in_difficulty",
    } <= keys


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("eviction.assignations", EventKind.SUMMONS),
        ("eviction.orders_to_leave", EventKind.ORDER_TO_LEAVE),
        ("eviction.requisitions", EventKind.REQUISITION),
        ("eviction.assistance_requested", EventKind.REQUISITION),
        ("eviction.assistance_granted", EventKind.ASSISTANCE_GRANTED),
        ("eviction.assistance_refused", EventKind.ASSISTANCE_REFUSED),
        ("eviction.evictions", EventKind.EVICTION),
        ("eviction.rehousings", EventKind.REHOUSED),
        ("eviction.debt_remissions", EventKind.DEBT_REMISSION),
        ("eviction.recourse_actions", EventKind.RECOURSE),
    ],
)
def test_event_counts(key, kind, le_mans, rural):
    extra = {"hearing_date": D(2011, 3, 1)} if kind == EventKind.SUMMONS else {}
    a, b = file_in(le_mans), file_in(rural)
    event(a, kind, D(2010, 1, 1), **extra)  # first day of the year
    event(a, kind, D(2010, 12, 31), **extra)  # last day
    event(b, kind, D(2010, 6, 1), **extra)
    event(b, kind, D(2009, 12, 31), **extra)  # previous year
    event(b, kind, D(2011, 1, 1), **extra)  # next year
    event(b, EventKind.ORDER_TO_PAY if kind != EventKind.ORDER_TO_PAY else EventKind.STAYS, D(2010, 6, 1))
    assert value(key) == 3
    assert value(key, LMM) == 2
    assert value(key, REST) == 1
    assert value(key, period=Period.quarter(2010, 4)) == 1
    assert value(key, period=Period.span(2008, 2012)) == 5


def test_order_to_leave_rate(le_mans, rural):
    # Le Mans: 4 assignations, 1 commandement de quitter → 25 %; rural: 2 and 2 → 100 %.
    for _ in range(4):
        event(file_in(le_mans), EventKind.SUMMONS, D(2010, 3, 1), hearing_date=D(2010, 6, 1))
    event(file_in(le_mans), EventKind.ORDER_TO_LEAVE, D(2010, 9, 1))
    for _ in range(2):
        event(file_in(rural), EventKind.SUMMONS, D(2010, 3, 1), hearing_date=D(2010, 6, 1))
        event(file_in(rural), EventKind.ORDER_TO_LEAVE, D(2010, 9, 1))
    event(file_in(rural), EventKind.ORDER_TO_LEAVE, D(2009, 9, 1))  # other year
    assert value("eviction.order_to_leave_rate", LMM) == Decimal("25.0")
    assert value("eviction.order_to_leave_rate", REST) == Decimal("100.0")
    assert value("eviction.order_to_leave_rate") == Decimal("50.0")  # 3 / 6
    assert value("eviction.order_to_leave_rate", period=Period.year(2011)) is None  # no assignation


def test_complete_diagnoses(le_mans):
    file = file_in(le_mans)
    event(file, EventKind.DIAGNOSIS_DONE, D(2010, 2, 1), complete=True)
    event(file, EventKind.DIAGNOSIS_DONE, D(2010, 3, 1), complete=True)
    event(file, EventKind.DIAGNOSIS_DONE, D(2010, 4, 1), complete=False)
    event(file, EventKind.DIAGNOSIS_REQUESTED, D(2010, 1, 10))
    event(file, EventKind.DIAGNOSIS_DONE, D(2011, 4, 1), complete=True)
    assert value("eviction.complete_diagnoses") == 2


def test_average_debt_at_assignation(le_mans):
    file = file_in(le_mans)
    event(file, EventKind.SUMMONS, D(2010, 2, 1), hearing_date=D(2010, 5, 1), amount=Decimal("1000"))
    event(file, EventKind.SUMMONS, D(2010, 3, 1), hearing_date=D(2010, 5, 1), amount=Decimal("2001"))
    event(file, EventKind.SUMMONS, D(2010, 4, 1), hearing_date=D(2010, 5, 1))  # no amount: ignored
    assert value("eviction.average_debt_at_assignation") == Decimal("1500.50")
    assert value("eviction.average_debt_at_assignation", period=Period.year(2011)) is None


def test_unpaid_reports_and_average_debt(le_mans, rural):
    ReportFactory(commune=le_mans, debt_amount=Decimal("600"), source=ReportSource.CAF_MSA)
    ReportFactory(commune=rural, debt_amount=Decimal("900"), source=ReportSource.LANDLORD)
    ReportFactory(commune=rural, debt_amount=Decimal("100"), reported_on=D(2011, 1, 1))
    # Matched: counted where the household lives, whatever commune the reporter gave.
    ReportFactory(
        commune=rural,
        debt_amount=Decimal("1500"),
        source=ReportSource.CAF_MSA,
        file=file_in(le_mans),
        matched_at=datetime.datetime(2010, 3, 2, tzinfo=datetime.UTC),
    )
    assert value("eviction.unpaid_reports") == 3
    assert value("eviction.unpaid_reports", LMM) == 2
    assert value("eviction.unpaid_reports", REST) == 1
    assert value("eviction.unpaid_reports", source="caf_msa") == 2
    assert value("eviction.average_debt_at_report") == Decimal("1000.00")  # (600 + 900 + 1500) / 3
    assert value("eviction.average_debt_at_report", LMM, source="caf_msa") == Decimal("1050.00")


def test_third_party_payment_households_at_period_end(le_mans):
    followed_since = D(2009, 1, 1)

    def household(benefit, since, opened_on=followed_since, **kwargs):
        file = PreventionFileFactory(
            household=HouseholdFactory(
                commune=le_mans,
                housing_benefit=benefit,
                third_party_payment=since is not None,
                third_party_payment_since=since,
                **kwargs,
            ),
            opened_on=opened_on,
        )
        return file.household

    household(HousingBenefit.AL, D(2008, 5, 1))
    household(HousingBenefit.AL, D(2010, 12, 31))  # from the last day: counted
    household(HousingBenefit.AL, D(2011, 1, 1))  # too late
    household(HousingBenefit.AL, None)  # no tiers payant
    household(HousingBenefit.AL, D(2008, 5, 1), opened_on=D(2011, 2, 1))  # not followed yet
    household(HousingBenefit.APL, D(2008, 5, 1), sector=HousingSector.SOCIAL)
    assert value("eviction.third_party_payment_households") == 2
    assert value("eviction.third_party_payment_households", benefit="apl") == 1
    assert value("eviction.third_party_payment_households", benefit="all") == 3
    assert value("eviction.third_party_payment_households", period=Period.year(2009)) == 1


def test_fsl_private_stay_households(le_mans):
    private = file_in(le_mans, sector=HousingSector.PRIVATE)
    FslDecisionFactory(file=private, under_guarantee=True)
    FslDecisionFactory(file=private, under_guarantee=False, decided_on=D(2010, 9, 1))  # same household
    FslDecisionFactory(file=file_in(le_mans), under_guarantee=False)
    FslDecisionFactory(file=file_in(le_mans), result="refuse", aid_form="", amount=None)
    FslDecisionFactory(file=file_in(le_mans), purpose="acces")
    FslDecisionFactory(file=file_in(le_mans, sector=HousingSector.SOCIAL))
    FslDecisionFactory(file=file_in(le_mans), decided_on=D(2009, 5, 1))
    assert value("eviction.fsl_private_stay_households") == 2
    assert value("eviction.fsl_private_stay_households", guarantee="with") == 1
    assert value("eviction.fsl_private_stay_households", guarantee="without") == 2
    with pytest.raises(MetricError, match="valeurs admises : all, with, without"):
        value("eviction.fsl_private_stay_households", guarantee="oui")


def test_an_unknown_guarantee_counts_neither_with_nor_without(le_mans):
    """An imported decision whose file did not say (toit.imports.sinks.fsl)."""
    FslDecisionFactory(file=file_in(le_mans, sector=HousingSector.PRIVATE), under_guarantee=None)
    FslDecisionFactory(file=file_in(le_mans, sector=HousingSector.PRIVATE), under_guarantee=False)
    assert value("eviction.fsl_private_stay_households") == 2
    assert value("eviction.fsl_private_stay_households", guarantee="with") == 0
    assert value("eviction.fsl_private_stay_households", guarantee="without") == 1


def test_overindebted_fsl_households(le_mans):
    filed_before = file_in(le_mans)
    OverIndebtednessCaseFactory(file=filed_before, filed_on=D(2010, 1, 15))
    FslDecisionFactory(file=filed_before, decided_on=D(2010, 5, 1))
    filed_after = file_in(le_mans)
    OverIndebtednessCaseFactory(file=filed_after, filed_on=D(2010, 6, 1))
    FslDecisionFactory(file=filed_after, decided_on=D(2010, 5, 1))
    # Case on another file of the same household counts.
    household = HouseholdFactory(commune=le_mans)
    OverIndebtednessCaseFactory(file=PreventionFileFactory(household=household), filed_on=D(2009, 1, 1))
    FslDecisionFactory(file=PreventionFileFactory(household=household), decided_on=D(2010, 2, 1))
    FslDecisionFactory(file=file_in(le_mans))  # not over-indebted
    assert value("eviction.overindebted_fsl_households") == 2


def test_repayment_plans_started_and_respected(le_mans, rural):
    respected = RepaymentPlanFactory(file=file_in(le_mans), start_date=D(2010, 1, 10))  # 600 €
    for month in range(1, 7):
        RepaymentPaymentFactory(plan=respected, date=D(2010, month, 10))
    # Started in 2009, paid off in January 2010.
    old = RepaymentPlanFactory(
        file=file_in(rural),
        start_date=D(2009, 11, 1),
        debt_amount=Decimal("300"),
        kind=RepaymentPlanKind.NO_FORCE,
    )
    for day in (D(2009, 11, 1), D(2009, 12, 1), D(2010, 1, 2)):
        RepaymentPaymentFactory(plan=old, date=day)
    unpaid = RepaymentPlanFactory(file=file_in(rural), start_date=D(2010, 10, 1), kind=RepaymentPlanKind.NO_FORCE)
    RepaymentPaymentFactory(plan=unpaid, date=D(2010, 10, 1))
    RepaymentPlanFactory(file=file_in(le_mans, sector=HousingSector.SOCIAL), start_date=D(2010, 12, 31))
    assert value("eviction.repayment_plans_started") == 3
    assert value("eviction.repayment_plans_started", kind="contre_non_octroi") == 1
    assert value("eviction.repayment_plans_started", sector="parc_social") == 1
    assert value("eviction.repayment_plans_started", LMM) == 2
    assert value("eviction.repayment_plans_respected") == 2
    assert value("eviction.repayment_plans_respected", REST) == 1
    assert value("eviction.repayment_plans_respected", period=Period.year(2009)) == 0
    assert value("eviction.repayment_plans_respected", period=Period.quarter(2010, 2)) == 1  # June


def test_compensations_ratio_and_amounts(le_mans, rural):
    lm, other = file_in(le_mans), file_in(rural)
    event(lm, EventKind.COMPENSATION, D(2010, 2, 1), settlement_mode=SettlementMode.AMICABLE, amount=Decimal("1000"))
    event(lm, EventKind.COMPENSATION, D(2010, 3, 1), settlement_mode=SettlementMode.AMICABLE, amount=Decimal("2000"))
    event(lm, EventKind.COMPENSATION, D(2010, 4, 1), settlement_mode=SettlementMode.CONTENTIOUS, amount=Decimal("5000"))
    event(other, EventKind.COMPENSATION, D(2010, 4, 1), settlement_mode=SettlementMode.CONTENTIOUS, amount=Decimal("7"))
    event(other, EventKind.COMPENSATION, D(2011, 4, 1), settlement_mode=SettlementMode.AMICABLE, amount=Decimal("9"))
    assert value("eviction.compensations") == 4
    assert value("eviction.compensations", mode="amiable") == 2
    assert value("eviction.compensation_amount") == Decimal("8007.00")
    assert value("eviction.compensation_amount", LMM, mode="contentieuse") == Decimal("5000.00")
    assert value("eviction.contentious_amicable_ratio") == Decimal("1.00")  # 2 / 2
    assert value("eviction.contentious_amicable_ratio", LMM) == Decimal("0.50")  # 1 / 2
    assert value("eviction.contentious_amicable_ratio", REST) is None  # no amicable settlement
    assert value("eviction.compensation_amount", period=Period.year(2012)) == Decimal("0.00")


def test_occupation_indemnities(le_mans, rural):
    event(file_in(le_mans), EventKind.OCCUPATION_INDEMNITY, D(2010, 5, 1), amount=Decimal("1234.50"))
    event(file_in(rural), EventKind.OCCUPATION_INDEMNITY, D(2010, 6, 1), amount=Decimal("765.50"))
    event(file_in(rural), EventKind.OCCUPATION_INDEMNITY, D(2009, 6, 1), amount=Decimal("1000"))
    assert value("eviction.occupation_indemnities") == Decimal("2000.00")
    assert value("eviction.occupation_indemnities", LMM) == Decimal("1234.50")


def test_agreements_after_compensation(le_mans):
    compensated = file_in(le_mans)
    event(compensated, EventKind.COMPENSATION, D(2009, 12, 1), settlement_mode="amiable", amount=Decimal("100"))
    event(compensated, EventKind.NEW_LEASE, D(2010, 2, 1))
    event(compensated, EventKind.PROTOCOL, D(2010, 3, 1))
    late = file_in(le_mans)
    event(late, EventKind.PROTOCOL, D(2010, 3, 1))  # before the compensation: not counted
    event(late, EventKind.COMPENSATION, D(2010, 4, 1), settlement_mode="amiable", amount=Decimal("100"))
    event(file_in(le_mans), EventKind.NEW_LEASE, D(2010, 3, 1))  # never compensated
    assert value("eviction.agreements_after_compensation") == 2
    assert value("eviction.agreements_after_compensation", agreement="protocole") == 1


def test_homeowners_in_difficulty(le_mans, rural):
    HomeownerDifficultyFactory(file=file_in(le_mans, sector=HousingSector.HOMEOWNER), source=HomeownerSource.CDAPL)
    HomeownerDifficultyFactory(file=file_in(rural, sector=HousingSector.HOMEOWNER), source=HomeownerSource.LENDER)
    HomeownerDifficultyFactory(file=file_in(rural, sector=HousingSector.HOMEOWNER), source=HomeownerSource.LENDER)
    HomeownerDifficultyFactory(
        file=file_in(rural, sector=HousingSector.HOMEOWNER), source=HomeownerSource.CAF, reported_on=D(2011, 1, 3)
    )
    assert value("eviction.homeowners_in_difficulty") == 3
    assert value("eviction.homeowners_in_difficulty", source="preteur") == 2
    assert value("eviction.homeowners_in_difficulty", LMM, source="preteur") == 0


def test_unknown_parameter_is_refused():
    with pytest.raises(MetricError, match="ne connaît pas"):
        value("eviction.assignations", sector="parc_prive")


def test_lmm_and_rest_partition_the_department(le_mans, rural):
    """Scope test: every figure of the département is the sum of Le Mans Métropole and
    the rest, for counts and amounts alike."""
    outside_epci = CommuneFactory(epci=None)
    for commune in (le_mans, rural, outside_epci):
        file = file_in(commune)
        event(file, EventKind.SUMMONS, D(2010, 2, 1), hearing_date=D(2010, 5, 3))
        event(file, EventKind.JUDGMENT, D(2010, 5, 3), judgment_outcome=JudgmentOutcome.TERMINATION)
        event(file, EventKind.ORDER_TO_LEAVE, D(2010, 6, 1))
        event(file, EventKind.OCCUPATION_INDEMNITY, D(2010, 9, 1), amount=Decimal("100"))
    for key in ("eviction.assignations", "eviction.orders_to_leave", "eviction.occupation_indemnities"):
        assert value(key) == value(key, LMM) + value(key, REST)
    assert (value("eviction.assignations", LMM), value("eviction.assignations", REST)) == (1, 2)
    # A commune of another département is in neither.
    event(
        file_in(CommuneFactory(department__code="53", department__name="Mayenne")),
        EventKind.ORDER_TO_LEAVE,
        D(2010, 6, 1),
    )
    assert value("eviction.orders_to_leave") == 3


def test_metrics_are_set_based(le_mans, django_assert_max_num_queries):
    for _ in range(20):
        file = file_in(le_mans)
        event(file, EventKind.SUMMONS, D(2010, 2, 1), hearing_date=D(2010, 5, 3))
        plan = RepaymentPlanFactory(file=file)
        RepaymentPaymentFactory(plan=plan)
    for metric in registry:
        if metric.key.startswith("eviction."):
            with django_assert_max_num_queries(1):
                metric.compute(Y2010, DEPARTMENT)


def test_data_version_follows_the_eviction_tables(le_mans):
    before = data_version("eviction.assignations")
    assert before == data_version("eviction.orders_to_leave")  # one fingerprint per domain
    event(file_in(le_mans), EventKind.SUMMONS, D(2010, 2, 1), hearing_date=D(2010, 5, 3))
    assert data_version("eviction.assignations") != before
