"""Events of the procedure into files (toit.eviction.procedure.add_event): the préfecture's
list of assignations, and the generic event file.

The file is the one the row names by reference, else the one whose household has the
person (exactly one file with the same name, first name and birth date). When no file
matches at all and the source allows it (assignations), a file is opened for the
household on behalf of the importing organisation (intake.open_file), as an agent would
on receiving the assignation. Anything uncertain is refused with the candidates' references,
for the user to put the right one in the « Référence du dossier » column."""

from toit.eviction import access
from toit.eviction.enums import HousingSector, MemberRelationship
from toit.eviction.intake import open_file
from toit.eviction.models import Event, Household, HouseholdMember, PrivateLandlord
from toit.eviction.procedure import add_event
from toit.imports import packing
from toit.imports.sinks.base import FILE_ACCESS_EXPECTED, Applied, RowRefused, Sink
from toit.imports.sinks.identity import resolve_file
from toit.imports.sinks.reports import landlord_and_sector

IDENTITY_FIELDS = (
    ("last_name", packing.TEXT),
    ("first_name", packing.TEXT),
    ("birth_name", packing.TEXT),
    ("birth_date", packing.DATE),
)
TYPED_FIELDS = ("amount", "hearing_date", "prefect_notified_on", "judgment_outcome", "settlement_mode", "note")


def stage_identity(values):
    return {
        "file_reference": values.get("file_reference") or "",
        "last_name": values.get("last_name") or "",
        "first_name": values.get("first_name") or "",
        "birth_name": values.get("birth_name") or "",
        "birth_date": values.get("birth_date"),
    }


class EventSink(Sink):
    code = "event"
    model = Event
    label = "événements de dossiers"
    denied_expected = FILE_ACCESS_EXPECTED
    feeds = (
        "toit.eviction.procedure.add_event sur le dossier désigné ; toit.eviction.intake.open_file quand la "
        "source le permet et qu'aucun dossier ne correspond"
    )
    fields = {
        "file_reference": "le dossier (PreventionFile.reference)",
        "last_name": "le dossier (identité exacte) ; HouseholdMember.last_name si un dossier est ouvert",
        "first_name": "le dossier (identité exacte) ; HouseholdMember.first_name si un dossier est ouvert",
        "birth_name": "le dossier (identité exacte) ; HouseholdMember.birth_name si un dossier est ouvert",
        "birth_date": "le dossier (identité exacte) ; HouseholdMember.birth_date si un dossier est ouvert",
        "street": "Household.street si un dossier est ouvert",
        "commune": "Household.commune si un dossier est ouvert",
        "landlord": "Household.social_landlord ou private_landlord si un dossier est ouvert",
        "sector": "Household.sector si un dossier est ouvert (déduit du bailleur s'il manque)",
        "kind": "Event.kind",
        "date": "Event.date",
        "amount": "Event.amount",
        "hearing_date": "Event.hearing_date",
        "prefect_notified_on": "Event.prefect_notified_on",
        "judgment_outcome": "Event.judgment_outcome",
        "settlement_mode": "Event.settlement_mode",
        "note": "Event.note",
    }
    required_fields = frozenset({"date"})
    staged = (
        ("file_reference", packing.TEXT),
        *IDENTITY_FIELDS,
        ("street", packing.TEXT),
        ("commune_id", packing.INTEGER),
        ("sector", packing.TEXT),
        ("social_landlord_id", packing.INTEGER),
        ("private_landlord_name", packing.TEXT),
        ("kind", packing.TEXT),
        ("date", packing.DATE),
        ("amount", packing.DECIMAL),
        ("hearing_date", packing.DATE),
        ("prefect_notified_on", packing.DATE),
        ("judgment_outcome", packing.TEXT),
        ("settlement_mode", packing.TEXT),
        ("note", packing.TEXT),
    )
    dry_run = True
    error_fields = {name: name for name in ("kind", "date", *TYPED_FIELDS)} | {"file": "file_reference"}

    def stage(self, values, source, ctx):
        social_id, private_name, sector = landlord_and_sector(values, source, ctx)
        return {
            **stage_identity(values),
            "street": values.get("street") or "",
            "commune_id": values.get("commune"),
            "sector": sector,
            "social_landlord_id": social_id,
            "private_landlord_name": private_name,
            "kind": values.get("kind") or source.constants["kind"],
            "date": values["date"],
            "amount": values.get("amount"),
            "hearing_date": values.get("hearing_date"),
            "prefect_notified_on": values.get("prefect_notified_on"),
            "judgment_outcome": values.get("judgment_outcome") or "",
            "settlement_mode": values.get("settlement_mode") or "",
            "note": values.get("note") or "",
        }

    def apply(self, row, source, ctx):
        joins = bool(source.constants.get("prefecture_joins")) and ctx.organisation.is_prefecture
        file, action = resolve_file(
            row,
            ctx.user,
            ctx.organisation,
            may_open=source.constants.get("open_when_unmatched", False),
            prefecture_joins=joins,
        )
        opened = action == "open"
        if opened:
            file = self._open(row, ctx)
        elif joins:
            # The préfecture takes part in a file of its département from the assignation on
            # (toit.eviction.access); its list is the notification itself, so it joins (logged)
            # before recording it.
            access.join_as_prefecture(file, ctx.organisation, ctx.user)
        typed = {name: row[name] for name in TYPED_FIELDS}
        event = add_event(file, row["kind"], row["date"], ctx.user, ctx.organisation, today=ctx.today, **typed)
        return Applied(event.pk, matched=not opened, opened=opened)

    @staticmethod
    def _open(row, ctx):
        if not row["sector"]:
            raise RowRefused(
                "Aucun dossier ne correspond : pour en ouvrir un, il faut savoir si le logement est du parc social "
                "ou privé",
                "le bailleur (colonne « Bailleur ») ou le parc (colonne « Parc »)",
                "landlord",
            )
        if not row["street"] or not row["commune_id"]:
            raise RowRefused(
                "Aucun dossier ne correspond : pour en ouvrir un, il faut l'adresse et la commune du logement",
                "l'adresse et la commune",
                "street",
            )
        household = Household(
            street=row["street"],
            commune_id=row["commune_id"],
            sector=row["sector"],
            social_landlord_id=row["social_landlord_id"] if row["sector"] == HousingSector.SOCIAL else None,
        )
        if row["private_landlord_name"] and row["sector"] == HousingSector.PRIVATE:
            landlord = PrivateLandlord(name=row["private_landlord_name"])
            landlord.full_clean()
            landlord.save()
            household.private_landlord = landlord
        member = HouseholdMember(
            last_name=row["last_name"],
            first_name=row["first_name"],
            birth_name=row["birth_name"],
            birth_date=row["birth_date"],
            relationship=MemberRelationship.REFERENCE,
        )
        return open_file(household, [member], ctx.user, ctx.organisation, opened_on=row["date"])
