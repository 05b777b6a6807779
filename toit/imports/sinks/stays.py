"""A structure's monthly list of residents into stays (toit.accommodation.records). One row
per stay: the resident, the entry date and origin, and once they left the exit date and
destination. The list is sent again each month: a row already imported is skipped (its
natural key includes the exit), a row that now carries an exit closes the stay it names.
The structure must be managed by the importing organisation (its staff see the residents)."""

import calendar

from django.core.exceptions import ValidationError

from toit.accommodation.models import CapacityPeriod, OccupancySummary, Resident, Stay, Structure
from toit.accommodation.records import capacity_on, record_entry, record_exit, record_summary, set_capacity
from toit.imports import packing
from toit.imports.sinks.base import Applied, RowRefused, Sink


def managed_structure(name, organisation):
    structures = Structure.objects.filter(manager=organisation, name__iexact=name.strip())
    found = list(structures[:2])
    if len(found) != 1:
        managed = ", ".join(Structure.objects.filter(manager=organisation).values_list("name", flat=True)[:10])
        raise RowRefused(
            f"La structure « {name} » n'est pas gérée par l'organisation qui importe.",
            f"le nom exact d'une structure qu'elle gère : {managed or 'aucune'}",
            "structure",
        )
    return found[0]


class StaySink(Sink):
    code = "stay"
    model = Stay
    label = "séjours"
    feeds = "toit.accommodation.records.record_entry et record_exit (séjours de la structure désignée)"
    fields = {
        "structure": "Stay.structure (une structure gérée par l'organisation qui importe)",
        "last_name": "Resident.last_name",
        "first_name": "Resident.first_name",
        "birth_date": "Resident.birth_date",
        "entry_on": "Stay.entry_on",
        "origin": "Stay.origin",
        "exit_on": "Stay.exit_on",
        "destination": "Stay.destination",
    }
    required_fields = frozenset({"structure", "last_name", "entry_on", "origin"})
    staged = (
        ("structure", packing.TEXT),
        ("last_name", packing.TEXT),
        ("first_name", packing.TEXT),
        ("birth_date", packing.DATE),
        ("entry_on", packing.DATE),
        ("origin", packing.TEXT),
        ("exit_on", packing.DATE),
        ("destination", packing.TEXT),
    )
    dry_run = True
    error_fields = {"entry_on": "entry_on", "exit_on": "exit_on", "destination": "destination", "origin": "origin"}

    def stage(self, values, source, ctx):
        exit_on, destination = values.get("exit_on"), values.get("destination") or ""
        if exit_on and not destination:
            raise RowRefused("Une sortie sans destination.", "la destination à la sortie", "destination")
        if destination and not exit_on:
            raise RowRefused("Une destination sans date de sortie.", "la date de sortie", "exit_on")
        if exit_on and exit_on < values["entry_on"]:
            raise RowRefused("La sortie précède l'entrée.", "une date de sortie postérieure à l'entrée", "exit_on")
        return {
            "structure": values["structure"],
            "last_name": values["last_name"],
            "first_name": values.get("first_name") or "",
            "birth_date": values.get("birth_date"),
            "entry_on": values["entry_on"],
            "origin": values["origin"],
            "exit_on": exit_on,
            "destination": destination,
        }

    def apply(self, row, source, ctx):
        structure = managed_structure(row["structure"], ctx.organisation)
        identity = {
            "structure": structure,
            "last_name__iexact": row["last_name"],
            "first_name__iexact": row["first_name"],
            "birth_date": row["birth_date"],
        }
        stay = (
            Stay.objects.filter(entry_on=row["entry_on"], resident__in=Resident.objects.filter(**identity))
            .select_related("structure")
            .first()
        )
        if stay is None:
            resident = Resident.objects.filter(**identity).first()
            stay = record_entry(
                structure,
                ctx.user,
                last_name=row["last_name"],
                first_name=row["first_name"],
                birth_date=row["birth_date"],
                entry_on=row["entry_on"],
                origin=row["origin"],
                resident=resident,
            )
            matched = resident is not None
        else:
            matched = True
        if row["exit_on"]:
            if stay.exit_on and (stay.exit_on, stay.destination) != (row["exit_on"], row["destination"]):
                message = "Ce séjour a déjà une autre sortie : corrigez-la sur la page de la structure, avec un motif."
                raise ValidationError({"exit_on": message})
            if not stay.exit_on:
                record_exit(stay, ctx.user, exit_on=row["exit_on"], destination=row["destination"])
        return Applied(stay.pk, matched=matched)


