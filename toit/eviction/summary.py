"""What a file's page shows first: its stage, the current debt, the next legal deadline,
the next action and the named référent of each participating organisation. Computed from
what the page has already read (the overview of its events, its participants) plus one
query for the référents."""

from dataclasses import dataclass

from toit.eviction.enums import DEBT_KINDS_FOR_SUMMARY
from toit.eviction.models import FileReferent


@dataclass
class ReferentLine:
    organisation: object
    referent: object  # a user, or None


@dataclass
class FileSummary:
    state: object
    debt: object  # the last event stating the debt, or None
    next_deadline: object
    next_action: str
    referents: list


def file_summary(file, overview, participants, today):
    debt = next((e for e in reversed(overview.events) if e.kind in DEBT_KINDS_FOR_SUMMARY and e.amount), None)
    upcoming = [d for d in overview.deadlines if d.date >= today]
    if overview.alerts:
        action = overview.alerts[0].message
    elif upcoming:
        action = f"Préparer : {upcoming[0].label[:1].lower()}{upcoming[0].label[1:]} ({upcoming[0].date:%d/%m/%Y})."
    else:
        action = "Aucune action attendue par la procédure."
    named = {
        r.organisation_id: r.user for r in FileReferent.objects.filter(file=file).select_related("user").order_by("pk")
    }
    organisations = []
    for participant in participants:
        if participant.organisation not in organisations:
            organisations.append(participant.organisation)
    lines = [ReferentLine(o, named.get(o.pk)) for o in organisations]
    return FileSummary(overview.state, debt, upcoming[0] if upcoming else None, action, lines)
