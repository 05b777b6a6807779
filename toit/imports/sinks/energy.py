"""Energy diagnoses (DPE) before and after works (sheet 2C), sent by the PST operator or a
member of the pôle, for dwellings already in the register.

The dwelling is found, never created: in the row's commune, by its BAN identifier or its
normalised address (toit.dwellings.address) and complement, among the dwellings the
importing organisation reaches (toit.dwellings.access.dpe_import_q: what it reads as a
member of the pôle, and the dwellings of its own PST list). A dwelling outside that reach
gets the very message of an address that matches nothing: a file must not tell its sender
that a dwelling exists elsewhere.

The method follows from the date (toit.dwellings.rules.dpe_method); a method the file gives
is only checked against it. A DPE is never changed by a file: the same dwelling, stage and
date already recorded (by another organisation, or under another spelling of the address)
is refused and corrected on the dwelling's page, with a reason."""

import datetime

from toit.dwellings import access, address, rules
from toit.dwellings.enums import DpeMethod, DpeStage
from toit.dwellings.models import Dwelling, EnergyDiagnosis, PstDwelling
from toit.eviction.normalise import normalise_text
from toit.imports import packing
from toit.imports.sinks.base import Applied, RowRefused, Sink
from toit.territory.models import Commune

# The DPE exists since 1 November 2006 (sales; 1 July 2007 for lettings): an earlier date
# is a typing error.
DPE_START = datetime.date(2006, 11, 1)

UNKNOWN = (
    "Logement inconnu : aucun logement du registre que votre organisation peut compléter ne correspond, dans cette "
    "commune"
)
UNKNOWN_FIX = (
    "l'adresse du logement telle que le registre la connaît (numéro, voie, complément) ou son identifiant BAN ; "
    "un logement du PST doit d'abord figurer dans la liste de l'opérateur (import « logements_pst »), un autre dans "
    "le registre du pôle de lutte contre l'habitat indigne"
)


def _day(value):
    return f"{value:%d/%m/%Y}"