class CapacitySink(Sink):
    """A structure's places from a date (toit.accommodation.records.set_capacity): the
    dated capacity every occupancy rate is computed over."""

    code = "capacity"
    model = CapacityPeriod
    label = "capacités datées"
    feeds = "toit.accommodation.records.set_capacity (capacité de la structure désignée à partir de la date)"
    fields = {
        "structure": "CapacityPeriod.structure (une structure gérée par l'organisation qui importe)",
        "valid_from": "CapacityPeriod.valid_from",
        "places": "CapacityPeriod.places",
    }
    required_fields = frozenset({"structure", "valid_from", "places"})
    staged = (("structure", packing.TEXT), ("valid_from", packing.DATE), ("places", packing.INTEGER))
    dry_run = True
    error_fields = {"places": "places", "valid_from": "valid_from"}

    def stage(self, values, source, ctx):
        return {"structure": values["structure"], "valid_from": values["valid_from"], "places": values["places"]}

    def apply(self, row, source, ctx):
        structure = managed_structure(row["structure"], ctx.organisation)
        if (
            capacity_on(structure, row["valid_from"]) == row["places"]
            and CapacityPeriod.objects.filter(structure=structure, valid_from__lte=row["valid_from"]).exists()
        ):
            # The same places as those in force: nothing changes (a monthly summary repeats them).
            period = (
                CapacityPeriod.objects.filter(structure=structure, valid_from__lte=row["valid_from"])
                .order_by("-valid_from")
                .first()
            )
            return Applied(period.pk, matched=True)
        period = set_capacity(structure, row["places"], row["valid_from"], ctx.user, reason="import de fichier")
        return Applied(period.pk)


class OccupancySummarySink(Sink):
    """A structure's month as its manager summarises it (for the structures that send no
    list of residents): the places go to the dated capacity (as CapacitySink), the nights,
    entries and exits to OccupancySummary (toit.accommodation.records.record_summary)."""

    code = "occupancy_summary"
    model = OccupancySummary
    label = "synthèses mensuelles d'occupation"
    feeds = (
        "toit.accommodation.records.set_capacity (places du mois) et record_summary (nuitées, entrées, sorties du mois)"
    )
    fields = {
        "structure": "OccupancySummary.structure (une structure gérée par l'organisation qui importe)",
        "month": "OccupancySummary.month (premier jour du mois)",
        "places": "CapacityPeriod.places (à partir du premier jour du mois)",
        "occupied_place_days": "OccupancySummary.occupied_place_days",
        "entries": "OccupancySummary.entries",
        "exits": "OccupancySummary.exits",
    }
    required_fields = frozenset({"structure", "month", "places", "occupied_place_days"})
    staged = (
        ("structure", packing.TEXT),
        ("month", packing.DATE),
        ("places", packing.INTEGER),
        ("occupied_place_days", packing.INTEGER),
        ("entries", packing.INTEGER),
        ("exits", packing.INTEGER),
    )
    dry_run = True
    error_fields = {"month": "month", "occupied_place_days": "occupied_place_days"}

    def stage(self, values, source, ctx):
        month = values["month"]  # the first day of the month (toit.imports.cells.Month)
        places, nights = values["places"], values["occupied_place_days"]
        days = calendar.monthrange(month.year, month.month)[1]
        if nights > places * days:
            raise RowRefused(
                f"{nights} nuitées en {month:%m/%Y} dépassent les {places} places × {days} jours du mois "
                f"({places * days}).",
                "des nuitées au plus égales aux places multipliées par les jours du mois, ou les places réelles",
                "occupied_place_days",
            )
        return {
            "structure": values["structure"],
            "month": month,
            "places": places,
            "occupied_place_days": nights,
            "entries": values.get("entries") or 0,
            "exits": values.get("exits") or 0,
        }

    def apply(self, row, source, ctx):
        structure = managed_structure(row["structure"], ctx.organisation)
        if (
            capacity_on(structure, row["month"]) != row["places"]
            or not CapacityPeriod.objects.filter(structure=structure, valid_from__lte=row["month"]).exists()
        ):
            set_capacity(structure, row["places"], row["month"], ctx.user, reason="import de la synthèse d'occupation")
        summary = record_summary(
            structure,
            ctx.user,
            month=row["month"],
            occupied_place_days=row["occupied_place_days"],
            entries=row["entries"],
            exits=row["exits"],
        )
        return Applied(summary.pk)
