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

    def test_six_weeks_from_its_entry_into_force_for_a_lease_signed_since(self):
        assert rules.time_to_pay_expiry(D(2023, 7, 29), lease_signed_on=D(2023, 7, 29)) == D(2023, 9, 9)
        assert "2023-668" in rules.time_to_pay(D(2023, 7, 29), lease_signed_on=D(2023, 7, 29)).source

    def test_an_unknown_lease_date_keeps_two_months_and_is_to_verify(self):
        # Most leases running on 29 July 2023 were signed before it: six weeks by default
        # would show a deadline two and a half weeks early, against the tenant.
        assert rules.time_to_pay_expiry(D(2023, 7, 28)) == D(2023, 9, 28)
        assert rules.lease_date_to_verify(D(2023, 7, 28)) is False
        assert rules.time_to_pay_expiry(D(2023, 7, 29)) == D(2023, 9, 29)
        assert "89-462" in rules.time_to_pay(D(2023, 7, 29)).source
        assert rules.lease_date_to_verify(D(2023, 7, 29)) is True
        assert rules.lease_date_to_verify(D(2023, 7, 29), lease_signed_on=D(2020, 1, 1)) is False

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

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            # Ordonnance n° 2020-331: winter 2019-2020 to 31 May, then loi n° 2020-546 to 10 July.
            (D(2020, 3, 31), True),
            (D(2020, 4, 1), True),
            (D(2020, 5, 31), True),
            (D(2020, 6, 1), True),
            (D(2020, 6, 30), True),
            (D(2020, 7, 10), True),
            (D(2020, 7, 11), False),
            # Ordonnance n° 2021-141: winter 2020-2021 to 31 May.
            (D(2021, 5, 31), True),
            (D(2021, 6, 1), False),
            # Winter 2021-2022: back to 31 March.
            (D(2022, 3, 31), True),
            (D(2022, 4, 1), False),
        ],
    )
    def test_covid_extensions(self, day, expected):
        assert rules.in_truce(day) is expected

    @pytest.mark.parametrize(
        ("day", "end", "text"),
        [
            (D(2020, 3, 25), D(2020, 3, 31), "2014-366"),  # the day before the ordonnance's publication
            (D(2020, 3, 26), D(2020, 5, 31), "2020-331"),  # the day of it
            (D(2020, 5, 11), D(2020, 5, 31), "2020-331"),  # the day before the loi of 11 May 2020
            (D(2020, 5, 12), D(2020, 7, 10), "2020-546"),
            (D(2021, 2, 10), D(2021, 3, 31), "2014-366"),  # the day before ordonnance n° 2021-141
            (D(2021, 2, 11), D(2021, 5, 31), "2021-141"),
        ],
    )
    def test_an_extension_counts_from_its_text(self, day, end, text):
        assert rules.truce_window(day)[1] == end
        assert text in rules.truce_source(day)

    def test_an_eviction_pushed_by_both_2020_extensions(self):
        # Commandement on 20 January 2020: the delay ends on 20 March, in the truce; the
        # truce then runs to 31 May, and from 12 May to 10 July.
        assert rules.earliest_eviction(D(2020, 1, 20)) == D(2020, 7, 11)

    def test_exceptions_are_stated(self):
        assert set(rules.TRUCE_EXCEPTIONS) == {"relogement_assure", "voie_de_fait"}
        assert "relogement des intéressés" in rules.WINTER_TRUCE.label

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


class TestWorkingDays:
    def test_easter(self):
        assert [rules.easter(y) for y in (2008, 2021, 2024, 2025)] == [
            D(2008, 3, 23),
            D(2021, 4, 4),
            D(2024, 3, 31),
            D(2025, 4, 20),
        ]

    def test_public_holidays_are_not_working_days(self):
        assert len(rules.public_holidays(2021)) == 11
        assert not rules.is_working_day(D(2021, 5, 13))  # Ascension
        assert not rules.is_working_day(D(2021, 5, 24))  # lundi de Pentecôte
        assert not rules.is_working_day(D(2021, 1, 9))  # a Saturday
        assert rules.is_working_day(D(2021, 1, 8))

    def test_add_working_days(self):
        assert rules.add_working_days(D(2021, 1, 7), 15) == D(2021, 1, 28)
        assert rules.add_working_days(D(2021, 5, 10), 5) == D(2021, 5, 18)  # over Ascension and a weekend
        assert rules.add_working_days(D(2021, 5, 25), -5) == D(2021, 5, 17)  # back over Pentecost
        assert str(rules.Delay(working_days=5)) == "5 jours ouvrés"


class TestSocialDiagnosis:
    @pytest.mark.parametrize(
        ("day", "label", "text"),
        [
            (D(2009, 3, 27), "enquête sociale", "98-657"),
            (D(2009, 3, 28), "enquête financière et sociale", "2009-323"),
            (D(2014, 3, 26), "enquête financière et sociale", "2009-323"),
            (D(2014, 3, 27), "diagnostic social et financier", "2014-366"),
            (D(2021, 1, 6), "diagnostic social et financier", "2014-366"),
            (D(2021, 1, 7), "diagnostic social et financier", "2021-8"),
        ],
    )
    def test_label_follows_the_date(self, day, label, text):
        assert rules.diagnosis_label(day) == label
        assert text in rules.diagnosis_rule(day).source

    def test_delays_from_the_decree_of_5_january_2021(self):
        assert rules.diagnosis_interview_deadline(D(2021, 1, 6)) is None
        assert rules.diagnosis_interview_deadline(D(2021, 1, 7)) == D(2021, 1, 28)
        assert rules.diagnosis_transmission_deadline(D(2021, 1, 6), D(2021, 3, 15)) is None
        # Hearing on Monday 15 March 2021: five working days before is Monday 8 March.
        assert rules.diagnosis_transmission_deadline(D(2021, 1, 7), D(2021, 3, 15)) == D(2021, 3, 8)


class TestCcapex:
    def test_referral_two_months_before_the_assignation_from_2015(self):
        assert rules.earliest_summons_after_ccapex(D(2014, 10, 1), D(2014, 12, 31)) is None
        assert rules.earliest_summons_after_ccapex(D(2014, 11, 15), D(2015, 1, 1)) == D(2015, 1, 16)
        assert "ALUR" in rules.CCAPEX_BEFORE_SUMMONS.at(D(2015, 1, 1)).source

    def test_signal_of_the_commandement_from_the_decree_of_2015(self):
        assert rules.CCAPEX_SIGNAL.at(D(2015, 10, 31)).value is False
        assert rules.CCAPEX_SIGNAL.at(D(2015, 11, 1)).value is True
        assert "2015-1384" in rules.CCAPEX_SIGNAL.at(D(2015, 11, 1)).source
