"""Unpaid-rent reports (signalements) into the eviction intake (fiche 1A).

Each row is recorded as a Report of the importing organisation (intake.record_report).
It is attached to a file (intake.attach_report: the « impayé signalé » event) only when
exactly one file *the importing organisation already takes part in* has the same person:
same name (used or birth name) and first name, same birth date (the person test of
matching.find_matches). An import never lets its organisation into a file: a row naming a
person of files it does not read is transmitted to their participants (intake.transmit),
who decide. Any other case (no candidate, several, an address-only candidate, no birth
date) leaves the report unmatched, in the reporting organisation's « signalements à
rattacher » work queue, where an agent decides as for a typed report.
"""

from toit.eviction.dates import ImpossibleDate, check_birth_date
from toit.eviction.enums import HousingSector
from toit.eviction.intake import attach_report, record_report
from toit.eviction.models import Report
from toit.imports import packing
from toit.imports.sinks.base import FILE_ACCESS_EXPECTED, Applied, RowRefused, Sink
from toit.imports.sinks.identity import files_of_person, person_keys
from toit.organisations.enums import OrganisationKind

REPORT_FIELDS = (
    "reported_on",
    "debt_amount",
    "months_unpaid",
    "last_name",
    "first_name",
    "birth_name",
    "birth_date",
    "street",
    "commune_id",
    "sector",
    "social_landlord_id",
    "private_landlord_name",
)


def landlord_and_sector(values, source, ctx):
    """(social landlord id, private landlord name, sector) of a row, the sector deduced
    from the landlord when the file does not give it."""
    social_id, private_name = None, ""
    landlord = values.get("landlord")
    if landlord:
        kind, value = landlord
        social_id, private_name = (value, "") if kind == "social" else (None, value)
    organisation = ctx.organisation
    if source.constants.get("landlord_is_organisation") and organisation.kind == OrganisationKind.SOCIAL_LANDLORD:
        if landlord and social_id != organisation.pk:
            raise RowRefused(
                f"Le bailleur indiqué n'est pas « {organisation} », qui dépose le fichier",
                f"une colonne « Bailleur » vide, ou « {organisation.code} » : un bailleur social signale ses "
                "propres locataires",
                "landlord",
            )
        social_id = organisation.pk
    sector = values.get("sector") or ""
    deduced = HousingSector.SOCIAL if social_id else (HousingSector.PRIVATE if private_name else "")
    if sector and deduced and sector != deduced:
        raise RowRefused(
            f"Le parc « {HousingSector(sector).label} » ne va pas avec le bailleur indiqué",
            f"« {HousingSector(deduced).label} » pour ce bailleur, ou une colonne « Parc » vide",
            "sector",
        )
    return social_id, private_name, sector or deduced


