"""How messages name events: « l'assignation du 03/02/2010 »."""

from toit.eviction.enums import EventKind

_ELIDED = {
    EventKind.UNPAID_REPORTED,
    EventKind.SUMMONS,
    EventKind.EVICTION,
    EventKind.COMPENSATION,
    EventKind.OCCUPATION_INDEMNITY,
    EventKind.RECOURSE,
}
_FEMININE = {
    EventKind.CCAPEX,
    EventKind.REQUISITION,
    EventKind.DEBT_REMISSION,
    EventKind.DEBT_CLEARED,
}


def label(kind):
    return EventKind(kind).label[0].lower() + EventKind(kind).label[1:]


def with_article(kind):
    kind = EventKind(kind)
    if kind in _ELIDED:
        return f"l'{label(kind)}"
    return f"{'la' if kind in _FEMININE else 'le'} {label(kind)}"


def describe_act(kind, day):
    return f"{with_article(kind)} du {day:%d/%m/%Y}"
