import datetime
from decimal import Decimal

import pytest

from tests.eviction.factories import EventFactory, PreventionFileFactory, plan_with_local_practices
from toit.eviction.alerts import alerts, overview
from toit.eviction.chronology import Act
from toit.eviction.enums import EventKind, JudgmentOutcome, LandlordKind, Stage
from toit.eviction.models import CcapexThreshold
from toit.eviction.timeline import deadlines, state_of
from toit.plans.practices import LocalPractice
from toit.territory.models import Department

D = datetime.date


def act(kind, day, **fields):
    return Act(kind=kind, date=day, key=f"{kind}-{day}", **fields)


def summons(day, hearing, **fields):
    return act(EventKind.SUMMONS, day, hearing_date=hearing, **fields)


class TestState:
    def test_no_event_is_an_open_file(self):
        assert state_of([]).stage == Stage.OPENED

    def test_stage_follows_the_procedure_in_date_order(self):
        acts = [
            act(EventKind.ORDER_TO_LEAVE, D(2010, 10, 4)),
            act(EventKind.UNPAID_REPORTED, D(2010, 1, 4)),
            summons(D(2010, 3, 1), D(2010, 6, 1)),
            act(EventKind.JUDGMENT, D(2010, 6, 1), judgment_outcome=JudgmentOutcome.TERMINATION),
        ]
        state = state_of(acts)
        assert (state.stage, state.since) == (Stage.ORDER_TO_LEAVE, D(2010, 10, 4))
        assert state.judgment_outcome == JudgmentOutcome.TERMINATION

    def test_a_later_report_does_not_move_the_file_back(self):
        acts = [summons(D(2010, 3, 1), D(2010, 6, 1)), act(EventKind.UNPAID_REPORTED, D(2010, 4, 1))]
        assert state_of(acts).stage == Stage.SUMMONS

    def test_an_outcome_closes_and_a_new_act_reopens(self):
        acts = [summons(D(2010, 3, 1), D(2010, 6, 1)), act(EventKind.DEBT_CLEARED, D(2010, 5, 1))]
        state = state_of(acts)
        assert state.is_closed
        assert state.outcome == EventKind.DEBT_CLEARED
        assert state.label == "Procédure terminée : dette apurée"
        reopened = state_of([*acts, act(EventKind.ORDER_TO_PAY, D(2011, 2, 1))])
        assert (reopened.stage, reopened.outcome) == (Stage.ORDER_TO_PAY, None)

    def test_judgment_label_says_the_decision(self):
        acts = [
            summons(D(2010, 3, 1), D(2010, 6, 1)),
            act(EventKind.JUDGMENT, D(2010, 6, 1), judgment_outcome=JudgmentOutcome.TIME_TO_PAY),
        ]
        assert state_of(acts).label == "Jugement rendu : délais de paiement (clause résolutoire suspendue)"


class TestDeadlines:
    def test_time_to_pay_after_a_commandement(self):
        (deadline,) = deadlines([act(EventKind.ORDER_TO_PAY, D(2010, 2, 15))], D(2010, 3, 1))
        assert (deadline.code, deadline.date) == ("time_to_pay", D(2010, 4, 15))
        assert "89-462" in deadline.source
        assert "2 mois" in deadline.label

    def test_time_to_pay_depends_on_the_lease_date_after_2023(self):
        acts = [act(EventKind.ORDER_TO_PAY, D(2024, 2, 1))]
        assert deadlines(acts, D(2024, 2, 2), lease_signed_on=D(2023, 8, 1))[0].date == D(2024, 3, 14)
        assert deadlines(acts, D(2024, 2, 2), lease_signed_on=D(2019, 1, 1))[0].date == D(2024, 4, 1)
        # Unknown lease: two months, marked to verify.
        assert deadlines(acts, D(2024, 2, 2))[0].date == D(2024, 4, 1)

    def test_hearing_and_prefect_notice(self):
        acts = [summons(D(2010, 3, 1), D(2010, 6, 7))]
        found = {d.code: d.date for d in deadlines(acts, D(2010, 3, 2))}
        assert found == {"prefect_notice": D(2010, 4, 7), "hearing": D(2010, 6, 7)}

    def test_notified_assignation_has_no_notice_deadline(self):
        acts = [summons(D(2010, 3, 1), D(2010, 6, 7), prefect_notified_on=D(2010, 3, 3))]
        assert [d.code for d in deadlines(acts, D(2010, 3, 4))] == ["hearing"]

    def test_earliest_eviction_and_prefect_decision(self):
        acts = [
            summons(D(2009, 6, 1), D(2009, 9, 1)),
            act(EventKind.JUDGMENT, D(2009, 9, 1), judgment_outcome=JudgmentOutcome.TERMINATION),
            act(EventKind.ORDER_TO_LEAVE, D(2009, 9, 15)),
        ]
        (deadline,) = deadlines(acts, D(2009, 10, 1))
        assert (deadline.code, deadline.date) == ("earliest_eviction", D(2010, 3, 16))
        with_requisition = [*acts, act(EventKind.REQUISITION, D(2010, 3, 20))]
        (deadline,) = deadlines(with_requisition, D(2010, 4, 1))
        assert (deadline.code, deadline.date) == ("prefect_decision", D(2010, 5, 20))

    def test_truce_end_is_a_deadline_from_the_commandement_de_quitter_on(self):
        acts = [
            summons(D(2009, 6, 1), D(2009, 9, 1)),
            act(EventKind.JUDGMENT, D(2009, 9, 1), judgment_outcome=JudgmentOutcome.TERMINATION),
            act(EventKind.ORDER_TO_LEAVE, D(2009, 9, 15)),
            act(EventKind.REQUISITION, D(2009, 11, 20)),
            act(EventKind.ASSISTANCE_GRANTED, D(2009, 12, 10)),
        ]
        assert [(d.code, d.date) for d in deadlines(acts, D(2010, 1, 5))] == [("truce_end", D(2010, 3, 15))]

    def test_closed_file_has_no_deadline(self):
        acts = [act(EventKind.ORDER_TO_PAY, D(2010, 2, 15)), act(EventKind.DEBT_CLEARED, D(2010, 3, 1))]
        assert deadlines(acts, D(2010, 3, 2)) == []


