"""The social housing demand register's extract (sheet 3A) into HousingDemand rows
(toit.priority_access.intake.record_demand), held by the importing organisation.

The national extract has a few million rows (issue 17): the rules record_demand's
full_clean applies are checked without applying any row. What a row alone decides (field
limits, the model's check constraints) is checked in stage(); what depends on the database
(the number already used in the département, the right to record for the organisation) in
a few queries for the whole file (check_set, toit.imports.sinks.demands_sql). Rows are then
written set-based (apply_set) or, with TOIT_IMPORT_SET_BASED off, by record_demand one by
one; both write the same (tests/imports/test_demands.py)."""

from django.core.exceptions import ValidationError

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


def _constraint(name):
    return next(c for c in HousingDemand._meta.constraints if c.name == name)


UNIQUE_NUMBER = _constraint("demand_number_unique")
ALLOCATED_AFTER_FILING = _constraint("demand_allocated_after_filing")
ALLOCATION_COMPLETE = _constraint("demand_allocation_complete")
# Limits of the model's fields that the file's cells do not already enforce: an identifier
# may have 50 characters, a number 30; an amount 10 digits, the resources 9.
_NUMBER = HousingDemand._meta.get_field("number")
_RESOURCES = HousingDemand._meta.get_field("monthly_resources")
_RESOURCES_LIMIT = 10 ** (_RESOURCES.max_digits - _RESOURCES.decimal_places)

# How the report names each rule a row alone may break: the column the partner corrects
# and how, next to the model's own message (the constraints' messages say how to fix).
_FIXES = {
    "number": f"au plus {_NUMBER.max_length} caractères",
    "monthly_resources": (
        f"un montant d'au plus {_RESOURCES.max_digits - _RESOURCES.decimal_places} chiffres avant la virgule et "
        f"{_RESOURCES.decimal_places} après"
    ),
}
_RULE_FIELDS = {str(ALLOCATED_AFTER_FILING.violation_error_message): "allocated_on"}
NUMBER_TAKEN_FIX = (
    "le numéro unique de la demande, tel que l'enregistrement national l'attribue : vérifiez-le ; une demande déjà "
    "enregistrée dans Toit ne s'importe pas de nouveau"
)


def model_errors(row):
    """What HousingDemand.full_clean would say of a staged row, as a {field: [messages]}
    dict in full_clean's order (fields, then the model's constraints), without the database:
    the unique number is check_set's. clean() (the priority grounds) cannot fail here:
    priority_grounds() refused an unknown ground already."""
    errors = {}
    for field, value, suspect in (
        (_NUMBER, row["number"], len(row["number"]) > _NUMBER.max_length),
        (
            _RESOURCES,
            row["monthly_resources"],
            row["monthly_resources"] is not None
            and (
                abs(row["monthly_resources"]) >= _RESOURCES_LIMIT
                or row["monthly_resources"].as_tuple().exponent < -_RESOURCES.decimal_places
            ),
        ),
    ):
        if suspect:  # the field's own validators say it, in its own words
            try:
                field.clean(value, None)
            except ValidationError as exc:
                errors[field.name] = exc.messages
    allocated, filed = row["allocated_on"], row["filed_on"]
    if allocated is not None and filed is not None and allocated < filed:
        errors.setdefault("__all__", []).append(str(ALLOCATED_AFTER_FILING.violation_error_message))
    if not (
        (allocated is None and not row["allocation_channel"])
        or (allocated is not None and row["allocated_landlord_id"] is not None)
    ):
        errors.setdefault("__all__", []).append(str(ALLOCATION_COMPLETE.violation_error_message))
    return errors


def model_refusals(row):
    """model_errors(row) as one RowRefused per message, each naming its column."""
    refusals = []
    for name, messages in model_errors(row).items():
        for message in messages:
            if name == "__all__":
                refusals.append(RowRefused(message, "", _RULE_FIELDS.get(message, "")))
            else:
                refusals.append(RowRefused(message, _FIXES.get(name, ""), name))
    return refusals


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
    denied_expected = (
        "un compte d'agent, de responsable ou d'administrateur de l'organisation au nom de laquelle le fichier est "
        "déposé : déposez-le au nom d'une organisation où vous avez ce rôle, ou demandez-le à son administrateur"
    )
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
        """The row, or RowRefused with every rule it breaks and the row as staged (for the
        number's rule on the whole file, check_set: the report lists all the row's errors
        at once)."""
        refusals = []
        landlord = values.get("allocated_landlord")
        unknown_landlord = bool(landlord and landlord[0] != "social")
        if unknown_landlord:
            refusals.append(
                RowRefused(
                    f"Bailleur attributaire inconnu : « {landlord[1]} »",
                    "le code ou le nom d'un bailleur social connu de Toit",
                    "allocated_landlord",
                )
            )
            landlord = None
        try:
            grounds = priority_grounds(values.get("priority_grounds"))
        except RowRefused as exc:
            refusals.append(exc)
            grounds = []
        row = {
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
        complete = str(ALLOCATION_COMPLETE.violation_error_message)
        for refusal in model_refusals(row):
            # A landlord given but unknown is not a missing one: its own error says it.
            if not (unknown_landlord and refusal.message == complete):
                refusals.append(refusal)
        if refusals:
            raise RowRefused.every(refusals, staged=row)
        return row

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

    def check_set(self, job, source, ctx, issues):
        from toit.imports.sinks.demands_sql import check_demands

        check_demands(job, source, self, ctx, issues)

    def apply_set(self, job, source, ctx, pause):
        from toit.imports.sinks.demands_sql import import_demands

        return import_demands(job, source, self, ctx, pause)
