"""A file's stage and next deadlines, derived from its events by pure functions: nothing
here is stored, so a corrected event corrects everything that depends on it.

Functions take `Act`s (toit.eviction.chronology), built from saved events or not, which
keeps them testable without a database.
"""

import datetime
from dataclasses import dataclass

from toit.eviction import rules
from toit.eviction.chronology import Act
from toit.eviction.enums import CLOSING_KINDS, EventKind, JudgmentOutcome, Stage

# Procedural order of kinds, to sort acts of the same day.
KIND_ORDER = {
    kind: position
    for position, kind in enumerate(
        [
            EventKind.UNPAID_REPORTED,
            EventKind.ORDER_TO_PAY,
            EventKind.CCAPEX,
            EventKind.SUMMONS,
            EventKind.DIAGNOSIS_REQUESTED,
            EventKind.DIAGNOSIS_DONE,
            EventKind.JUDGMENT,
            EventKind.ORDER_TO_LEAVE,
            EventKind.REQUISITION,
            EventKind.ASSISTANCE_GRANTED,
            EventKind.ASSISTANCE_REFUSED,
            EventKind.EVICTION,
            EventKind.COMPENSATION,
            EventKind.OCCUPATION_INDEMNITY,
            EventKind.DEBT_REMISSION,
            EventKind.RECOURSE,
            EventKind.NEW_LEASE,
            EventKind.PROTOCOL,
            EventKind.DEBT_CLEARED,
            EventKind.STAYS,
            EventKind.REHOUSED,
            EventKind.LEFT,
        ]
    )
}
# The stage each procedural act leads to, with its rank (a later, lower-ranked act such as
# a new report during the procedure does not move the file back).
STAGE_OF_KIND = {
    EventKind.UNPAID_REPORTED: Stage.UNPAID,
    EventKind.ORDER_TO_PAY: Stage.ORDER_TO_PAY,
    EventKind.SUMMONS: Stage.SUMMONS,
    EventKind.JUDGMENT: Stage.JUDGMENT,
    EventKind.ORDER_TO_LEAVE: Stage.ORDER_TO_LEAVE,
    EventKind.REQUISITION: Stage.REQUISITION,
    EventKind.ASSISTANCE_GRANTED: Stage.ASSISTANCE_GRANTED,
    EventKind.ASSISTANCE_REFUSED: Stage.ASSISTANCE_REFUSED,
}
STAGE_RANK = {
    Stage.OPENED: 0,
    Stage.UNPAID: 1,
    Stage.ORDER_TO_PAY: 2,
    Stage.SUMMONS: 3,
    Stage.JUDGMENT: 4,
    Stage.ORDER_TO_LEAVE: 5,
    Stage.REQUISITION: 6,
    # A decision replaces the other: a refusal may be followed by a grant and conversely.
    Stage.ASSISTANCE_GRANTED: 7,
    Stage.ASSISTANCE_REFUSED: 7,
    Stage.CLOSED: 8,
}


def ordered(acts):
    return sorted(acts, key=lambda a: (a.date, KIND_ORDER.get(a.kind, 99), str(a.key)))


@dataclass(frozen=True)
class FileState:
    stage: Stage
    since: datetime.date | None
    outcome: EventKind | None = None  # the closing event, when closed
    judgment_outcome: JudgmentOutcome | None = None  # of the last judgment

    @property
    def is_closed(self):
        return self.stage == Stage.CLOSED

    @property
    def label(self):
        if self.is_closed and self.outcome:
            return f"{Stage.CLOSED.label} : {EventKind(self.outcome).label.lower()}"
        if self.stage == Stage.JUDGMENT and self.judgment_outcome:
            return f"{Stage.JUDGMENT.label} : {JudgmentOutcome(self.judgment_outcome).label.lower()}"
        return Stage(self.stage).label


def state_of(acts):
    stage, since, outcome, judgment = Stage.OPENED, None, None, None
    for act in ordered(acts):
        if act.kind == EventKind.JUDGMENT:
            judgment = JudgmentOutcome(act.judgment_outcome) if act.judgment_outcome else None
        if act.kind in CLOSING_KINDS:
            stage, since, outcome = Stage.CLOSED, act.date, EventKind(act.kind)
            continue
        new = STAGE_OF_KIND.get(act.kind)
        if new is None:
            continue
        # After a closing event, any procedural act reopens the file at its own stage.
        if stage == Stage.CLOSED or STAGE_RANK[new] >= STAGE_RANK[stage]:
            stage, since, outcome = new, act.date, None
    return FileState(stage, since, outcome, judgment)


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    date: datetime.date
    source: str = ""

    def is_past(self, today):
        return self.date < today