def six_weeks(code):
    return LocalPractice(code, 42, "Charte de test", "plan-test") if code == "diagnosis_before_hearing_days" else None


class TestAlerts:
    def test_hearing_within_the_local_delay_without_diagnosis(self):
        acts = [summons(D(2010, 3, 1), D(2010, 6, 7), prefect_notified_on=D(2010, 3, 2))]
        assert alerts(acts, D(2010, 4, 25), practice=six_weeks) == []  # 43 days before the hearing
        (alert,) = alerts(acts, D(2010, 4, 26), practice=six_weeks)  # 42 days
        assert (alert.code, alert.level) == ("hearing_without_diagnosis", "warning")
        assert "Audience le 07/06/2010, dans 42 jour(s)" in alert.message
        assert "enquête financière et sociale non réalisée" in alert.message  # its name in 2010
        assert "Charte de test" in alert.message
        diagnosed = [*acts, act(EventKind.DIAGNOSIS_DONE, D(2010, 4, 1))]
        assert alerts(diagnosed, D(2010, 4, 26), practice=six_weeks) == []

    def test_no_local_delay_declared_no_alert(self):
        acts = [summons(D(2010, 3, 1), D(2010, 6, 7), prefect_notified_on=D(2010, 3, 2))]
        assert alerts(acts, D(2010, 6, 1)) == []

    @pytest.mark.parametrize(
        ("summons_day", "referral", "landlord", "alerted"),
        [
            (D(2014, 12, 31), None, LandlordKind.LEGAL_PERSON, False),  # before the loi ALUR's date
            (D(2015, 1, 1), None, LandlordKind.LEGAL_PERSON, True),
            (D(2015, 1, 1), None, LandlordKind.FAMILY_SCI, False),
            (D(2015, 1, 1), None, LandlordKind.NATURAL_PERSON, False),
            (D(2015, 3, 1), D(2015, 1, 1), LandlordKind.LEGAL_PERSON, True),  # delay ends 1 March
            (D(2015, 3, 2), D(2015, 1, 1), LandlordKind.LEGAL_PERSON, False),
        ],
    )
    def test_assignation_before_two_months_of_ccapex_is_irrecevable(self, summons_day, referral, landlord, alerted):
        acts = [summons(summons_day, summons_day + datetime.timedelta(days=120), prefect_notified_on=summons_day)]
        if referral:
            acts.append(act(EventKind.CCAPEX, referral))
        found = [
            a for a in alerts(acts, summons_day, landlord_kind=landlord) if a.code == "summons_before_ccapex_delay"
        ]
        assert bool(found) is alerted
        if found:
            assert found[0].level == "error"
            assert "irrecevable" in found[0].message
            assert "2014-366" in found[0].message

    def test_commandement_above_the_prefectoral_thresholds(self):
        threshold = CcapexThreshold(
            department=Department(code="72"),
            since=D(2016, 1, 1),
            months_of_arrears=4,
            rent_multiple=Decimal(3),
            source="Arrêté de test",
        )

        def in_force(day):
            return threshold if day >= threshold.since else None

        def found(acts, rent=Decimal(500)):
            return [
                a.code
                for a in alerts(acts, D(2016, 6, 1), monthly_rent=rent, ccapex_threshold=in_force)
                if a.code.startswith("ccapex")
            ]

        over = [act(EventKind.ORDER_TO_PAY, D(2016, 1, 1), amount=Decimal(1500))]
        assert found(over) == ["ccapex_signal_expected"]
        assert found([act(EventKind.ORDER_TO_PAY, D(2015, 12, 31), amount=Decimal(1500))]) == []  # no order yet
        assert found([act(EventKind.ORDER_TO_PAY, D(2016, 1, 1), amount=Decimal(1499))]) == []
        assert found(over, rent=None) == []
        # Four months of arrears since the first report reach the other threshold.
        by_months = [act(EventKind.UNPAID_REPORTED, D(2015, 9, 1)), act(EventKind.ORDER_TO_PAY, D(2016, 1, 1))]
        assert found(by_months) == ["ccapex_signal_expected"]
        assert found([act(EventKind.UNPAID_REPORTED, D(2015, 9, 2)), by_months[1]]) == []
        assert found([*over, act(EventKind.CCAPEX, D(2016, 1, 5))]) == []

    def test_signal_rule_starts_with_the_decree(self):
        threshold = CcapexThreshold(
            department=Department(code="72"), since=D(2015, 1, 1), months_of_arrears=3, rent_multiple=3, source="x"
        )
        acts = [act(EventKind.ORDER_TO_PAY, D(2015, 10, 31), amount=Decimal(9000))]
        assert alerts(acts, D(2015, 11, 2), monthly_rent=Decimal(500), ccapex_threshold=lambda d: threshold) == []
        acts = [act(EventKind.ORDER_TO_PAY, D(2015, 11, 1), amount=Decimal(9000))]
        (alert,) = alerts(acts, D(2015, 11, 2), monthly_rent=Decimal(500), ccapex_threshold=lambda d: threshold)
        assert "2015-1384" in alert.message

    def test_prefect_not_notified_in_time(self):
        acts = [summons(D(2010, 3, 1), D(2010, 6, 7))]
        assert [a.code for a in alerts(acts, D(2010, 4, 7))] == []
        (alert,) = alerts(acts, D(2010, 4, 8))
        assert alert.code == "prefect_not_notified"
        assert "au plus tard le 07/04/2010, 2 mois avant l'audience du 07/06/2010" in alert.message

    def test_prefect_notified_late(self):
        acts = [summons(D(2010, 3, 1), D(2010, 6, 7), prefect_notified_on=D(2010, 4, 20))]
        (alert,) = alerts(acts, D(2010, 4, 21))
        assert alert.code == "prefect_notified_late"
        assert "notifiée au préfet le 20/04/2010, après le 07/04/2010" in alert.message

    def test_six_weeks_notice_after_the_2023_law(self):
        # A diagnosis is done, so only the notice can raise an alert.
        acts = [summons(D(2024, 3, 1), D(2024, 8, 7)), act(EventKind.DIAGNOSIS_DONE, D(2024, 4, 2))]
        assert alerts(acts, D(2024, 6, 26)) == []  # deadline 26 June, 6 weeks before the hearing
        assert [a.code for a in alerts(acts, D(2024, 6, 27))] == ["prefect_not_notified"]

    def test_requisition_without_decision_past_two_months(self):
        acts = [
            summons(D(2009, 6, 1), D(2009, 9, 1), prefect_notified_on=D(2009, 6, 2)),
            act(EventKind.JUDGMENT, D(2009, 9, 1), judgment_outcome=JudgmentOutcome.TERMINATION),
            act(EventKind.ORDER_TO_LEAVE, D(2009, 9, 15)),
            act(EventKind.REQUISITION, D(2010, 4, 30)),
        ]
        assert alerts(acts, D(2010, 6, 30)) == []
        (alert,) = alerts(acts, D(2010, 7, 1))
        assert alert.code == "requisition_without_decision"
        assert "son silence vaut refus depuis le 30/06/2010" in alert.message
        assert "à partir du 01/07/2010" in alert.message

    def test_truce_alert(self):
        acts = [
            summons(D(2009, 6, 1), D(2009, 9, 1), prefect_notified_on=D(2009, 6, 2)),
            act(EventKind.JUDGMENT, D(2009, 9, 1), judgment_outcome=JudgmentOutcome.TERMINATION),
            act(EventKind.ORDER_TO_LEAVE, D(2009, 9, 15)),
        ]
        (alert,) = alerts(acts, D(2009, 12, 1))
        assert (alert.code, alert.level) == ("truce", "info")
        assert "du 01/11/2009 au 15/03/2010" in alert.message
        assert alerts(acts, D(2010, 3, 16)) == []