class DpeSink(Sink):
    code = "dpe"
    model = EnergyDiagnosis
    label = "diagnostics de performance énergétique"
    feeds = (
        "toit.dwellings : un DPE (EnergyDiagnosis) d'un logement déjà au registre, que l'organisation atteint "
        "comme membre du pôle ou comme opérateur de son PST (jamais un logement créé)"
    )
    fields = {
        "commune": "Dwelling.commune (le logement est cherché dans cette commune)",
        "street_number": "Dwelling.street_number (logement cherché par son adresse normalisée)",
        "street": "Dwelling.street (logement cherché par son adresse normalisée)",
        "complement": "Dwelling.complement (pour distinguer les logements d'une même adresse)",
        "ban_id": "Dwelling.ban_id (logement cherché par cet identifiant)",
        "stage": "EnergyDiagnosis.stage",
        "made_on": "EnergyDiagnosis.made_on",
        "method": "EnergyDiagnosis.method, vérifiée : elle découle de la date",
        "energy_class": "EnergyDiagnosis.energy_class",
        "kwh_per_m2_year": "EnergyDiagnosis.kwh_per_m2_year",
    }
    required_fields = frozenset({"commune", "stage", "made_on", "energy_class", "kwh_per_m2_year"})
    staged = (
        ("commune", packing.INTEGER),
        ("street_number", packing.TEXT),
        ("street", packing.TEXT),
        ("address_key", packing.TEXT),
        ("complement", packing.TEXT),
        ("ban_id", packing.TEXT),
        ("stage", packing.TEXT),
        ("made_on", packing.DATE),
        ("energy_class", packing.TEXT),
        ("kwh_per_m2_year", packing.INTEGER),
    )
    dry_run = True
    error_fields = {"made_on": "made_on", "energy_class": "energy_class", "kwh_per_m2_year": "kwh_per_m2_year"}

    def stage(self, values, source, ctx):
        street, ban_id = values.get("street") or "", values.get("ban_id") or ""
        if not street and not ban_id:
            raise RowRefused(
                "Le logement n'est pas désigné",
                "l'adresse du logement (numéro et voie) ou son identifiant BAN",
                "street",
            )
        made_on = values["made_on"]
        if made_on < DPE_START:
            raise RowRefused(
                f"Un DPE daté du {_day(made_on)}, avant son institution le 1er novembre 2006",
                "la date d'établissement inscrite sur le DPE",
                "made_on",
            )
        method = rules.dpe_method(made_on)
        given = values.get("method")
        if given and given != method:
            raise RowRefused(
                f"Un DPE établi le {_day(made_on)} relève de la « {method.label} », pas de la "
                f"« {DpeMethod(given).label} »",
                "la date exacte du DPE, ou la colonne « Méthode » vide : Toit la déduit de la date "
                "(réforme du 1er juillet 2021)",
                "method",
            )
        number = values.get("street_number") or ""
        return {
            **{f: values.get(f) for f, _ in self.staged},
            "street_number": number,
            "street": street,
            "address_key": address.address_key(street, number) if street else "",
            "complement": values.get("complement") or "",
            "ban_id": ban_id,
        }

    def apply(self, row, source, ctx):
        dwelling = self._dwelling(row, ctx)
        self._check_dates(dwelling, row)
        dpe = EnergyDiagnosis(
            department_id=dwelling.department_id,
            dwelling=dwelling,
            stage=row["stage"],
            made_on=row["made_on"],
            method=rules.dpe_method(row["made_on"]),
            energy_class=row["energy_class"],
            kwh_per_m2_year=row["kwh_per_m2_year"],
        )
        dpe.full_clean()
        dpe.save()
        return Applied(dpe.pk)

    def _dwelling(self, row, ctx):
        commune = Commune.objects.get(pk=row["commune"])
        reach = Dwelling.objects.current().filter(
            access.dpe_import_q(ctx.user, ctx.organisation, ctx.today), commune=commune
        )
        unknown = RowRefused(UNKNOWN, UNKNOWN_FIX, "ban_id" if not row["street"] else "street")
        found = []
        if row["ban_id"]:
            found = list(reach.filter(ban_id__iexact=row["ban_id"])[:2])
            if len(found) > 1:
                raise RowRefused(
                    "Plusieurs logements du registre portent cet identifiant BAN (doublons que le pôle n'a pas encore "
                    "rapprochés)",
                    "l'adresse et le complément du logement, ou la décision du pôle sur la proposition de fusion",
                    "ban_id",
                )
            if found and row["street"] and found[0].address_key != row["address_key"]:
                raise RowRefused(
                    "L'identifiant BAN et l'adresse désignent deux logements différents",
                    "l'identifiant BAN de cette adresse, ou la cellule « Identifiant BAN » vide",
                    "ban_id",
                )
        if not found and row["street"]:
            found = list(reach.filter(address_key=row["address_key"]))
            if row["complement"]:
                wanted = normalise_text(row["complement"])
                found = [d for d in found if normalise_text(d.complement) == wanted]
            if row["ban_id"] and any(d.ban_id and d.ban_id.lower() != row["ban_id"] for d in found):
                raise RowRefused(
                    "Le logement à cette adresse a un autre identifiant BAN",
                    "l'identifiant BAN du logement, ou la cellule « Identifiant BAN » vide",
                    "ban_id",
                )
            if len(found) > 1:
                distinct = {normalise_text(d.complement) for d in found}
                raise RowRefused(
                    f"{len(found)} logements du registre à cette adresse"
                    + (" (doublons que le pôle n'a pas encore rapprochés)" if len(distinct) == 1 else ""),
                    "le complément d'adresse (bâtiment, étage, porte) ou l'identifiant BAN du logement"
                    + (", ou la décision du pôle sur la proposition de fusion" if len(distinct) == 1 else ""),
                    "complement",
                )
        if not found:
            raise unknown
        return found[0]

    def _check_dates(self, dwelling, row):
        made_on, stage = row["made_on"], row["stage"]
        recorded = list(EnergyDiagnosis.objects.filter(dwelling=dwelling).order_by("made_on", "pk"))
        for dpe in recorded:
            if dpe.stage == stage and dpe.made_on == made_on:
                raise RowRefused(
                    f"Ce logement a déjà un DPE {dpe.get_stage_display().lower()} du {_day(made_on)} (classe "
                    f"{dpe.energy_class}, {dpe.kwh_per_m2_year} kWh/m²/an)",
                    "rien si c'est le même DPE : retirez la ligne ; sinon corrigez le DPE enregistré sur la page du "
                    "logement, avec un motif",
                    "made_on",
                )
        if stage == DpeStage.AFTER:
            later = [d for d in recorded if d.stage == DpeStage.BEFORE and d.made_on >= made_on]
            if later:
                raise RowRefused(
                    f"Un DPE après travaux du {_day(made_on)}, qui ne suit pas le DPE avant travaux du "
                    f"{_day(later[-1].made_on)} de ce logement",
                    "la date du DPE établi une fois les travaux faits, ou l'étape « avant travaux »",
                    "made_on",
                )
            return
        earlier = [d for d in recorded if d.stage == DpeStage.AFTER and d.made_on <= made_on]
        if earlier:
            raise RowRefused(
                f"Un DPE avant travaux du {_day(made_on)}, qui ne précède pas le DPE après travaux du "
                f"{_day(earlier[0].made_on)} de ce logement",
                "la date du DPE établi avant les travaux, ou l'étape « après travaux »",
                "made_on",
            )
        pst = PstDwelling.objects.filter(dwelling=dwelling).first()
        if pst is not None and pst.available_on and made_on > pst.available_on:
            raise RowRefused(
                f"Un DPE avant travaux du {_day(made_on)}, après la mise à disposition du logement par le PST le "
                f"{_day(pst.available_on)}",
                "la date du DPE établi avant les travaux, ou l'étape « après travaux »",
                "made_on",
            )
