"""Metric of sheet 4B: the follow-up data sent to the members of the comité responsable,
counted as the reports the observatory publishes (toit.observatory.reports.publish)."""

from django.db.models.functions import TruncDate

from toit.metrics.enums import Unit
from toit.metrics.registry import register
from toit.observatory.models import PublishedReport
from toit.observatory.versions import register_data_version, table_fingerprint
from toit.territory.scopes import ScopeKind


@register(
    "observatory.reports_published",
    label="Rapports de suivi publiés",
    unit=Unit.COUNT,
    description="Rapports de suivi (trimestriels et annuels) du plan du département publiés dans la période "
    "(date de première publication ; une nouvelle version d'un même rapport ne compte pas). Fiche 4B : données "
    "trimestriellement et annuellement envoyées aux membres du Comité responsable.",
)
def reports_published(period, scope):
    return (
        PublishedReport.objects.filter(plan__department_code=scope.department, version=1)
        .annotate(day=TruncDate("published_at"))
        .filter(day__gte=period.start, day__lte=period.end)
        .count()
    )


reports_published.scope_kinds = {ScopeKind.DEPARTMENT}


def _data_version():

    return table_fingerprint(PublishedReport.objects, updated_field="published_at")


register_data_version("observatory", _data_version)