class ReportSink(Sink):
    code = "report"
    model = Report
    label = "signalements d'impayés"
    denied_expected = FILE_ACCESS_EXPECTED
    feeds = (
        "toit.eviction.intake.record_report, puis attach_report quand un seul dossier que l'organisation suit "
        "déjà a la même personne ; transmis aux participants d'un dossier qu'elle ne suit pas (jamais d'accès "
        "accordé) ; sinon le signalement attend dans la file « signalements à rattacher »"
    )
    fields = {
        "beneficiary_number": "clé d'import seulement (jamais enregistrée)",
        "tenant_reference": "clé d'import seulement (jamais enregistrée)",
        "last_name": "Report.last_name",
        "first_name": "Report.first_name",
        "birth_name": "Report.birth_name",
        "birth_date": "Report.birth_date",
        "street": "Report.street",
        "commune": "Report.commune",
        "landlord": "Report.social_landlord ou Report.private_landlord_name",
        "sector": "Report.sector (déduit du bailleur s'il manque)",
        "reported_on": "Report.reported_on (et la date de l'événement « impayé signalé »)",
        "debt_amount": "Report.debt_amount (et le montant de l'événement « impayé signalé »)",
        "months_unpaid": "Report.months_unpaid",
    }
    required_fields = frozenset({"last_name", "first_name", "reported_on", "debt_amount"})
    parallel_check = True  # stage_batch reads the rows and the context only
    # Its rules (landlord and sector, birth before the report) compare values only when
    # both were read.
    stage_despite_cell_errors = True
    staged = (
        ("reported_on", packing.DATE),
        ("debt_amount", packing.DECIMAL),
        ("months_unpaid", packing.INTEGER),
        ("last_name", packing.TEXT),
        ("first_name", packing.TEXT),
        ("birth_name", packing.TEXT),
        ("birth_date", packing.DATE),
        ("street", packing.TEXT),
        ("commune_id", packing.INTEGER),
        ("sector", packing.TEXT),
        ("social_landlord_id", packing.INTEGER),
        ("private_landlord_name", packing.TEXT),
        # The person keys the set-based path matches on (the row-by-row path asks
        # find_matches, which computes the same keys).
        ("key1", packing.TEXT),
        ("key2", packing.TEXT),
    )
    error_fields = {
        "reported_on": "reported_on",
        "debt_amount": "debt_amount",
        "months_unpaid": "months_unpaid",
        "social_landlord": "landlord",
        "private_landlord_name": "landlord",
        "commune": "commune",
        "date": "reported_on",
    }

    def stage_batch(self, columns, positions, source, ctx):
        """Column by column: unpaid-rent files are the large ones (see bench/imports.py)."""
        size = len(columns["last_name"])
        landlords, sectors_in = columns["landlord"], columns["sector"]
        social, private, sector = [None] * size, [""] * size, [""] * size
        refused = {}
        if source.constants.get("landlord_is_organisation") or any(landlords) or any(sectors_in):
            for p in positions:
                try:
                    social[p], private[p], sector[p] = landlord_and_sector(
                        {"landlord": landlords[p], "sector": sectors_in[p]}, source, ctx
                    )
                except RowRefused as exc:
                    refused[p] = exc
        last, first, birth_name, birth = (columns[f] for f in ("last_name", "first_name", "birth_name", "birth_date"))
        reported = columns["reported_on"]
        for p in positions:
            # Each date is possible on its own (cells.Date); a birth after the report is
            # not, as the API says (toit.eviction.dates).
            if birth[p] is not None and reported[p] is not None and birth[p] > reported[p] and p not in refused:
                try:
                    check_birth_date(birth[p], today=ctx.today, reported_on=reported[p])
                except ImpossibleDate as exc:
                    refused[p] = RowRefused(exc.message, exc.expected, "birth_date")
        key1, key2 = [""] * size, [""] * size
        for p in positions:
            if birth[p] is not None:
                keys = person_keys(last[p], first[p], birth_name[p])
                if keys:
                    key1[p] = keys[0]
                    key2[p] = keys[1] if len(keys) > 1 else ""

        def dates(values):
            return packing.iso_dates(values, ctx.iso)

        def texts(values):
            return ["" if v is None else v for v in values]

        def numbers(values):
            return ["" if v is None else str(v) for v in values]

        packed_columns = {
            "reported_on": dates(columns["reported_on"]),
            "debt_amount": numbers(columns["debt_amount"]),
            "months_unpaid": numbers(columns["months_unpaid"]),
            "last_name": texts(last),
            "first_name": texts(first),
            "birth_name": texts(birth_name),
            "birth_date": dates(birth),
            "street": texts(columns["street"]),
            "commune_id": numbers(columns["commune"]),
            "sector": sector,
            "social_landlord_id": numbers(social),
            "private_landlord_name": private,
            "key1": key1,
            "key2": key2,
        }
        selected = [[packed_columns[name][p] for p in positions] for name, _ in self.staged]
        return list(map(packing.SEPARATOR.join, zip(*selected, strict=True))), refused

    def apply(self, row, source, ctx):
        fields = {name: row[name] for name in REPORT_FIELDS}
        report = record_report(ctx.user, ctx.organisation, today=ctx.today, source=source.constants["source"], **fields)
        files = files_of_person(row, ctx.user, ctx.organisation) if row["birth_date"] else []
        if len(files) == 1:
            attach_report(report, files[0], ctx.user, organisation=ctx.organisation, today=ctx.today)
            return Applied(report.pk, matched=True)
        return Applied(report.pk, unmatched=True)

    def claim_order(self, alias):
        return f"{packing.sql_value(self.staged, 'reported_on', alias)}, {alias}.line_number"

    def apply_set(self, job, source, ctx, pause):
        from toit.imports.sinks.reports_sql import import_reports

        return import_reports(job, source, self, ctx, pause)
