"""Alerts on a file: what an agent should act on now. Pure functions over the events, plus
`overview(file)` which reads a file's events once and returns state, deadlines and alerts
for the file page."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from toit.eviction import rules
from toit.eviction.enums import EventKind, Stage
from toit.eviction.timeline import STAGE_RANK, FileState, acts_of, deadlines, ordered, state_of


@dataclass(frozen=True)
class Alert:
    code: str
    level: str  # "info", "warning" or "error", as the DSFR alert types
    message: str


def _last(acts, kind):
    found = [a for a in acts if a.kind == kind]
    return found[-1] if found else None


def alerts(acts, today):
    acts = ordered(acts)
    state = state_of(acts)
    if state.is_closed:
        return []
    found = []
    summons = _last(acts, EventKind.SUMMONS)
    pending_hearing = summons and not any(a.kind == EventKind.JUDGMENT and a.date >= summons.date for a in acts)
    if pending_hearing:
        found.extend(_hearing_alerts(acts, summons, today))
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


def _hearing_alerts(acts, summons, today):
    found = []
    hearing = summons.hearing_date
    horizon = today + datetime.timedelta(weeks=rules.DIAGNOSIS_BEFORE_HEARING.weeks)
    diagnosed = any(a.kind == EventKind.DIAGNOSIS_DONE and a.date >= summons.date for a in acts)
    if today <= hearing <= horizon and not diagnosed:
        found.append(
            Alert(
                "hearing_without_diagnosis",
                "warning",
                f"Audience le {hearing:%d/%m/%Y}, dans {(hearing - today).days} jour(s) : aucun diagnostic social et "
                f"financier n'a été réalisé depuis {summons.describe()}.",
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
    return Overview(
        state=state_of(acts),
        deadlines=deadlines(acts, today, file.lease_signed_on),
        alerts=alerts(acts, today),
        events=events,
    )


def state_for(file):
    return state_of(acts_of(file.events.all()))


def deadlines_for(file, today=None):
    return overview(file, today).deadlines


def alerts_for(file, today=None):
    return overview(file, today).alerts
