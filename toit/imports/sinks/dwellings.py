"""The dwelling register's imports (sheets 2A and 2B): the pôle's case spreadsheet and the
PST operator's list of dwellings.

Cases: the importing organisation must be a current member of the pôle of the commune's
département (toit.dwellings.access), for the commune's territory: a row elsewhere is
refused, as a page would refuse it. The dwelling is the current one with the same
normalised address and complement in the commune (toit.dwellings.address), else a new one;
near-duplicates are left to the register's merge proposals, decided by a person. The act
is checked against the code in force on its date (toit.dwellings.rules).

PST: the operator's rows always create a dwelling of the register (never matched to an
existing one, which would tell the operator that an address is known to the pôle); the
pôle's merge proposals bring duplicates together."""

from django.core.exceptions import ValidationError

from toit.dwellings import access, merging
from toit.dwellings.enums import BuildingType, Interdiction, OwnerKind, Sector, Tenure
from toit.dwellings.models import (
    Act,
    Case,
    CaseQualification,
    CaseReport,
    Dwelling,
    Owner,
    PrescribedWork,
    PstDwelling,
    Visit,
)
from toit.eviction.normalise import landlord_key
from toit.imports import packing
from toit.imports.sinks.base import Applied, RowRefused, Sink
from toit.territory.models import Commune

ADDRESS_FIELDS = {
    "commune": "Dwelling.commune (et le département du logement)",
    "street_number": "Dwelling.street_number",
    "street": "Dwelling.street (adresse normalisée pour retrouver le logement)",
    "complement": "Dwelling.complement",
    "building_type": "Dwelling.building_type (logement créé)",
}
ADDRESS_STAGED = (
    ("commune", packing.INTEGER),
    ("street_number", packing.TEXT),
    ("street", packing.TEXT),
    ("complement", packing.TEXT),
    ("building_type", packing.TEXT),
)


def _address(values):
    return {
        "commune": values["commune"],
        "street_number": values.get("street_number") or "",
        "street": values["street"],
        "complement": values.get("complement") or "",
        "building_type": values.get("building_type") or BuildingType.COLLECTIVE,
    }


def _new_dwelling(row, tenure, owner=None):
    commune = Commune.objects.select_related("department").get(pk=row["commune"])
    dwelling = Dwelling(
        department_id=commune.department_id,
        commune=commune,
        street_number=row["street_number"],
        street=row["street"],
        complement=row["complement"],
        building_type=row["building_type"] or BuildingType.COLLECTIVE,
        sector=Sector.PRIVATE,
        tenure=tenure,
        owner=owner,
    )
    try:
        dwelling.full_clean()
    except ValidationError as error:
        raise RowRefused(" ".join(error.messages), "une adresse lisible (numéro, voie, commune)", "street") from None
    dwelling.save()
    # A dwelling already registered at this address (and complement) is left for a person
    # to merge: the pôle's list of proposals, never a silent match from a partner's file.
    merging.propose_for(dwelling)
    return dwelling


