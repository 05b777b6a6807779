"""The metrics the 4B follow-up reports read: judgments, the FSL's contribution for
households threatened with eviction, and the reports published (4B's own indicator)."""

import datetime
from decimal import Decimal

from tests.eviction.factories import EventFactory, FslDecisionFactory, HouseholdFactory, PreventionFileFactory
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.eviction.enums import EventKind, FslPurpose, FslResult, JudgmentOutcome
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.observatory.models import PublishedReport
from toit.plans.models import Plan
from toit.territory.scopes import TerritoryScope

D = datetime.date
Y2010 = Period.year(2010)
SARTHE = TerritoryScope.department_scope("72")


def value(key, period=Y2010, scope=SARTHE):
    return registry.get(key).compute(period, scope)


def test_judgments_count_every_decision_in_the_period():
    file = PreventionFileFactory(household=HouseholdFactory(commune=CommuneFactory()))
    EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2009, 11, 2), hearing_date=D(2010, 1, 4))
    for day, outcome in [(D(2010, 1, 4), JudgmentOutcome.TIME_TO_PAY), (D(2010, 12, 31), JudgmentOutcome.DISMISSED)]:
        EventFactory(file=file, kind=EventKind.JUDGMENT, date=day, judgment_outcome=outcome)
    EventFactory(file=file, kind=EventKind.JUDGMENT, date=D(2011, 1, 1), judgment_outcome=JudgmentOutcome.TERMINATION)
    assert value("eviction.judgments") == 2
    assert registry.get("eviction.judgments").func.by_commune(Y2010, "72") == {file.household.commune.insee_code: 2}


def test_fsl_contribution_sums_the_aid_granted():
    file = PreventionFileFactory(household=HouseholdFactory(commune=CommuneFactory()))
    FslDecisionFactory(file=file, amount=Decimal("800.00"), purpose=FslPurpose.STAY)
    FslDecisionFactory(file=file, amount=Decimal("450.50"), purpose=FslPurpose.ACCESS)
    FslDecisionFactory(file=file, amount=None, result=FslResult.REFUSED, aid_form="")
    FslDecisionFactory(file=file, amount=Decimal("99.00"), decided_on=D(2011, 1, 1))
    assert value("eviction.fsl_eviction_amount") == Decimal("1250.50")
    assert value("eviction.fsl_eviction_amount", period=Period.year(2012)) == Decimal("0.00")


def test_reports_published_count_first_versions_of_the_departments_plan():
    DepartmentFactory(code="72")
    plan = Plan.objects.create(code="p72", title="P", department_code="72", first_year=2008, last_year=2012)
    other = Plan.objects.create(code="p53", title="P", department_code="53", first_year=2008, last_year=2012)

    def report(plan, period_code, version, at):
        made = PublishedReport.objects.create(
            plan=plan,
            kind="trimestriel" if "T" in period_code else "annuel",
            period_code=period_code,
            period_start=Period.parse(period_code).start,
            period_end=Period.parse(period_code).end,
            version=version,
            data_version="x",
            pdf=b"",
            pdf_sha256="",
            xlsx=b"",
            xlsx_sha256="",
        )
        PublishedReport.objects.filter(pk=made.pk).update(
            published_at=datetime.datetime.combine(at, datetime.time(12), tzinfo=datetime.UTC)
        )

    report(plan, "2010T1", 1, D(2010, 4, 15))
    report(plan, "2010T1", 2, D(2010, 5, 2))  # a new version of the same report
    report(plan, "2010", 1, D(2011, 1, 20))  # published the next year
    report(other, "2010T1", 1, D(2010, 4, 15))
    assert value("observatory.reports_published") == 1
    assert value("observatory.reports_published", period=Period.year(2011)) == 1
