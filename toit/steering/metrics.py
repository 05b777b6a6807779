"""Metrics of sheets 4A and 4C: how often the plan's committees meet, how many studies
they order from the observatory. Both belong to the département as a whole: those of the plans
of the scope's département (one instance hosts several, issue 14)."""

from django.apps import apps

from toit.metrics.enums import Unit
from toit.metrics.registry import MetricError, register
from toit.steering.enums import CommitteeKind
from toit.steering.models import Meeting, StudyOrder
from toit.territory.scopes import ScopeKind

_COMMITTEES = " | ".join(CommitteeKind.values)


@register(
    "steering.meetings_held",
    label="Réunions tenues par les instances du plan",
    unit=Unit.COUNT,
    description="Réunions du comité responsable et du comité technique tenues dans la période (date passée). "
    "Fiche 4A : régularité des rencontres.",
    params={"committee": f"{_COMMITTEES} (défaut : les deux)"},
)
def meetings_held(period, scope, committee=""):
    meetings = Meeting.objects.held_in(period).filter(plan__department_code=scope.department)
    if committee:
        if committee not in CommitteeKind.values:
            raise MetricError(f"Instance « {committee} » inconnue ; attendu : {_COMMITTEES}.")
        meetings = meetings.filter(committee=committee)
    return meetings.count()


meetings_held.scope_kinds = {ScopeKind.DEPARTMENT}


@register(
    "steering.observatory_orders",
    label="Commandes d'étude passées à l'observatoire",
    unit=Unit.COUNT,
    description="Commandes d'étude passées à l'observatoire dans la période (date de commande), quel qu'en "
    "soit l'état. Fiches 4A et 4C.",
)
def observatory_orders(period, scope):
    return StudyOrder.objects.placed_in(period).filter(plan__department_code=scope.department).count()


observatory_orders.scope_kinds = {ScopeKind.DEPARTMENT}


def _data_version():
    from toit.observatory.versions import table_fingerprint

    return table_fingerprint(Meeting.objects, StudyOrder.objects)


if apps.is_installed("toit.observatory"):
    from toit.observatory.versions import register_data_version

    register_data_version("steering", _data_version)