def test_overview_reads_saved_events(django_assert_num_queries):
    file = PreventionFileFactory()
    plan_with_local_practices(diagnosis_before_hearing_days=42)
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 2, 15))
    EventFactory(file=file, kind=EventKind.SUMMONS, date=D(2010, 5, 3), hearing_date=D(2010, 7, 5))
    with django_assert_num_queries(3):  # the events; for the pending hearing, the département and its plan
        result = overview(file, today=D(2010, 6, 1))
    assert result.state.stage == Stage.SUMMONS
    assert [d.code for d in result.deadlines] == ["prefect_notice", "hearing"]
    assert {a.code for a in result.alerts} == {"hearing_without_diagnosis", "prefect_not_notified"}
    assert [e.kind for e in result.events] == [EventKind.ORDER_TO_PAY, EventKind.SUMMONS]


class TestNewDeadlines:
    def test_unknown_lease_date_is_to_verify(self):
        (deadline,) = deadlines([act(EventKind.ORDER_TO_PAY, D(2023, 7, 29))], D(2023, 8, 1))
        assert deadline.date == D(2023, 9, 29)
        assert "date du bail à vérifier" in deadline.label
        (deadline,) = deadlines([act(EventKind.ORDER_TO_PAY, D(2023, 7, 28))], D(2023, 8, 1))
        assert "à vérifier" not in deadline.label
        (deadline,) = deadlines([act(EventKind.ORDER_TO_PAY, D(2023, 7, 29))], D(2023, 8, 1), D(2023, 7, 29))
        assert (deadline.date, "à vérifier" in deadline.label) == (D(2023, 9, 9), False)

    def test_diagnosis_delays_from_the_decree_of_2021(self):
        before = [summons(D(2021, 1, 6), D(2021, 3, 15)), act(EventKind.DIAGNOSIS_REQUESTED, D(2021, 1, 6))]
        assert {d.code for d in deadlines(before, D(2021, 1, 8))} == {"prefect_notice", "hearing"}
        after = [summons(D(2021, 1, 7), D(2021, 3, 15)), act(EventKind.DIAGNOSIS_REQUESTED, D(2021, 1, 7))]
        found = {d.code: d for d in deadlines(after, D(2021, 1, 8))}
        assert found["diagnosis_interview"].date == D(2021, 1, 28)
        assert found["diagnosis_transmission"].date == D(2021, 3, 8)
        assert "2021-8" in found["diagnosis_transmission"].source
        done = [*after, act(EventKind.DIAGNOSIS_DONE, D(2021, 2, 1))]
        assert {d.code for d in deadlines(done, D(2021, 2, 2))} == {"prefect_notice", "hearing"}


