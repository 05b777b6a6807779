"""Which acts may follow which: pure functions over a file's events, used by add_event to
refuse an event that the procedure makes impossible. Each violation names the event and
the one it conflicts with, in French, for the form that submitted it.

Only what the procedure forbids is refused; for instance an assignation without a
commandement de payer is allowed (some leases have no clause résolutoire).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from toit.eviction import rules
from toit.eviction.enums import EventKind, JudgmentOutcome
from toit.eviction.wording import describe_act

NEW = "new"


@dataclass(frozen=True)
class Act:
    """What the rules need of an event, saved (key = pk) or proposed (key = NEW)."""

    kind: str
    date: datetime.date
    key: object = NEW
    hearing_date: datetime.date | None = None
    prefect_notified_on: datetime.date | None = None
    judgment_outcome: str = ""
    truce_ground: str = ""
    amount: object = None

    @classmethod
    def from_event(cls, event, key=None):
        return cls(
            kind=event.kind,
            date=event.date,
            key=key if key is not None else event.pk,
            hearing_date=event.hearing_date,
            prefect_notified_on=event.prefect_notified_on,
            judgment_outcome=event.judgment_outcome or "",
            truce_ground=getattr(event, "truce_ground", "") or "",
            amount=getattr(event, "amount", None),
        )

    def describe(self):
        return describe_act(self.kind, self.date)


@dataclass(frozen=True)
class Violation:
    code: str
    act: Act
    message: str
    conflicting: Act | None = None
    field: str = field(default="date")

    @property
    def identity(self):
        return (self.code, self.act.key)


def _cap(act):
    text = act.describe()
    return text[:1].upper() + text[1:]


def _before(acts, kind, day, *, strictly=False):
    return [a for a in acts if a.kind == kind and (a.date < day if strictly else a.date <= day)]


def _after(acts, kind, day):
    return sorted((a for a in acts if a.kind == kind and a.date > day), key=lambda a: a.date)


def _missing(act, acts, kind, code, what, hint):
    """Violation when no act of `kind` precedes `act`; names a later one if there is."""
    if _before(acts, kind, act.date):
        return None
    later = _after(acts, kind, act.date)
    if later:
        message = f"{_cap(act)} ne peut pas précéder {later[0].describe()} : {what}. Vérifiez les deux dates."
        return Violation(code, act, message, later[0])
    return Violation(code, act, f"{_cap(act)} ne peut pas être enregistré{_e(act)} : {what}. {hint}")


def _e(act):
    # Agreement of « enregistré » with the event's noun.
    feminine = {
        EventKind.SUMMONS,
        EventKind.REQUISITION,
        EventKind.EVICTION,
        EventKind.COMPENSATION,
        EventKind.OCCUPATION_INDEMNITY,
        EventKind.RECOURSE,
        EventKind.DEBT_REMISSION,
        EventKind.CCAPEX,
        EventKind.DEBT_CLEARED,
    }
    return "e" if act.kind in feminine else ""


def _judgment(act, acts):
    return _missing(
        act,
        acts,
        EventKind.SUMMONS,
        "judgment_without_summons",
        "un jugement suppose une assignation enregistrée à cette date ou avant",
        "Enregistrez d'abord l'assignation.",
    )


def _order_to_leave(act, acts):
    judgments = [
        a for a in _before(acts, EventKind.JUDGMENT, act.date) if a.judgment_outcome != JudgmentOutcome.DISMISSED
    ]
    if judgments:
        return None
    dismissed = _before(acts, EventKind.JUDGMENT, act.date)
    if dismissed:
        return Violation(
            "order_to_leave_after_dismissal",
            act,
            f"{_cap(act)} ne peut pas suivre {dismissed[-1].describe()}, qui a rejeté la demande "
            "du bailleur : il faut un jugement prononçant ou constatant la résiliation du bail.",
            dismissed[-1],
        )
    return _missing(
        act,
        acts,
        EventKind.JUDGMENT,
        "order_to_leave_without_judgment",
        "un commandement de quitter les lieux suppose un jugement d'expulsion",
        "Enregistrez d'abord le jugement.",
    )


def _requisition(act, acts):
    return _missing(
        act,
        acts,
        EventKind.ORDER_TO_LEAVE,
        "requisition_without_order_to_leave",
        "la force publique n'est requise qu'après un commandement de quitter les lieux",
        "Enregistrez d'abord le commandement de quitter les lieux.",
    )


def _assistance(act, acts):
    return _missing(
        act,
        acts,
        EventKind.ORDER_TO_LEAVE,
        "assistance_without_order_to_leave",
        "le préfet ne se prononce sur le concours de la force publique qu'après un commandement de quitter les lieux",
        "Enregistrez d'abord le commandement de quitter les lieux.",
    ) or _missing(
        act,
        acts,
        EventKind.REQUISITION,
        "assistance_without_requisition",
        "le préfet se prononce sur une réquisition du concours de la force publique",
        "Enregistrez d'abord la réquisition.",
    )


def _eviction(act, acts):
    in_truce = rules.in_truce(act.date)
    if in_truce and not act.truce_ground:
        start, end = rules.truce_window(act.date)
        exceptions = " ; ou ".join(rules.TRUCE_EXCEPTIONS.values())
        return Violation(
            "eviction_during_truce",
            act,
            f"{_cap(act)} tombe pendant la trêve hivernale (du {start:%d/%m/%Y} au {end:%d/%m/%Y}, "
            f"{rules.truce_source(act.date)}) : elle n'est possible que si {exceptions}. "
            "Indiquez ce motif, ou vérifiez la date.",
            field="truce_ground",
        )
    if act.truce_ground and not in_truce:
        return Violation(
            "truce_ground_outside_truce",
            act,
            f"{_cap(act)} n'a pas lieu pendant la trêve hivernale : le motif d'exécution pendant la trêve ne "
            "s'applique pas. Laissez-le vide.",
            field="truce_ground",
        )
    missing = _missing(
        act,
        acts,
        EventKind.ORDER_TO_LEAVE,
        "eviction_without_order_to_leave",
        "une expulsion suppose un commandement de quitter les lieux",
        "Enregistrez d'abord le commandement de quitter les lieux.",
    )
    if missing:
        return missing
    order = max(_before(acts, EventKind.ORDER_TO_LEAVE, act.date), key=lambda a: a.date)
    expiry = rules.order_to_leave_expiry(order.date)
    if act.date <= expiry:
        return Violation(
            "eviction_before_delay",
            act,
            f"{_cap(act)} précède la fin du délai de deux mois qui suit {order.describe()} "
            f"({rules.ORDER_TO_LEAVE_DELAY.at(order.date).source}) : l'expulsion est possible à partir du "
            f"{expiry + datetime.timedelta(days=1):%d/%m/%Y}.",
            order,
        )
    return None


def _compensation(act, acts):
    """The State compensates the landlord once it has refused the concours, expressly or by
    two months' silence after the réquisition."""
    if _before(acts, EventKind.ASSISTANCE_REFUSED, act.date):
        return None
    requisitions = sorted(_before(acts, EventKind.REQUISITION, act.date), key=lambda a: a.date)
    for requisition in requisitions:
        expiry = rules.prefect_decision_expiry(requisition.date)
        granted = [a for a in acts if a.kind == EventKind.ASSISTANCE_GRANTED and requisition.date <= a.date <= expiry]
        if expiry < act.date and not granted:
            return None
    if not requisitions:
        return Violation(
            "compensation_without_refusal",
            act,
            f"{_cap(act)} ne peut pas être enregistrée : l'État n'indemnise le bailleur qu'après "
            "un refus du concours de la force publique, et aucun refus ni aucune réquisition n'est enregistré "
            "à cette date ou avant.",
        )
    requisition = requisitions[-1]
    expiry = rules.prefect_decision_expiry(requisition.date)
    granted = [a for a in acts if a.kind == EventKind.ASSISTANCE_GRANTED and requisition.date <= a.date <= expiry]
    if granted:
        return Violation(
            "compensation_after_grant",
            act,
            f"{_cap(act)} ne peut pas être enregistrée : {granted[0].describe()} a répondu à "
            f"{requisition.describe()}, et aucun refus n'est enregistré.",
            granted[0],
        )
    return Violation(
        "compensation_before_prefect_delay",
        act,
        f"{_cap(act)} ne peut pas être enregistrée : aucun refus du concours n'est enregistré et "
        f"le délai de deux mois laissé au préfet après {requisition.describe()} court jusqu'au {expiry:%d/%m/%Y} "
        f"({rules.PREFECT_DECISION_DELAY.at(requisition.date).source}). L'indemnisation est possible à partir du "
        f"{expiry + datetime.timedelta(days=1):%d/%m/%Y}, ou après un refus exprès.",
        requisition,
    )


