"""The social housing demand register's extract (sheet 3A) into HousingDemand rows
(toit.priority_access.intake.record_demand), held by the importing organisation."""

from toit.imports import packing
from toit.imports.sinks.base import Applied, RowRefused, Sink
from toit.priority_access.enums import PriorityGround
from toit.priority_access.intake import record_demand
from toit.priority_access.models import HousingDemand
from toit.territory.models import Commune

_GROUNDS = {
    **{ground.value: ground.value for ground in PriorityGround},
    **{ground.label.casefold(): ground.value for ground in PriorityGround},
}


def priority_grounds(text):
    """ "sans_logement; Handicap" -> ["sans_logement", "handicap"], or RowRefused."""
    found = []
    for part in (text or "").replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        code = _GROUNDS.get(part.casefold())
        if code is None:
            raise RowRefused(
                f"Motif de priorité inconnu : « {part} »",
                "des motifs séparés par « ; », parmi : " + ", ".join(g.label for g in PriorityGround),
                "priority_grounds",
            )
        found.append(code)
    return found


class DemandSink(Sink):
    code = "demandes"
    model = HousingDemand
    label = "demandes de logement social"
    feeds = "toit.priority_access.intake.record_demand (une demande par ligne, détenue par l'organisation qui importe)"
    fields = {
        "number": "HousingDemand.number",
        "last_name": "HousingDemand.last_name",
        "first_name": "HousingDemand.first_name",
        "birth_name": "HousingDemand.birth_name",
        "birth_date": "HousingDemand.birth_date",
        "commune": "HousingDemand.commune (et son département)",
        "household_size": "HousingDemand.household_size",
        "monthly_resources": "HousingDemand.monthly_resources",
        "filed_on": "HousingDemand.filed_on",
        "renewed_on": "HousingDemand.renewed_on",
        "priority_grounds": "HousingDemand.priority_grounds",
        "allocated_on": "HousingDemand.allocated_on",
        "allocated_landlord": "HousingDemand.allocated_landlord (bailleur social connu de Toit)",
        "allocation_channel": "HousingDemand.allocation_channel",
        "plai_dwelling": "HousingDemand.plai_dwelling",
    }
    required_fields = frozenset({"number", "last_name", "first_name", "commune", "filed_on"})
    staged = (
        ("number", packing.TEXT),
        ("last_name", packing.TEXT),
        ("first_name", packing.TEXT),
        ("birth_name", packing.TEXT),
        ("birth_date", packing.DATE),
        ("commune_id", packing.INTEGER),
        ("household_size", packing.INTEGER),
        ("monthly_resources", packing.DECIMAL),
        ("filed_on", packing.DATE),
        ("renewed_on", packing.DATE),
        ("priority_grounds", packing.TEXT),
        ("allocated_on", packing.DATE),
        ("allocated_landlord_id", packing.INTEGER),
        ("allocation_channel", packing.TEXT),
        ("plai_dwelling", packing.BOOLEAN),
    )
    dry_run = True
    error_fields = {
        "number": "number",
        "filed_on": "filed_on",
        "allocated_on": "allocated_on",
        "allocated_landlord": "allocated_landlord",
        "allocation_channel": "allocation_channel",
        "priority_grounds": "priority_grounds",
        "commune": "commune",
        "__all__": "",
    }

    def stage(self, values, source, ctx):
        landlord = values.get("allocated_landlord")
        if landlord and landlord[0] != "social":
            raise RowRefused(
                f"Bailleur attributaire inconnu : « {landlord[1]} »",
                "le code ou le nom d'un bailleur social connu de Toit",
                "allocated_landlord",
            )
        grounds = priority_grounds(values.get("priority_grounds"))
        return {
            "number": values["number"],
            "last_name": values["last_name"],
            "first_name": values["first_name"],
            "birth_name": values.get("birth_name") or "",
            "birth_date": values.get("birth_date"),
            "commune_id": values["commune"],
            "household_size": values.get("household_size"),
            "monthly_resources": values.get("monthly_resources"),
            "filed_on": values["filed_on"],
            "renewed_on": values.get("renewed_on"),
            "priority_grounds": ";".join(grounds),
            "allocated_on": values.get("allocated_on"),
            "allocated_landlord_id": landlord[1] if landlord else None,
            "allocation_channel": values.get("allocation_channel") or "",
            "plai_dwelling": bool(values.get("plai_dwelling")),
        }

    def apply(self, row, source, ctx):
        commune = Commune.objects.get(pk=row["commune_id"])
        demand = record_demand(
            ctx.user,
            ctx.organisation,
            commune=commune,
            number=row["number"],
            last_name=row["last_name"],
            first_name=row["first_name"],
            birth_name=row["birth_name"],
            birth_date=row["birth_date"],
            household_size=row["household_size"],
            monthly_resources=row["monthly_resources"],
            filed_on=row["filed_on"],
            renewed_on=row["renewed_on"],
            priority_grounds=[g for g in row["priority_grounds"].split(";") if g],
            allocated_on=row["allocated_on"],
            allocated_landlord_id=row["allocated_landlord_id"],
            allocation_channel=row["allocation_channel"],
            plai_dwelling=bool(row["plai_dwelling"]),
        )
        return Applied(demand.pk)
