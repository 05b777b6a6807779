"""Recording priority-access records: one function per kind of record, run in a
transaction with an explicit acting user and organisation (the holder of the file)."""

from django.core.exceptions import ValidationError

from toit.priority_access import access
from toit.priority_access.models import HousingDemand


def record_demand(user, organisation, *, commune, communes_wished=(), **fields):
    """A row of the social housing demand register's extract, held by `organisation`. The
    département is the commune's: a demand names the commune where the household lives."""
    access.require_may_record_for(user, organisation)
    if commune is None:
        raise ValidationError({"commune": "Indiquez la commune du ménage : elle donne le département de la demande."})
    demand = HousingDemand(
        department_id=commune.department_id, holder=organisation, commune=commune, recorded_by=user, **fields
    )
    demand.full_clean()
    demand.save()
    if communes_wished:
        demand.communes_wished.set(communes_wished)
    return demand
