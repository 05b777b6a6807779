"""Operations on accommodation records, each in a transaction with an explicit acting user.
Corrections always carry a reason, kept in the record's history (django-simple-history's
change reason), so that a figure changed after the fact can be explained."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from toit.accommodation import access
from toit.accommodation.models import CapacityPeriod, OccupancySummary, Resident, Stay

MIN_REASON = 5


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
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": "Indiquez le motif de la correction (quelques mots au moins)."})
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
    reason = (reason or "").strip()
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
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": "Indiquez le motif de la correction (quelques mots au moins)."})
    unknown = set(changes) - set(SUMMARY_CORRECTABLE)
    if unknown:
        raise ValidationError(f"Champ(s) non corrigeable(s) : {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(summary, name, value)
    _stamp(summary, user, f"correction : {reason}")
    summary.full_clean()
    summary.save()
    return summary