def _last(acts, kind):
    found = [a for a in acts if a.kind == kind]
    return found[-1] if found else None


def _any_after(acts, kinds, day):
    return any(a.kind in kinds and a.date >= day for a in acts)


def deadlines(acts, today, lease_signed_on=None):
    """The dates that matter next for an open file, soonest first."""
    acts = ordered(acts)
    state = state_of(acts)
    if state.is_closed:
        return []
    found = []
    order_to_pay = _last(acts, EventKind.ORDER_TO_PAY)
    if order_to_pay and not _any_after(acts, {EventKind.SUMMONS}, order_to_pay.date):
        rule = rules.time_to_pay(order_to_pay.date, lease_signed_on)
        to_verify = rules.lease_date_to_verify(order_to_pay.date, lease_signed_on)
        found.append(
            Deadline(
                "time_to_pay",
                f"Fin du délai de paiement ({rule.value}) ouvert par {order_to_pay.describe()}"
                + (
                    f" — {rules.LEASE_DATE_TO_VERIFY} (6 semaines pour un bail signé depuis le 29/07/2023)"
                    if to_verify
                    else ""
                ),
                rules.time_to_pay_expiry(order_to_pay.date, lease_signed_on),
                rule.source,
            )
        )
    summons = _last(acts, EventKind.SUMMONS)
    if summons and not _any_after(acts, {EventKind.JUDGMENT}, summons.date):
        if summons.prefect_notified_on is None:
            found.append(
                Deadline(
                    "prefect_notice",
                    f"Notification au préfet de {summons.describe()}, au plus tard",
                    rules.prefect_notice_deadline(summons.date, summons.hearing_date),
                    rules.PREFECT_NOTICE.at(summons.date).source,
                )
            )
        if summons.hearing_date >= today:
            found.append(Deadline("hearing", f"Audience ({summons.describe()})", summons.hearing_date))
        transmission = rules.diagnosis_transmission_deadline(summons.date, summons.hearing_date)
        if transmission is not None and not _any_after(acts, {EventKind.DIAGNOSIS_DONE}, summons.date):
            rule = rules.diagnosis_rule(summons.date)
            found.append(
                Deadline(
                    "diagnosis_transmission",
                    f"Transmission du {rule.value.label} au juge et à la CCAPEX, au plus tard "
                    f"({rule.value.sent_before_hearing} avant l'audience du {summons.hearing_date:%d/%m/%Y})",
                    transmission,
                    rule.source,
                )
            )
    referral = _last(acts, EventKind.DIAGNOSIS_REQUESTED)
    if referral and not _any_after(acts, {EventKind.DIAGNOSIS_DONE}, referral.date):
        interview = rules.diagnosis_interview_deadline(referral.date)
        if interview is not None:
            rule = rules.diagnosis_rule(referral.date)
            found.append(
                Deadline(
                    "diagnosis_interview",
                    f"Entretien à proposer au ménage pour le {rule.value.label} "
                    f"({rule.value.interview_after_referral} après la saisine du {referral.date:%d/%m/%Y})",
                    interview,
                    rule.source,
                )
            )
    order_to_leave = _last(acts, EventKind.ORDER_TO_LEAVE)
    if order_to_leave and not _any_after(acts, {EventKind.REQUISITION, EventKind.EVICTION}, order_to_leave.date):
        found.append(
            Deadline(
                "earliest_eviction",
                f"Expulsion possible à partir de ce jour ({order_to_leave.describe()}, trêve hivernale comprise)",
                rules.earliest_eviction(order_to_leave.date),
                rules.ORDER_TO_LEAVE_DELAY.at(order_to_leave.date).source,
            )
        )
    requisition = _last(acts, EventKind.REQUISITION)
    if requisition and not _any_after(
        acts, {EventKind.ASSISTANCE_GRANTED, EventKind.ASSISTANCE_REFUSED}, requisition.date
    ):
        found.append(
            Deadline(
                "prefect_decision",
                f"Décision du préfet sur {requisition.describe()} ; passé ce jour, son silence vaut refus",
                rules.prefect_decision_expiry(requisition.date),
                rules.PREFECT_DECISION_DELAY.at(requisition.date).source,
            )
        )
    if STAGE_RANK[state.stage] >= STAGE_RANK[Stage.ORDER_TO_LEAVE] and rules.in_truce(today):
        found.append(
            Deadline("truce_end", "Fin de la trêve hivernale", rules.truce_window(today)[1], rules.truce_source(today))
        )
    return sorted(found, key=lambda d: d.date)


def acts_of(events):
    return [Act.from_event(e) for e in events]
