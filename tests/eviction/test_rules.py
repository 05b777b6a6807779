import datetime

import pytest

from toit.eviction import rules

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2010, 1, 15), 2, D(2010, 3, 15)),
        (D(2009, 12, 31), 2, D(2010, 2, 28)),  # no 31 February: last day of the month
        (D(2011, 12, 31), 2, D(2012, 2, 29)),
        (D(2010, 11, 30), 3, D(2011, 2, 28)),
        (D(2010, 3, 31), -1, D(2010, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert rules.add_months(start, months) == expected


class TestTimeToPay:
    def test_two_months_the_day_before_the_2023_law(self):
        assert rules.time_to_pay_expiry(D(2023, 7, 28)) == D(2023, 9, 28)
        assert "89-462" in rules.time_to_pay(D(2023, 7, 28)).source

    def test_six_weeks_from_its_entry_into_force(self):
        assert rules.time_to_pay_expiry(D(2023, 7, 29)) == D(2023, 9, 9)
        assert "2023-668" in rules.time_to_pay(D(2023, 7, 29)).source

    def test_a_lease_signed_before_the_law_keeps_two_months(self):
        # Cour de cassation, avis du 13 juin 2024: running leases keep their clause.
        assert rules.time_to_pay_expiry(D(2024, 3, 1), lease_signed_on=D(2023, 7, 28)) == D(2024, 5, 1)
        assert rules.time_to_pay_expiry(D(2024, 3, 1), lease_signed_on=D(2023, 7, 29)) == D(2024, 4, 12)

    def test_plan_period(self):
        assert rules.time_to_pay_expiry(D(2010, 5, 10)) == D(2010, 7, 10)


class TestPrefectNotice:
    def test_two_months_before_the_hearing_for_an_assignation_before_the_law(self):
        assert rules.prefect_notice_deadline(D(2023, 7, 28), D(2023, 11, 20)) == D(2023, 9, 20)

    def test_six_weeks_for_an_assignation_from_29_july_2023(self):
        assert rules.prefect_notice_deadline(D(2023, 7, 29), D(2023, 11, 20)) == D(2023, 10, 9)


def test_order_to_leave_delay_is_two_months_before_and_after_the_cpce():
    assert rules.order_to_leave_expiry(D(2012, 5, 31)) == D(2012, 7, 31)
    assert "91-650" in rules.ORDER_TO_LEAVE_DELAY.at(D(2012, 5, 31)).source
    assert rules.order_to_leave_expiry(D(2012, 6, 1)) == D(2012, 8, 1)
    assert "L. 412-1" in rules.ORDER_TO_LEAVE_DELAY.at(D(2012, 6, 1)).source


def test_prefect_decision_delay():
    assert rules.prefect_decision_expiry(D(2010, 12, 31)) == D(2011, 2, 28)
    assert "92-755" in rules.PREFECT_DECISION_DELAY.at(D(2012, 5, 31)).source
    assert "R. 153-1" in rules.PREFECT_DECISION_DELAY.at(D(2012, 6, 1)).source


class TestWinterTruce:
    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (D(2009, 10, 31), False),
            (D(2009, 11, 1), True),
            (D(2010, 1, 1), True),
            (D(2010, 3, 15), True),  # until 15 March before the loi ALUR
            (D(2010, 3, 16), False),
            (D(2013, 3, 15), True),
            (D(2013, 3, 16), False),
            (D(2014, 3, 16), True),  # winter 2013-2014 extended to 31 March
            (D(2014, 3, 31), True),
            (D(2014, 4, 1), False),
            (D(2024, 3, 31), True),
            (D(2024, 4, 1), False),
            (D(2024, 10, 31), False),
            (D(2024, 11, 1), True),
        ],
    )
    def test_in_truce(self, day, expected):
        assert rules.in_truce(day) is expected

    def test_window_and_source(self):
        assert rules.truce_window(D(2010, 6, 1)) == (D(2010, 11, 1), D(2011, 3, 15))
        assert rules.truce_window(D(2015, 1, 10)) == (D(2014, 11, 1), D(2015, 3, 31))
        assert "L. 613-3" in rules.truce_source(D(2010, 1, 10))
        assert "L. 412-6" in rules.truce_source(D(2013, 1, 10))
        assert "2014-366" in rules.truce_source(D(2014, 1, 10))

    def test_earliest_eviction_is_pushed_past_the_truce(self):
        # Commandement on 15 September 2010: delay ends 15 November, in the truce.
        assert rules.earliest_eviction(D(2010, 9, 15)) == D(2011, 3, 16)
        # Commandement on 15 June 2010: delay ends 15 August, eviction from the 16th.
        assert rules.earliest_eviction(D(2010, 6, 15)) == D(2010, 8, 16)
        # Commandement on 31 August 2010: delay ends 31 October, eviction blocked the day after.
        assert rules.earliest_eviction(D(2010, 8, 31)) == D(2011, 3, 16)


def test_delay_labels():
    assert str(rules.Delay(months=2)) == "2 mois"
    assert str(rules.Delay(weeks=6)) == "6 semaines"
    assert str(rules.Delay(weeks=1)) == "1 semaine"


def test_latest_start_expired_before():
    # Réquisitions up to 31 December 2010 have a delay over by 1 March 2011.
    assert rules.latest_start_expired_before(rules.prefect_decision_expiry, D(2011, 3, 1)) == D(2010, 12, 31)
    assert rules.prefect_decision_expiry(D(2011, 1, 1)) == D(2011, 3, 1)