class TestTruceDeadlineIn2020:
    def test_the_truce_end_moves_with_the_extensions(self):
        acts = [
            summons(D(2019, 6, 1), D(2019, 9, 1), prefect_notified_on=D(2019, 6, 2)),
            act(EventKind.JUDGMENT, D(2019, 9, 1), judgment_outcome=JudgmentOutcome.TERMINATION),
            act(EventKind.ORDER_TO_LEAVE, D(2019, 9, 15)),
            act(EventKind.REQUISITION, D(2019, 11, 20)),
        ]
        ends = {
            day: [d.date for d in deadlines(acts, day) if d.code == "truce_end"]
            for day in (D(2020, 3, 25), D(2020, 6, 1))
        }
        assert ends == {D(2020, 3, 25): [D(2020, 3, 31)], D(2020, 6, 1): [D(2020, 7, 10)]}


def test_overview_reads_the_departments_ccapex_threshold_in_force():
    file = PreventionFileFactory(monthly_rent=Decimal(400))
    department = Department.objects.get(communes__households__files=file)
    CcapexThreshold.objects.create(
        department=department, since=D(2016, 1, 1), months_of_arrears=6, rent_multiple=Decimal(3), source="Arrêté A"
    )
    CcapexThreshold.objects.create(
        department=department, since=D(2018, 1, 1), months_of_arrears=6, rent_multiple=Decimal(5), source="Arrêté B"
    )
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2017, 6, 1), amount=Decimal(1500))
    (alert,) = overview(file, today=D(2017, 6, 2)).alerts
    assert alert.code == "ccapex_signal_expected" and "Arrêté A" in alert.message
    # A later order raised the threshold to five rents: the same debt no longer reaches it.
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2018, 6, 1), amount=Decimal(1500))
    assert overview(file, today=D(2018, 6, 2)).alerts == []


def test_a_threshold_outside_the_decree_bounds_is_refused():
    from django.db import IntegrityError, transaction

    department = Department.objects.create(code="53", name="Mayenne")
    with pytest.raises(IntegrityError), transaction.atomic():
        CcapexThreshold.objects.create(
            department=department, since=D(2016, 1, 1), months_of_arrears=2, rent_multiple=Decimal(3), source="x"
        )
