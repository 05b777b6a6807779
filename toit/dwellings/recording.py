"""Entering the register from the web (sheets 2A to 2C): a dwelling, a case and what it
holds (reports, visits, qualifications, acts with their prescribed works, rehousings, the
exit from indignity), a DPE. Each operation runs in one transaction with an explicit acting
user, who must read the dwelling (toit.dwellings.access): a refusal writes nothing. Each
record is stamped with its author and a reason in its history; every kind is then
correctable with a reason (toit.dwellings.corrections).

A new dwelling whose normalised address (toit.dwellings.address) is already registered in
the commune is refused until the user says to create it anyway; then a merge is proposed to
the pôle (toit.dwellings.merging.propose_for), never made silently. Duplicates are searched
among what the user reads only, in a commune of their territory: creating a dwelling tells
nothing about another département or territory."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from toit.dwellings import access, merging
from toit.dwellings.enums import ActKind, Interdiction, Sector
from toit.dwellings.models import (
    Act,
    Case,
    CaseQualification,
    CaseReport,
    Dwelling,
    EnergyDiagnosis,
    Owner,
    PrescribedWork,
    Rehousing,
    Visit,
)
from toit.territory.models import Commune

ENTERED = "saisi dans Toit"
NOT_READ = "Ce logement n'est pas dans le registre que vous pouvez lire : un membre du pôle qui le lit le saisit."
OUTSIDE_TERRITORY = (
    "Cette commune n'est pas dans le territoire où vous saisissez des logements (le département, l'EPCI ou la "
    "commune de votre organisation au pôle) : choisissez une commune de ce territoire."
)


class DuplicateAddress(ValidationError):
    """Dwellings the user reads already registered at this address in this commune."""

    def __init__(self, dwellings):
        self.dwellings = list(dwellings)
        super().__init__(
            "Un logement est déjà enregistré à cette adresse dans cette commune : ouvrez-le, ou confirmez qu'il "
            "s'agit d'un autre logement (une fusion sera alors proposée au pôle)."
        )


def _stamp(record, user, reason=ENTERED):
    record._history_user = user
    record._change_reason = reason


def _save(record, user, reason=ENTERED):
    _stamp(record, user, reason)
    record.full_clean()
    record.save()
    return record


def _require(user, dwelling):
    try:
        access.require_reads(user, dwelling)
    except PermissionDenied:
        raise PermissionDenied(NOT_READ) from None
    if dwelling.merged_into_id:
        raise ValidationError(
            "Ce logement a été fusionné dans un autre : saisissez sur le logement conservé (lien en haut de sa page)."
        )


def _not_future(value, field, what):
    today = timezone.localdate()
    if value and value > today:
        raise ValidationError(
            {
                field: f"{what} est dans le futur ({value:%d/%m/%Y}) : on l'enregistre le jour venu, au plus tard le "
                f"{today:%d/%m/%Y}."
            }
        )


def _not_before_opening(case, value, field, what):
    if value and value < case.opened_on:
        raise ValidationError(
            {
                field: f"{what} ({value:%d/%m/%Y}) précède l'ouverture du dossier le {case.opened_on:%d/%m/%Y} : "
                "vérifiez la date, ou corrigez la date d'ouverture du dossier."
            }
        )


def writable_communes(user):
    return Commune.objects.filter(access.communes_q(user))


@transaction.atomic
def create_dwelling(
    *,
    user,
    commune,
    street,
    building_type,
    tenure,
    street_number="",
    number_suffix="",
    complement="",
    ban_id="",
    cadastral_ref="",
    sector=Sector.PRIVATE,
    rooms=None,
    surface=None,
    occupants=None,
    owner=None,
    new_owner=None,
    create_anyway=False,
):
    """A new dwelling of the register, with its owner (one the user reads, or `new_owner`:
    a dict of kind, name and contact). Raises DuplicateAddress when the address is already
    registered in the commune, unless `create_anyway`: then a merge is proposed."""
    if commune is None or not writable_communes(user).filter(pk=commune.pk).exists():
        raise ValidationError({"commune": OUTSIDE_TERRITORY})
    if owner is not None and new_owner:
        raise ValidationError({"owner": "Choisissez un propriétaire déjà connu, ou créez-en un, pas les deux."})
    if owner is not None:
        visible = access.visible_owners(Owner.objects.filter(pk=owner.pk), user).exists()
        if not visible or owner.department_id != commune.department_id:
            raise ValidationError({"owner": "Ce propriétaire n'est pas parmi ceux du département que vous lisez."})
        if owner.anonymised_at:
            raise ValidationError(
                {"owner": "Ce propriétaire a été anonymisé (durée de conservation écoulée) : créez le propriétaire."}
            )
    dwelling = Dwelling(
        department_id=commune.department_id,
        commune=commune,
        street_number=(street_number or "").strip(),
        number_suffix=number_suffix or "",
        street=(street or "").strip(),
        complement=(complement or "").strip(),
        ban_id=(ban_id or "").strip(),
        cadastral_ref=(cadastral_ref or "").strip(),
        building_type=building_type,
        sector=sector,
        tenure=tenure,
        rooms=rooms,
        surface=surface,
        occupants=occupants,
    )
    dwelling.full_clean(exclude=["owner"])
    same = (
        Dwelling.objects.visible_to(user)
        .current()
        .filter(commune=commune, address_key=dwelling.address_key)
        .select_related("commune", "owner")
        .order_by("pk")
    )
    duplicates = list(same)
    if duplicates and not create_anyway:
        raise DuplicateAddress(duplicates)
    if new_owner:
        owner = _save(
            Owner(
                department_id=commune.department_id,
                kind=new_owner["kind"],
                name=(new_owner["name"] or "").strip(),
                contact=(new_owner.get("contact") or "").strip(),
            ),
            user,
        )
    dwelling.owner = owner
    reason = ENTERED
    if duplicates:
        reason = f"{ENTERED}, malgré un logement déjà enregistré à cette adresse : fusion proposée au pôle"
    _save(dwelling, user, reason)
    dwelling.proposals = merging.propose_for(dwelling) if duplicates else []
    return dwelling


@transaction.atomic
def open_case(
    dwelling,
    *,
    user,
    opened_on,
    source,
    tenure,
    occupied=True,
    disorders="",
    pole_reference="",
    reporting_organisation=None,
):
    """Open a case on the dwelling from its first report (received on the opening date)."""
    _require(user, dwelling)
    _not_future(opened_on, "opened_on", "La date d'ouverture")
    case = _save(
        Case(
            department_id=dwelling.department_id,
            dwelling=dwelling,
            opened_on=opened_on,
            tenure=tenure,
            occupied=occupied,
            pole_reference=(pole_reference or "").strip(),
        ),
        user,
    )
    _save(
        CaseReport(
            case=case,
            received_on=opened_on,
            source=source,
            disorders=(disorders or "").strip(),
            reporting_organisation=reporting_organisation,
        ),
        user,
    )
    return case


def _case(case, user):
    _require(user, case.dwelling)
    return case


@transaction.atomic
def add_report(case, *, user, received_on, source, disorders="", reporting_organisation=None):
    _case(case, user)
    _not_future(received_on, "received_on", "La date de réception")
    _not_before_opening(case, received_on, "received_on", "Ce signalement")
    return _save(
        CaseReport(
            case=case,
            received_on=received_on,
            source=source,
            disorders=(disorders or "").strip(),
            reporting_organisation=reporting_organisation,
        ),
        user,
    )


@transaction.atomic
def add_visit(case, *, user, visited_on, visitor="", findings=""):
    """A visit, on behalf of the organisation through which the user reads the register."""
    _case(case, user)
    _not_future(visited_on, "visited_on", "La date de visite")
    _not_before_opening(case, visited_on, "visited_on", "La visite")
    return _save(
        Visit(
            case=case,
            visited_on=visited_on,
            visitor=(visitor or "").strip(),
            findings=(findings or "").strip(),
            organisation_id=access.acting_organisation(user, case.department_id),
        ),
        user,
    )


@transaction.atomic
def add_qualification(case, *, user, kind, qualified_on, note=""):
    _case(case, user)
    _not_future(qualified_on, "qualified_on", "La date de qualification")
    _not_before_opening(case, qualified_on, "qualified_on", "La qualification")
    known = CaseQualification.objects.filter(case=case, kind=kind).first()
    if known is not None:
        raise ValidationError(
            {
                "kind": f"Ce dossier est déjà qualifié « {known.get_kind_display()} » "
                f"(le {known.qualified_on:%d/%m/%Y}) : corrigez cette qualification plutôt que d'en saisir une seconde."
            }
        )
    return _save(
        CaseQualification(
            case=case,
            kind=kind,
            qualified_on=qualified_on,
            note=(note or "").strip(),
            organisation_id=access.acting_organisation(user, case.department_id),
        ),
        user,
    )


def _work_lines(text):
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


@transaction.atomic
def add_act(
    case,
    *,
    user,
    kind,
    signed_on,
    works_deadline=None,
    interdiction=Interdiction.NONE,
    interdiction_until=None,
    lifts=None,
    works="",
):
    """An act of the case, checked against the code in force on its date (rules.check_act,
    through Act.clean), with the works it prescribes (one per line of `works`, all due by
    `works_deadline`). A mainlevée names the act it lifts, of the same case."""
    _case(case, user)
    _not_future(signed_on, "signed_on", "La date de signature")
    _not_before_opening(case, signed_on, "signed_on", "L'acte")
    lines = _work_lines(works)
    interdiction = interdiction or Interdiction.NONE
    errors = {}
    if kind == ActKind.LIFTING:
        if lines:
            errors["works"] = "Une mainlevée ne prescrit pas de travaux : saisissez-les sur l'arrêté qui les prescrit."
        if interdiction:
            errors["interdiction"] = "Une mainlevée lève l'interdiction d'habiter : laissez « Aucune »."
    elif lifts is not None:
        errors["lifts"] = "Seule une mainlevée lève un arrêté : choisissez le type « Arrêté de mainlevée »."
    if lines and works_deadline is None:
        errors["works_deadline"] = "Des travaux prescrits ont un délai d'exécution : indiquez-le."
    if works_deadline and signed_on and works_deadline < signed_on:
        errors["works_deadline"] = "Le délai d'exécution ne peut précéder la signature de l'acte."
    if interdiction != Interdiction.TEMPORARY and interdiction_until:
        errors["interdiction_until"] = "Seule une interdiction temporaire d'habiter a une date de fin."
    if interdiction == Interdiction.TEMPORARY and interdiction_until and interdiction_until <= signed_on:
        errors["interdiction_until"] = "L'interdiction temporaire finit après la signature de l'acte."
    if errors:
        raise ValidationError(errors)
    act = _save(
        Act(
            case=case,
            kind=kind,
            signed_on=signed_on,
            works_deadline=works_deadline,
            interdiction=interdiction,
            interdiction_until=interdiction_until,
            lifts=lifts,
        ),
        user,
    )
    for line in lines:
        _save(PrescribedWork(act=act, description=line[:255], deadline=works_deadline), user)
    return act


def _check_done(act, done_on, done_by):
    if done_on is None:
        if done_by:
            raise ValidationError({"done_on": "Des travaux réalisés ont une date de réalisation : indiquez-la."})
        return
    _not_future(done_on, "done_on", "La date de réalisation")
    if done_on < act.signed_on:
        raise ValidationError(
            {"done_on": f"Des travaux prescrits par l'acte du {act.signed_on:%d/%m/%Y} ne sont pas réalisés avant."}
        )


@transaction.atomic
def add_work(act, *, user, description, deadline, done_on=None, done_by="", cost=None):
    _case(act.case, user)
    if act.kind == ActKind.LIFTING:
        raise ValidationError("Une mainlevée ne prescrit pas de travaux : saisissez-les sur l'arrêté qui les prescrit.")
    if deadline < act.signed_on:
        raise ValidationError({"deadline": "Le délai d'exécution ne peut précéder la signature de l'acte."})
    _check_done(act, done_on, done_by)
    work = PrescribedWork(
        act=act, description=(description or "").strip(), deadline=deadline, done_on=done_on, done_by=done_by or ""
    )
    work.cost = cost
    return _save(work, user)


@transaction.atomic
def record_works_done(work, *, user, done_on, done_by, cost=None):
    """Prescribed works done, by the owner or ex officio."""
    _case(work.act.case, user)
    work = PrescribedWork.objects.select_for_update().select_related("act").get(pk=work.pk)
    if work.done_on:
        raise ValidationError(
            f"Ces travaux sont déjà enregistrés comme réalisés le {work.done_on:%d/%m/%Y} : corrigez-les avec un motif."
        )
    if not done_by:
        raise ValidationError({"done_by": "Dites qui a réalisé les travaux : le propriétaire ou d'office."})
    _check_done(work.act, done_on, done_by)
    work.done_on, work.done_by = done_on, done_by
    if cost is not None:
        work.cost = cost
    return _save(work, user, "travaux réalisés")


@transaction.atomic
def add_rehousing(case, *, user, on, kind, persons):
    _case(case, user)
    _not_future(on, "on", "La date d'hébergement ou de relogement")
    _not_before_opening(case, on, "on", "L'hébergement ou le relogement")
    if not persons or persons < 1:
        raise ValidationError({"persons": "Au moins une personne est hébergée ou relogée."})
    return _save(Rehousing(case=case, on=on, kind=kind, persons=persons), user)


@transaction.atomic
def record_exit(case, *, user, exit_on, exit_mode, occupied_at_exit, occupants_kept):
    """The case's exit from indignity: when, how, and whether the occupants stayed."""
    _case(case, user)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.exit_on:
        raise ValidationError(
            f"Ce dossier est déjà sorti de l'indignité le {case.exit_on:%d/%m/%Y} : corrigez la sortie avec un motif."
        )
    if case.closed_on:
        raise ValidationError(
            f"Ce dossier a été clos sans sortie le {case.closed_on:%d/%m/%Y} : corrigez-le avec un motif."
        )
    _not_future(exit_on, "exit_on", "La date de sortie")
    if occupants_kept and not occupied_at_exit:
        raise ValidationError(
            {"occupants_kept": "Des occupants maintenus supposent un logement occupé à la sortie : répondez « non »."}
        )
    case.exit_on, case.exit_mode = exit_on, exit_mode
    case.occupied_at_exit, case.occupants_kept = bool(occupied_at_exit), bool(occupants_kept)
    return _save(case, user, "sortie d'indignité")


@transaction.atomic
def add_dpe(dwelling, *, user, stage, made_on, energy_class, kwh_per_m2_year):
    """A DPE before or after works; its method follows from its date (rules.dpe_method)."""
    _require(user, dwelling)
    _not_future(made_on, "made_on", "La date du DPE")
    return _save(
        EnergyDiagnosis(
            department_id=dwelling.department_id,
            dwelling=dwelling,
            stage=stage,
            made_on=made_on,
            energy_class=energy_class,
            kwh_per_m2_year=kwh_per_m2_year,
        ),
        user,
    )
