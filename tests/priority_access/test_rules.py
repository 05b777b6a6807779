import datetime

from tests.priority_access.factories import AbnormalDelayFactory, DaloAgglomerationFactory, DaloAppealFactory
from tests.territory.factories import DepartmentFactory
from toit.priority_access import rules
from toit.priority_access.models import abnormal_delay_months, large_agglomeration

D = datetime.date


def test_commission_decides_within_three_months_or_six_in_large_agglomerations():
    assert rules.commission_deadline(D(2009, 1, 31), large_agglomeration=False) == D(2009, 4, 30)
    assert rules.commission_deadline(D(2009, 1, 31), large_agglomeration=True) == D(2009, 7, 31)


def test_prefect_has_three_or_six_months_from_the_decision():
    assert rules.rehousing_deadline(D(2009, 4, 15), large_agglomeration=False) == D(2009, 7, 15)
    assert rules.rehousing_deadline(D(2009, 4, 15), large_agglomeration=True) == D(2009, 10, 15)


def test_rules_cite_their_source_and_start_with_the_dalo_law():
    version = rules.commission_rule(D(2009, 1, 1), False)
    assert "R. 441-15" in version.source
    assert rules.COMMISSION_DELAY.versions[0].since == rules.DALO_IN_FORCE == D(2008, 1, 1)


def test_large_agglomeration_is_a_dated_setting_of_the_department():
    department = DepartmentFactory(code="44", name="Loire-Atlantique")
    assert large_agglomeration(department, D(2009, 1, 1)) is False  # nothing recorded: 3 months
    DaloAgglomerationFactory(department=department, since=D(2008, 1, 1), large_agglomeration=True)
    DaloAgglomerationFactory(department=department, since=D(2011, 1, 1), large_agglomeration=False)
    assert large_agglomeration(department, D(2010, 12, 31)) is True
    assert large_agglomeration(department, D(2011, 1, 1)) is False
    appeal = DaloAppealFactory(department=department, priority=True)
    assert appeal.rehousing_deadline(large_agglomeration(department, appeal.decided_on)) == D(2009, 10, 15)


def test_abnormal_delay_changes_with_the_prefectoral_order():
    department = DepartmentFactory()
    other = DepartmentFactory(code="53", name="Mayenne")
    AbnormalDelayFactory(department=department, since=D(2008, 1, 1), months=24)
    AbnormalDelayFactory(department=department, since=D(2010, 7, 1), months=18)
    AbnormalDelayFactory(department=other, since=D(2008, 1, 1), months=12)
    assert abnormal_delay_months(department, D(2007, 12, 31)) is None
    assert abnormal_delay_months(department, D(2010, 6, 30)) == 24
    assert abnormal_delay_months(department, D(2010, 7, 1)) == 18
    assert abnormal_delay_months(other, D(2010, 7, 1)) == 12


def test_abnormally_long_is_strictly_after_the_delay():
    assert not rules.abnormally_long(D(2009, 1, 15), 18, D(2010, 7, 15))
    assert rules.abnormally_long(D(2009, 1, 15), 18, D(2010, 7, 16))
    assert not rules.abnormally_long(D(2009, 1, 15), None, D(2012, 1, 1))
