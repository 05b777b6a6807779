"""Alerts on a file: what an agent should act on now. Pure functions over the events, plus
`overview(file)` which reads a file's events once and returns state, deadlines and alerts
for the file page."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from toit.eviction import rules
from toit.eviction.enums import EventKind, LandlordKind, Stage
from toit.eviction.timeline import STAGE_RANK, FileState, acts_of, deadlines, ordered, state_of


@dataclass(frozen=True)
class Alert:
    code: str
    level: str  # "info", "warning" or "error", as the DSFR alert types
    message: str


def _last(acts, kind):
    found = [a for a in acts if a.kind == kind]
    return found[-1] if found else None


def _none(*args):
    return None


def alerts(acts, today, *, landlord_kind="", monthly_rent=None, practice=_none, ccapex_threshold=_none):
    """`practice(code)` gives the département's local practice (toit.plans.practices) and
    `ccapex_threshold(day)` its CCAPEX threshold in force on a day; both are called only
    when an alert depends on them, so a file that needs neither costs no query."""
    acts = ordered(acts)
    state = state_of(acts)
    if state.is_closed:
        return []
    found = []
    summons = _last(acts, EventKind.SUMMONS)
    pending_hearing = summons and not any(a.kind == EventKind.JUDGMENT and a.date >= summons.date for a in acts)
    if pending_hearing:
        found.extend(_hearing_alerts(acts, summons, today, practice))
    if summons and landlord_kind == LandlordKind.LEGAL_PERSON:
        found.extend(_ccapex_referral_alerts(acts, summons))
    order_to_pay = _last(acts, EventKind.ORDER_TO_PAY)
    if order_to_pay and rules.CCAPEX_SIGNAL.at(order_to_pay.date).value:
        found.extend(_ccapex_signal_alerts(acts, order_to_pay, monthly_rent, ccapex_threshold))
    requisition = _last(acts, EventKind.REQUISITION)
    if requisition and not any(
        a.kind in (EventKind.ASSISTANCE_GRANTED, EventKind.ASSISTANCE_REFUSED) and a.date >= requisition.date
        for a in acts
    ):
        expiry = rules.prefect_decision_expiry(requisition.date)
        if expiry < today:
            found.append(
                Alert(
                    "requisition_without_decision",
                    "error",
                    f"Aucune décision du préfet sur {requisition.describe()} depuis plus de deux mois : "
                    "son silence vaut "
                    f"refus depuis le {expiry:%d/%m/%Y} et la responsabilité de l'État est engagée à partir du "
                    f"{expiry + datetime.timedelta(days=1):%d/%m/%Y} "
                    f"({rules.PREFECT_DECISION_DELAY.at(requisition.date).source}).",
                )
            )
    if STAGE_RANK[state.stage] >= STAGE_RANK[Stage.ORDER_TO_LEAVE] and rules.in_truce(today):
        start, end = rules.truce_window(today)
        found.append(
            Alert(
                "truce",
                "info",
                f"Trêve hivernale du {start:%d/%m/%Y} au {end:%d/%m/%Y} : aucune expulsion ne peut être exécutée "
                f"({rules.truce_source(today)}).",
            )
        )
    return found


def _ccapex_referral_alerts(acts, summons):
    """Loi ALUR: a legal-person landlord (other than a family SCI) assigning less than two
    months after referring the tenant to the CCAPEX sees its claim declared irrecevable."""
    rule = rules.CCAPEX_BEFORE_SUMMONS.at(summons.date)
    if rule.value is None:
        return []
    referrals = [a for a in acts if a.kind == EventKind.CCAPEX and a.date <= summons.date]
    if referrals:
        earliest = rules.earliest_summons_after_ccapex(referrals[0].date, summons.date)
        if summons.date >= earliest:
            return []
        detail = (
            f"la CCAPEX n'a été saisie que le {referrals[0].date:%d/%m/%Y} : l'assignation était possible à partir du "
            f"{earliest:%d/%m/%Y}"
        )
    else:
        detail = "aucune saisine de la CCAPEX n'est enregistrée avant elle"
    return [
        Alert(
            "summons_before_ccapex_delay",
            "error",
            f"{summons.describe()[:1].upper()}{summons.describe()[1:]} est délivrée par un bailleur personne morale "
            f"(hors SCI familiale) et {detail} ({rule.value} après la saisine, {rule.source}) : la demande du "
            "bailleur est irrecevable.",
        )
    ]


def _months_between(start, end):
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def _ccapex_signal_alerts(acts, order_to_pay, monthly_rent, ccapex_threshold):
    """Décret n° 2015-1384: above the thresholds of the prefectoral order, the commissaire
    de justice signals the commandement de payer to the CCAPEX."""
    if any(a.kind == EventKind.CCAPEX and a.date >= order_to_pay.date for a in acts):
        return []
    threshold = ccapex_threshold(order_to_pay.date)
    if threshold is None:
        return []
    reports = [a for a in acts if a.kind == EventKind.UNPAID_REPORTED and a.date <= order_to_pay.date]
    months = _months_between(reports[0].date, order_to_pay.date) if reports else None
    if not threshold.is_reached(order_to_pay.amount, monthly_rent, months):
        return []
    rule = rules.CCAPEX_SIGNAL.at(order_to_pay.date)
    return [
        Alert(
            "ccapex_signal_expected",
            "warning",
            f"{order_to_pay.describe()[:1].upper()}{order_to_pay.describe()[1:]} atteint les seuils de l'arrêté "
            f"préfectoral ({threshold.months_of_arrears} mois d'impayés ou une dette de {threshold.rent_multiple} fois "
            f"le loyer ; {threshold.source}) : le commissaire de justice le signale à la CCAPEX ({rule.source}). "
            "Aucun signalement à la CCAPEX n'est enregistré depuis.",
        )
    ]


def _hearing_alerts(acts, summons, today, practice):
    found = []
    hearing = summons.hearing_date
    diagnosed = any(a.kind == EventKind.DIAGNOSIS_DONE and a.date >= summons.date for a in acts)
    if today <= hearing and not diagnosed:
        local = practice("diagnosis_before_hearing_days")
        if local is not None and hearing <= today + datetime.timedelta(days=local.days):
            label = rules.diagnosis_label(summons.date)
            found.append(
                Alert(
                    "hearing_without_diagnosis",
                    "warning",
                    f"Audience le {hearing:%d/%m/%Y}, dans {(hearing - today).days} jour(s) : {label} non "
                    f"réalisé{'e' if label.startswith('enquête') else ''} depuis {summons.describe()} (pratique "
                    f"locale : alerte à {local.days} jours de "
                    f"l'audience ; {local.source}).",
                )
            )
    deadline = rules.prefect_notice_deadline(summons.date, hearing)
    rule = rules.PREFECT_NOTICE.at(summons.date)
    notified = summons.prefect_notified_on
    if notified is None and deadline < today:
        found.append(
            Alert(
                "prefect_not_notified",
                "error",
                f"{summons.describe()[:1].upper()}{summons.describe()[1:]} n'a pas été notifiée au préfet au plus tard "
                f"le {deadline:%d/%m/%Y}, {rule.value} avant l'audience du {hearing:%d/%m/%Y} ({rule.source}) : "
                "la demande du bailleur est exposée à l'irrecevabilité.",
            )
        )
    elif notified is not None and notified > deadline:
        found.append(
            Alert(
                "prefect_notified_late",
                "error",
                f"{summons.describe()[:1].upper()}{summons.describe()[1:]} a été notifiée au préfet le "
                f"{notified:%d/%m/%Y}, après le {deadline:%d/%m/%Y} ({rule.value} avant l'audience du "
                f"{hearing:%d/%m/%Y}, {rule.source}) : la demande du bailleur est exposée à l'irrecevabilité.",
            )
        )
    return found


@dataclass(frozen=True)
class Overview:
    state: FileState
    deadlines: list
    alerts: list
    events: list


def overview(file, today=None):
    """State, deadlines and alerts of a file, from one query on its events."""
    today = today or timezone.localdate()
    events = list(file.events.timeline())
    acts = acts_of(events)
    department = _DepartmentOf(file)
    return Overview(
        state=state_of(acts),
        deadlines=deadlines(acts, today, file.lease_signed_on),
        alerts=alerts(
            acts,
            today,
            landlord_kind=file.landlord_kind,
            monthly_rent=file.monthly_rent,
            practice=lambda code: department.practice(code, today),
            ccapex_threshold=department.ccapex_threshold,
        ),
        events=events,
    )


class _DepartmentOf:
    """The département of a file (its household's commune), read only when an alert needs
    one of its settings."""

    def __init__(self, file):
        self.file = file

    def code(self):
        if not hasattr(self, "_code"):
            from toit.territory.models import Department

            self._code = (
                Department.objects.filter(communes__households__files=self.file.pk)
                .values_list("code", flat=True)
                .first()
            )
        return self._code

    def practice(self, code, today):
        from toit.plans.practices import local_practice

        department = self.code()
        return local_practice(department, code, today) if department else None

    def ccapex_threshold(self, day):
        from toit.eviction.models import CcapexThreshold

        department = self.code()
        return CcapexThreshold.objects.in_force(department, day) if department else None


def state_for(file):
    return state_of(acts_of(file.events.all()))


def deadlines_for(file, today=None):
    return overview(file, today).deadlines


def alerts_for(file, today=None):
    return overview(file, today).alerts