def _recourse(act, acts):
    return _missing(
        act,
        acts,
        EventKind.COMPENSATION,
        "recourse_without_compensation",
        "l'État n'exerce l'action récursoire qu'après avoir indemnisé le bailleur",
        "Enregistrez d'abord l'indemnisation du bailleur.",
    )


RULES = {
    EventKind.JUDGMENT: _judgment,
    EventKind.ORDER_TO_LEAVE: _order_to_leave,
    EventKind.REQUISITION: _requisition,
    EventKind.ASSISTANCE_GRANTED: _assistance,
    EventKind.ASSISTANCE_REFUSED: _assistance,
    EventKind.EVICTION: _eviction,
    EventKind.COMPENSATION: _compensation,
    EventKind.OCCUPATION_INDEMNITY: _compensation,
    EventKind.RECOURSE: _recourse,
}


def violations(acts):
    """Every violation of the procedure's order in a timeline."""
    acts = list(acts)
    found = []
    for act in acts:
        rule = RULES.get(act.kind)
        if rule is None:
            continue
        others = [a for a in acts if a is not act]
        if (violation := rule(act, others)) is not None:
            found.append(violation)
    return found


def check_new_act(existing, new, today):
    """Raise a ValidationError (keyed by form field) when `new` cannot join `existing`:
    a date in the future, or an order the procedure forbids, for the new act or for an
    existing act that the new one would contradict."""
    errors = {}
    if new.date > today:
        errors.setdefault("date", []).append(
            f"{_cap(new)} est dans le futur : un événement s'enregistre une fois survenu."
        )
    if new.prefect_notified_on and new.prefect_notified_on > today:
        errors.setdefault("prefect_notified_on", []).append(
            f"La notification au préfet du {new.prefect_notified_on:%d/%m/%Y} est dans le futur : enregistrez-la une "
            "fois faite."
        )
    existing = list(existing)
    before = {v.identity for v in violations(existing)}
    for violation in violations([*existing, new]):
        if violation.identity in before:
            continue
        message = violation.message
        if violation.act is not new:
            message = f"Enregistrer {new.describe()} contredirait un événement du dossier : {message}"
        errors.setdefault(violation.field, []).append(message)
    if errors:
        raise ValidationError(errors)


def check_removal(existing, removed_key):
    """Raise a ValidationError when taking the act `removed_key` out of `existing` would
    leave another act the procedure forbids (a judgment without its assignation…)."""
    existing = list(existing)
    removed = next(a for a in existing if a.key == removed_key)
    remaining = [a for a in existing if a.key != removed_key]
    before = {v.identity for v in violations(existing)}
    errors = [
        f"Annuler {removed.describe()} contredirait un autre événement du dossier : {v.message}"
        for v in violations(remaining)
        if v.identity not in before
    ]
    if errors:
        raise ValidationError(errors)
