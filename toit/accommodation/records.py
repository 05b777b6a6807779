"""Operations on accommodation records, each in a transaction with an explicit acting user.
Corrections always carry a reason, kept in the record's history (django-simple-history's
change reason), so that a figure changed after the fact can be explained."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from toit.accommodation import access
from toit.accommodation.enums import ProjectStage
from toit.accommodation.models import (
    Application,
    CapacityPeriod,
    Funding,
    OccupancySummary,
    Partnership,
    Project,
    Resident,
    Stay,
)
from toit.accommodation.models.project import STAGE_DATES
from toit.eviction.corrections import MIN_REASON, reason_within_length, require_reason


def _stamp(obj, user, reason):
    obj._history_user = user
    obj._change_reason = reason


@transaction.atomic
def set_capacity(structure, places, valid_from, user, reason=""):
    """From `valid_from` the structure has `places` places: the period in force that day is
    cut there, later periods are left (a correction of a later change is made on it)."""
    if places < 0:
        raise ValidationError("Le nombre de places ne peut pas être négatif.")
    periods = CapacityPeriod.objects.select_for_update().filter(structure=structure)
    same_day = periods.filter(valid_from=valid_from).first()
    if same_day:
        same_day.places = places
        _stamp(same_day, user, reason or "capacité modifiée")
        same_day.save()
        return same_day
    current = periods.filter(valid_from__lt=valid_from).order_by("-valid_from").first()
    following = periods.filter(valid_from__gt=valid_from).order_by("valid_from").first()
    until = following.valid_from if following else None
    if current and (current.valid_until is None or current.valid_until > valid_from):
        current.valid_until = valid_from
        _stamp(current, user, reason or "capacité modifiée")
        current.save()
    period = CapacityPeriod(structure=structure, valid_from=valid_from, valid_until=until, places=places)
    _stamp(period, user, reason or "capacité enregistrée")
    period.full_clean()
    period.save()
    return period


def capacity_on(structure, day):
    period = (
        CapacityPeriod.objects.filter(structure=structure, valid_from__lte=day)
        .exclude(valid_until__lte=day)
        .order_by("-valid_from")
        .first()
    )
    return period.places if period else 0


def _check_staff(user, structure):
    if not access.may_read_residents(user, structure):
        raise PermissionDenied("Seul le personnel de la structure enregistre ses séjours.")


@transaction.atomic
def record_entry(structure, user, *, last_name, first_name="", birth_date=None, entry_on, origin, resident=None):
    _check_staff(user, structure)
    if resident is not None:
        if resident.structure_id != structure.pk:
            raise ValidationError({"resident": "Ce résident est suivi par une autre structure."})
        overlapping = resident.stays.filter(entry_on__lte=entry_on).exclude(exit_on__lt=entry_on).first()
        if overlapping:
            raise ValidationError(
                {
                    "entry_on": f"Cette personne est déjà dans la structure à cette date (entrée le "
                    f"{overlapping.entry_on:%d/%m/%Y}) : enregistrez d'abord sa sortie."
                }
            )
    if resident is None:
        resident = Resident(structure=structure, last_name=last_name, first_name=first_name, birth_date=birth_date)
        _stamp(resident, user, "entrée")
        resident.full_clean()
        resident.save()
    stay = Stay(structure=structure, resident=resident, entry_on=entry_on, origin=origin)
    _stamp(stay, user, "entrée")
    stay.full_clean()
    stay.save()
    return stay


@transaction.atomic
def record_exit(stay, user, *, exit_on, destination):
    _check_staff(user, stay.structure)
    if stay.exit_on:
        raise ValidationError(
            {"exit_on": f"Ce séjour a déjà une sortie, le {stay.exit_on:%d/%m/%Y} : corrigez-la avec un motif."}
        )
    stay.exit_on, stay.destination = exit_on, destination
    _stamp(stay, user, "sortie")
    stay.full_clean()
    stay.save()
    return stay


CORRECTABLE = ("entry_on", "origin", "exit_on", "destination")


@transaction.atomic
def correct_stay(stay, user, reason, **changes):
    """Correct a stay's dates or reasons; the reason is kept in its history."""
    _check_staff(user, stay.structure)
    reason = _require_reason(reason, "la correction")
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(f"Champ(s) non corrigeable(s) : {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(stay, name, value)
    if stay.exit_on is None:
        stay.destination = ""
    _stamp(stay, user, f"correction : {reason}")
    stay.full_clean()
    stay.save()
    return stay


IDENTITY_FIELDS = ("last_name", "first_name", "birth_date")


def _correct_identity(record, user, reason, changes, allowed):
    reason = _require_reason(reason, "la correction")
    if record.anonymised_at:
        raise ValidationError(
            "Cette personne a été anonymisée (durée de conservation écoulée) : on ne la corrige plus."
        )
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(f"Champ(s) non corrigeable(s) ici : {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    _stamp(record, user, f"correction : {reason}")
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def correct_resident(resident, user, reason, **changes):
    """Correct a resident's name or birth date (a typo at the entry), by the structure's staff."""
    _check_staff(user, resident.structure)
    return _correct_identity(resident, user, reason, changes, IDENTITY_FIELDS)


APPLICANT_FIELDS = (*IDENTITY_FIELDS, "dalo", "applied_on")


@transaction.atomic
def correct_application(application, user, reason, **changes):
    """Correct what the filer typed (identity, DALO, date of the application), by the
    commission's secretariat, the only one who sees the application."""
    if not access.visible_applications(type(application).objects.filter(pk=application.pk), user).exists():
        raise PermissionDenied("Seul le secrétariat de la commission corrige ses demandes.")
    return _correct_identity(application, user, reason, changes, APPLICANT_FIELDS)


DECISION_FIELDS = ("examined_on", "decision", "proposed_structure", "entered_on")


@transaction.atomic
def record_decision(application, user, reason="", **changes):
    """Record or correct the commission's decision on an application (date, decision,
    structure proposed, entry). A change of what was already recorded needs a reason."""
    if not access.visible_applications(type(application).objects.filter(pk=application.pk), user).exists():
        raise PermissionDenied("Seul le secrétariat de la commission enregistre ses décisions.")
    unknown = set(changes) - set(DECISION_FIELDS)
    if unknown:
        raise ValidationError(f"Champ(s) non modifiable(s) ici : {', '.join(sorted(unknown))}.")
    reason = reason_within_length(reason)
    overwritten = [
        name
        for name, value in changes.items()
        if getattr(application, name) not in (None, "", "en_attente") and getattr(application, name) != value
    ]
    if overwritten and len(reason) < MIN_REASON:
        raise ValidationError({"reason": "Vous modifiez une décision déjà enregistrée : indiquez le motif."})
    for name, value in changes.items():
        setattr(application, name, value)
    _stamp(application, user, f"correction : {reason}" if overwritten else (reason or "décision de la commission"))
    application.full_clean()
    application.save()
    return application


def _require_reason(reason, what="la modification"):
    return require_reason(reason, f"de {what}", "il est gardé dans l'historique avec votre nom")


def _check_manager(user, structure):
    if not access.may_manage_structure(user, structure):
        raise PermissionDenied(
            "Seul le personnel de l'organisation gestionnaire enregistre les places et les conventions de la structure."
        )


@transaction.atomic
def change_capacity(structure, user, *, places, valid_from, reason):
    """Places open or close from `valid_from` (a page's change, with its reason in the
    history of the periods it cuts and creates)."""
    _check_manager(user, structure)
    reason = _require_reason(reason, "ce changement de places")
    if places is None or places < 0:
        raise ValidationError(
            {"places": "Le nombre de places ne peut pas être négatif : indiquez 0 pour une fermeture."}
        )
    if valid_from < structure.opened_on:
        raise ValidationError(
            {
                "valid_from": f"La structure a ouvert le {structure.opened_on:%d/%m/%Y} : ses places ne peuvent pas "
                "changer avant."
            }
        )
    if structure.closed_on and valid_from >= structure.closed_on:
        raise ValidationError(
            {
                "valid_from": f"La structure est fermée depuis le {structure.closed_on:%d/%m/%Y} : choisissez une "
                "date antérieure."
            }
        )
    return set_capacity(structure, places, valid_from, user, reason=reason)


PARTNERSHIP_FIELDS = ("kind", "partner", "partner_label", "signed_on", "ended_on")


def _check_partnership(partnership):
    if not partnership.partner_id and not partnership.partner_label.strip():
        raise ValidationError(
            {"partner_label": "Indiquez le partenaire : choisissez une organisation ou écrivez son nom."}
        )
    if partnership.ended_on and partnership.ended_on < partnership.signed_on:
        raise ValidationError(
            {"ended_on": "La convention prend fin avant d'être signée : corrigez l'une des deux dates."}
        )


def _record_for_structure(model, fields, check, structure, user, values, message):
    """A convention or a funding of the structure, entered by its managing staff."""
    _check_manager(user, structure)
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError(f"Champ(s) inconnu(s) : {', '.join(sorted(unknown))}.")
    record = model(structure=structure, **values)
    check(record)
    _stamp(record, user, message)
    record.full_clean()
    record.save()
    return record


def _correct_for_structure(record, fields, check, user, reason, changes):
    """Correct a convention or a funding, the reason kept in its history."""
    _check_manager(user, record.structure)
    reason = _require_reason(reason, "la correction")
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValidationError(f"Champ(s) non corrigeable(s) : {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(record, name, value)
    check(record)
    _stamp(record, user, f"correction : {reason}")
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def record_partnership(structure, user, **values):
    """A convention signed between the structure and a partner."""
    return _record_for_structure(
        Partnership, PARTNERSHIP_FIELDS, _check_partnership, structure, user, values, "convention enregistrée"
    )


@transaction.atomic
def correct_partnership(partnership, user, reason, **changes):
    """Correct a convention (or record its end), the reason kept in its history."""
    return _correct_for_structure(partnership, PARTNERSHIP_FIELDS, _check_partnership, user, reason, changes)


FUNDING_FIELDS = ("funder", "funder_label", "basis", "amount", "valid_from", "valid_until")


def _check_funding(funding):
    if not funding.funder_id and not funding.funder_label.strip():
        raise ValidationError(
            {"funder_label": "Indiquez le financeur : choisissez une organisation ou écrivez son nom."}
        )
    if funding.amount is None or funding.amount < 0:
        raise ValidationError({"amount": "Le montant ne peut pas être négatif."})
    if funding.valid_until and funding.valid_until <= funding.valid_from:
        raise ValidationError(
            {"valid_until": "La fin du financement doit suivre son début (elle est exclue) : corrigez l'une des dates."}
        )


@transaction.atomic
def record_funding(structure, user, **values):
    """Operating funding per place (the cost per place of sheet 2G comes from these)."""
    return _record_for_structure(
        Funding, FUNDING_FIELDS, _check_funding, structure, user, values, "financement enregistré"
    )


@transaction.atomic
def correct_funding(funding, user, reason, **changes):
    return _correct_for_structure(funding, FUNDING_FIELDS, _check_funding, user, reason, changes)


def _check_project_writer(user, department_id):
    if not access.may_write_projects(user, department_id):
        raise PermissionDenied(
            "Seuls les services de l'État et les collectivités du département enregistrent ses projets."
        )


PROJECT_FIELDS = (
    "name",
    "kind",
    "promoter",
    "promoter_label",
    "commune",
    "places_planned",
    "dwellings_planned",
    "for_youth",
    "guide_method",
    "spotted_on",
)


@transaction.atomic
def create_project(department, user, **values):
    """A project spotted in the département: it enters the pipeline at the first stage."""
    _check_project_writer(user, department.pk)
    unknown = set(values) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationError(f"Champ(s) inconnu(s) : {', '.join(sorted(unknown))}.")
    project = Project(department=department, **values)
    _check_project(project)
    _stamp(project, user, "projet repéré")
    project.full_clean()
    project.save()
    return project


def _check_project(project):
    if not project.promoter_id and not project.promoter_label.strip():
        raise ValidationError(
            {"promoter_label": "Indiquez le porteur : choisissez une organisation ou écrivez son nom."}
        )
    if not project.places_planned and not project.dwellings_planned:
        raise ValidationError(
            {"places_planned": "Indiquez les places ou les logements prévus (l'un des deux au moins)."}
        )


CORRECTABLE_PROJECT_FIELDS = (
    *PROJECT_FIELDS,
    *(field for _, field in STAGE_DATES[1:]),
    "abandoned_on",
)


@transaction.atomic
def correct_project(project, user, reason, **changes):
    """Correct a project (a date of a stage, its places, its promoter…) or record that it was
    abandoned; the reason is kept in its history."""
    _check_project_writer(user, project.department_id)
    reason = _require_reason(reason, "la correction")
    unknown = set(changes) - set(CORRECTABLE_PROJECT_FIELDS)
    if unknown:
        raise ValidationError(f"Champ(s) non corrigeable(s) : {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(project, name, value)
    _check_project(project)
    if project.abandoned_on and project.abandoned_on < project.spotted_on:
        raise ValidationError({"abandoned_on": "Un projet ne peut pas être abandonné avant d'avoir été repéré."})
    _stamp(project, user, f"correction : {reason}")
    project.full_clean()
    project.save()
    return project


STAGE_ORDER = [stage for stage, _ in STAGE_DATES]


def next_stage(project):
    """The stage a project reaches next (None once delivered)."""
    index = STAGE_ORDER.index(project.stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


@transaction.atomic
def advance_project(project, user, *, stage, on):
    """The project reaches `stage` on `on`: only the next stage, never one back or one skipped,
    and not before the date of the stage it leaves."""
    _check_project_writer(user, project.department_id)
    if project.abandoned_on:
        raise ValidationError(f"Ce projet a été abandonné le {project.abandoned_on:%d/%m/%Y} : il n'avance plus.")
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": "Choisissez une étape du guide."})
    current = STAGE_ORDER.index(project.stage)
    target = STAGE_ORDER.index(stage)
    current_label = ProjectStage(project.stage).label
    if target <= current:
        raise ValidationError(
            {
                "stage": f"Le projet est déjà à l'étape « {current_label} » : une étape ne se franchit pas à rebours. "
                "Une date erronée se corrige sur la page « Corriger le projet », avec un motif."
            }
        )
    if target > current + 1:
        raise ValidationError(
            {
                "stage": f"Franchissez d'abord l'étape « {ProjectStage(STAGE_ORDER[current + 1]).label} » : les étapes "
                "du guide se suivent."
            }
        )
    previous_on = getattr(project, STAGE_DATES[current][1])
    if on < previous_on:
        raise ValidationError(
            {
                "on": f"Le projet est à l'étape « {current_label} » depuis le {previous_on:%d/%m/%Y} : l'étape "
                "suivante ne peut pas être datée avant."
            }
        )
    setattr(project, STAGE_DATES[target][1], on)
    _stamp(project, user, f"étape « {ProjectStage(stage).label} » le {on:%d/%m/%Y}")
    project.full_clean()
    project.save()
    return project


APPLICATION_FIELDS = ("last_name", "first_name", "birth_date", "dalo", "applied_on")


@transaction.atomic
def file_application(commission, user, *, referred_by, **values):
    """An application to the admission commission, filed in the name of one of the user's
    organisations (access.referring_organisations). The filer does not see it afterwards,
    unless it holds the secretariat: nothing here tells whether the person applied before."""
    if not access.referring_organisations(user, commission).filter(pk=referred_by.pk).exists():
        raise PermissionDenied(
            f"Vous ne pouvez pas déposer une demande au nom de « {referred_by} » auprès de cette commission."
        )
    unknown = set(values) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationError(f"Champ(s) inconnu(s) : {', '.join(sorted(unknown))}.")
    application = Application(commission=commission, referred_by=referred_by, **values)
    _stamp(application, user, "demande déposée")
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def record_summary(structure, user, *, month, occupied_place_days, entries=0, exits=0):
    """A structure's month as its manager summarises it (structures that send no list of
    residents). Its staff record it; a month already summarised is corrected on its record,
    with a reason, never here."""
    _check_staff(user, structure)
    if OccupancySummary.objects.filter(structure=structure, month=month).exists():
        raise ValidationError(
            {
                "month": f"Le mois {month:%m/%Y} de « {structure} » est déjà résumé : corrigez la synthèse "
                "enregistrée, avec un motif."
            }
        )
    summary = OccupancySummary(
        structure=structure,
        month=month,
        month_end=OccupancySummary.last_day(month),
        occupied_place_days=occupied_place_days,
        entries=entries,
        exits=exits,
    )
    summary.recorded_by = user
    _stamp(summary, user, "synthèse d'occupation")
    summary.full_clean()
    summary.save()
    return summary


SUMMARY_CORRECTABLE = ("occupied_place_days", "entries", "exits")


@transaction.atomic
def correct_summary(summary, user, reason, **changes):
    """Correct a monthly summary's figures; the reason is kept in its history."""
    _check_staff(user, summary.structure)
    reason = _require_reason(reason, "la correction")
    unknown = set(changes) - set(SUMMARY_CORRECTABLE)
    if unknown:
        raise ValidationError(f"Champ(s) non corrigeable(s) : {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(summary, name, value)
    _stamp(summary, user, f"correction : {reason}")
    summary.full_clean()
    summary.save()
    return summary