class DwellingCaseSink(Sink):
    code = "habitat_indigne"
    model = Case
    label = "dossiers d'habitat indigne"
    feeds = (
        "toit.dwellings : le logement (retrouvé par son adresse normalisée ou créé), son propriétaire, un dossier "
        "avec son signalement, sa visite, sa qualification, son arrêté et sa sortie d'indignité"
    )
    fields = {
        "pole_reference": "Case.pole_reference (et clé d'import)",
        **ADDRESS_FIELDS,
        "tenure": "Case.tenure et Dwelling.tenure",
        "owner": "Owner.name (retrouvé par son nom dans le département, sinon créé)",
        "owner_kind": "Owner.kind",
        "received_on": "Case.opened_on et CaseReport.received_on",
        "source": "CaseReport.source",
        "disorders": "CaseReport.disorders",
        "visited_on": "Visit.visited_on",
        "qualification": "CaseQualification.kind",
        "act_kind": "Act.kind",
        "act_signed_on": "Act.signed_on",
        "works_deadline": "Act.works_deadline et PrescribedWork.deadline",
        "interdiction": "Act.interdiction",
        "exit_on": "Case.exit_on",
        "exit_mode": "Case.exit_mode",
        "occupants_kept": "Case.occupants_kept",
    }
    required_fields = frozenset({"pole_reference", "commune", "street", "tenure", "received_on", "source"})
    staged = (
        ("pole_reference", packing.TEXT),
        *ADDRESS_STAGED,
        ("tenure", packing.TEXT),
        ("owner", packing.TEXT),
        ("owner_kind", packing.TEXT),
        ("received_on", packing.DATE),
        ("source", packing.TEXT),
        ("disorders", packing.TEXT),
        ("visited_on", packing.DATE),
        ("qualification", packing.TEXT),
        ("act_kind", packing.TEXT),
        ("act_signed_on", packing.DATE),
        ("works_deadline", packing.DATE),
        ("interdiction", packing.TEXT),
        ("exit_on", packing.DATE),
        ("exit_mode", packing.TEXT),
        ("occupants_kept", packing.BOOLEAN),
    )
    dry_run = True
    error_fields = {
        "kind": "act_kind",
        "signed_on": "act_signed_on",
        "lifts": "act_kind",
        "exit_on": "exit_on",
        "exit_mode": "exit_mode",
        "interdiction_until": "interdiction",
    }

    def stage(self, values, source, ctx):
        if bool(values.get("act_kind")) != bool(values.get("act_signed_on")):
            raise RowRefused(
                "Un arrêté a un type et une date", "les deux colonnes remplies, ou aucune", "act_signed_on"
            )
        if values.get("exit_on") and not values.get("exit_mode"):
            raise RowRefused("Une sortie d'indignité dit comment", "le mode de sortie", "exit_mode")
        return {
            **{f: values.get(f) for f, _ in self.staged},
            **_address(values),
            "owner": values.get("owner") or "",
            "owner_kind": values.get("owner_kind") or "",
            "disorders": values.get("disorders") or "",
            "qualification": values.get("qualification") or "",
            "act_kind": values.get("act_kind") or "",
            "interdiction": values.get("interdiction") or "",
            "exit_mode": values.get("exit_mode") or "",
        }

    def _check_member(self, ctx, commune):
        reaches = [r for r in access.reaches(ctx.user, ctx.today) if r.organisation_id == ctx.organisation.pk]
        for reach in reaches:
            if reach.department_id != commune.department_id:
                continue
            if reach.epci_id not in (None, commune.epci_id) or reach.commune_id not in (None, commune.pk):
                continue
            return
        raise RowRefused(
            f"« {ctx.organisation} » n'est pas membre du pôle de lutte contre l'habitat indigne pour {commune.name}",
            "un fichier déposé au titre d'un membre du pôle du département de la commune",
            "commune",
        )

    def apply(self, row, source, ctx):
        commune = Commune.objects.get(pk=row["commune"])
        self._check_member(ctx, commune)
        owner = None
        if row["owner"]:
            owner = Owner.objects.filter(
                department_id=commune.department_id, name_key=landlord_key(row["owner"])
            ).first()
            if owner is None:
                owner = Owner.objects.create(
                    department_id=commune.department_id, name=row["owner"], kind=row["owner_kind"] or OwnerKind.PERSON
                )
        probe = Dwelling(street=row["street"], street_number=row["street_number"])
        try:
            probe.refresh_key()
        except ValueError as error:
            raise RowRefused(str(error), "bis, ter ou quater", "street_number") from None
        dwelling = (
            Dwelling.objects.current()
            .filter(commune=commune, address_key=probe.address_key, complement=row["complement"])
            .order_by("pk")
            .first()
        )
        matched = dwelling is not None
        if dwelling is None:
            dwelling = _new_dwelling(row, row["tenure"], owner)
        elif owner is not None and dwelling.owner_id is None:
            dwelling.owner = owner
            dwelling.save()
        exit_on = row["exit_on"]
        case = Case(
            department_id=commune.department_id,
            dwelling=dwelling,
            pole_reference=row["pole_reference"],
            opened_on=row["received_on"],
            tenure=row["tenure"],
            exit_on=exit_on,
            exit_mode=row["exit_mode"] if exit_on else "",
            occupied_at_exit=(row["interdiction"] != Interdiction.DEFINITIVE) if exit_on else None,
            occupants_kept=bool(row["occupants_kept"]) if exit_on else None,
        )
        if case.occupants_kept and not case.occupied_at_exit:
            raise RowRefused(
                "Des occupants maintenus dans un logement interdit définitivement d'habitation",
                "« non » dans Occupants maintenus, ou une autre interdiction",
                "occupants_kept",
            )
        case.full_clean()
        case.save()
        CaseReport.objects.create(
            case=case, received_on=row["received_on"], source=row["source"], disorders=row["disorders"]
        )
        if row["visited_on"]:
            Visit.objects.create(case=case, visited_on=row["visited_on"], organisation=ctx.organisation)
        if row["qualification"]:
            CaseQualification.objects.create(
                case=case,
                kind=row["qualification"],
                qualified_on=row["visited_on"] or row["received_on"],
                organisation=ctx.organisation,
            )
        if row["act_kind"]:
            act = Act(
                case=case,
                kind=row["act_kind"],
                signed_on=row["act_signed_on"],
                works_deadline=row["works_deadline"],
                interdiction=row["interdiction"],
                interdiction_until=row["works_deadline"] if row["interdiction"] == Interdiction.TEMPORARY else None,
            )
            act.full_clean()
            act.save()
            if row["works_deadline"]:
                PrescribedWork.objects.create(
                    act=act, description="Travaux prescrits par l'arrêté", deadline=row["works_deadline"]
                )
        return Applied(case.pk, matched=matched)


class PstSink(Sink):
    code = "pst"
    model = PstDwelling
    label = "logements du programme social thématique"
    feeds = "toit.dwellings : un logement du registre (toujours créé) et sa fiche PST au nom de l'opérateur"
    fields = {
        "operator_reference": "PstDwelling.operator_reference (et clé d'import)",
        **ADDRESS_FIELDS,
        "convention": "PstDwelling.convention",
        "convention_signed_on": "PstDwelling.convention_signed_on",
        "anah_subsidy": "PstDwelling.anah_subsidy",
        "available_on": "PstDwelling.available_on",
    }
    required_fields = frozenset({"operator_reference", "commune", "street", "convention"})
    staged = (
        ("operator_reference", packing.TEXT),
        *ADDRESS_STAGED,
        ("convention", packing.TEXT),
        ("convention_signed_on", packing.DATE),
        ("anah_subsidy", packing.DECIMAL),
        ("available_on", packing.DATE),
    )
    dry_run = True
    error_fields = {"anah_subsidy": "anah_subsidy", "available_on": "available_on"}

    def stage(self, values, source, ctx):
        return {**{f: values.get(f) for f, _ in self.staged}, **_address(values)}

    def apply(self, row, source, ctx):
        dwelling = _new_dwelling(row, Tenure.LET)
        pst = PstDwelling(
            department_id=dwelling.department_id,
            dwelling=dwelling,
            operator=ctx.organisation,
            operator_reference=row["operator_reference"],
            convention=row["convention"],
            convention_signed_on=row["convention_signed_on"],
            anah_subsidy=row["anah_subsidy"],
            available_on=row["available_on"],
        )
        pst.full_clean()
        pst.save()
        return Applied(pst.pk)
