"""Recording manual measurements: the value is checked against the indicator's unit, the
period against the plan and the indicator's periodicity, before anything is written."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.timezone import localtime

from toit.metrics.enums import Periodicity, Unit
from toit.metrics.periods import Period, PeriodError
from toit.plans.enums import IndicatorKind
from toit.plans.models import Indicator, Measurement


def parse_decimal(text):
    """Accept what French users type: "1 234,5", "1234.5", "12 %", "42 000 €"."""
    cleaned = str(text).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.removesuffix("%").removesuffix("€").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def clean_value(indicator, raw):
    """Return (value, text_value) for the indicator's unit or raise ValidationError."""
    raw = "" if raw is None else str(raw).strip()
    if not raw:
        raise ValidationError({"value": "Indiquez une valeur."})
    if indicator.unit == Unit.TEXT:
        return None, raw
    try:
        value = parse_decimal(raw)
    except ValueError:
        raise ValidationError(
            {"value": f"« {raw} » n'est pas un nombre. Cet indicateur attend {_expected(indicator.unit)}."}
        ) from None
    if value < 0:
        raise ValidationError({"value": f"La valeur ne peut pas être négative ; attendu {_expected(indicator.unit)}."})
    if indicator.unit == Unit.COUNT and value != value.to_integral_value():
        raise ValidationError({"value": f"« {raw} » n'est pas un nombre entier ; cet indicateur compte des unités."})
    if indicator.unit == Unit.PERCENT and value > 100:
        raise ValidationError({"value": f"« {raw} » dépasse 100 % ; indiquez un pourcentage entre 0 et 100."})
    if value.as_tuple().exponent < -2:
        raise ValidationError({"value": "Au plus deux décimales."})
    if abs(value) >= Decimal("1e12"):
        raise ValidationError({"value": "Valeur trop grande."})
    return value, ""


MAX_BASE = 100_000_000


def needs_base(indicator):
    """A rate, an amount, a ratio or a duration rests on a count of units, its base; a
    count is its own base and text has none."""
    return indicator.unit not in (Unit.COUNT, Unit.TEXT)


NO_BASE_WARNING = (
    "Sans effectif de base, cette valeur ne sera pas publiée (données ouvertes, API, rapports) : "
    "un taux ou un montant n'est publié que si l'on sait sur combien de ménages, de logements ou de places "
    "il porte, et que ce nombre atteint le seuil du secret statistique. Indiquez-le en corrigeant la mesure "
    "dès que vous le connaissez."
)


def clean_base(indicator, raw, value=None):
    """The count of units behind a non-count value, from what the agent typed: a whole
    number ≥ 0, or None when left empty (the value then stays unpublished). `value` is the
    cleaned value, when known: a non-zero value cannot rest on 0 units."""
    raw = "" if raw is None else str(raw).strip()
    if not raw:
        return None
    if not needs_base(indicator):
        raise ValidationError(
            {
                "base": "Cet indicateur est un effectif (ou un texte) : il n'a pas d'effectif de base ; "
                "laissez ce champ vide."
            }
        )
    try:
        number = parse_decimal(raw)
    except ValueError:
        raise ValidationError(
            {"base": f"« {raw} » n'est pas un nombre. Indiquez le nombre d'unités concernées, un entier (ex. 42)."}
        ) from None
    if number < 0:
        raise ValidationError({"base": "L'effectif de base ne peut pas être négatif ; indiquez un entier (ex. 42)."})
    if number != number.to_integral_value():
        raise ValidationError(
            {
                "base": f"« {raw} » n'est pas un nombre entier ; "
                "l'effectif de base compte des ménages, logements ou places."
            }
        )
    if number > MAX_BASE:
        raise ValidationError({"base": "Effectif de base trop grand."})
    if number == 0 and value:
        raise ValidationError(
            {
                "base": "Une valeur non nulle ne peut pas porter sur 0 unité : indiquez l'effectif réel, "
                "ou laissez le champ vide s'il n'est pas connu."
            }
        )
    return int(number)


def _expected(unit):
    return {
        Unit.COUNT: "un nombre entier positif",
        Unit.PERCENT: "un pourcentage entre 0 et 100",
        Unit.RATIO: "un nombre décimal positif",
        Unit.EUR: "un montant en euros",
        Unit.DAYS: "un nombre de jours",
    }[Unit(unit)]


def clean_period(indicator, code):
    plan_period = indicator.plan.period
    try:
        period = Period.parse(code)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if period.kind == Periodicity.PLAN and period != plan_period:
        raise ValidationError(
            {"period": f"Pour la durée du plan, indiquez exactement {plan_period.code}, ou une année ou un trimestre."}
        )
    if not plan_period.covers(period):
        raise ValidationError(
            {
                "period": f"La période {period.code} est hors du plan ({plan_period.label}). "
                "Choisissez une période du plan."
            }
        )
    allowed = {
        Periodicity.QUARTER: {Periodicity.QUARTER, Periodicity.YEAR},
        Periodicity.YEAR: {Periodicity.YEAR, Periodicity.PLAN},
        Periodicity.PLAN: {Periodicity.PLAN, Periodicity.YEAR},
    }[Periodicity(indicator.periodicity)]
    if period.kind not in allowed:
        raise ValidationError(
            {
                "period": f"Cet indicateur est suivi de façon {indicator.get_periodicity_display()} : "
                f"une mesure pour « {period.label} » ne lui correspond pas."
            }
        )
    return period


def record_measurement(
    *, user, indicator, period, value, source, territory=None, comment="", organisation=None, synthetic=False, base=None
):
    """Record one manual measurement. `period` is a code ("2010", "2010T3", "2008-2012");
    `base` the count of units a non-count value rests on (text or number; None or empty
    when not known: the value is recorded but never published)."""
    if indicator.kind != IndicatorKind.MANUAL:
        raise ValidationError("Cet indicateur est calculé par Toit à partir des données : il ne se saisit pas.")
    if user is not None and not Indicator.objects.recordable_by(user).filter(pk=indicator.pk).exists():
        raise PermissionDenied("Vous ne pouvez pas saisir de mesure pour cet indicateur.")
    errors = {}
    number = text = parsed_period = None
    try:
        number, text = clean_value(indicator, value)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    count = None
    try:
        count = clean_base(indicator, base, number)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        parsed_period = clean_period(indicator, period)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not (source or "").strip():
        errors["source"] = ["Indiquez la source de la valeur (organisme, fichier, rapport…)."]
    if territory is not None and territory.plan_id != indicator.plan_id:
        errors["territory"] = ["Ce territoire n'appartient pas au plan de l'indicateur."]
    if errors:
        raise ValidationError(errors)

    duplicate = Measurement.objects.filter(
        indicator=indicator, period_start=parsed_period.start, period_end=parsed_period.end, territory=territory
    ).first()
    if duplicate:
        raise ValidationError(
            {
                "period": f"Une mesure existe déjà pour {parsed_period.label}"
                + (f" ({territory.label})" if territory else "")
                + f" : {duplicate.display_value}, saisie le {localtime(duplicate.recorded_at):%d/%m/%Y}. "
                "Corrigez-la (lien « Corriger » de l'historique des mesures) plutôt que d'en ajouter une seconde."
            }
        )
    try:
        with transaction.atomic():
            return Measurement.objects.create(
                indicator=indicator,
                period_start=parsed_period.start,
                period_end=parsed_period.end,
                periodicity=parsed_period.kind,
                territory=territory,
                value=number,
                text_value=text or "",
                base=count,
                source=source.strip(),
                comment=(comment or "").strip(),
                recorded_by=user,
                recorded_for=organisation,
                is_synthetic=synthetic,
            )
    except IntegrityError:
        # Two agents saving the same period at once: the constraint decides.
        raise ValidationError(
            {"period": "Une mesure vient d'être saisie pour cette période ; rechargez la page."}
        ) from None


def _require_may_correct(user, measurement):
    """A measurement is corrected by whoever may record the indicator and, when it was
    recorded on behalf of an organisation, by that organisation's members (or the
    observatory and administrators, who may record every indicator)."""
    from toit.organisations.enums import Role
    from toit.organisations.perms import active_memberships, departments_with_role

    if not Indicator.objects.recordable_by(user).filter(pk=measurement.indicator_id).exists():
        raise PermissionDenied("Vous ne pouvez pas corriger les mesures de cet indicateur.")
    department = measurement.indicator.plan.department_code
    privileged = user.is_superuser or department in (
        departments_with_role(user, Role.ADMIN) | departments_with_role(user, Role.OBSERVATORY)
    )
    own = active_memberships(user).filter(organisation=measurement.recorded_for_id).exists()
    if measurement.recorded_for_id and not (privileged or own):
        raise PermissionDenied(
            f"Cette mesure a été saisie au titre de « {measurement.recorded_for} » : seuls ses membres, "
            "l'observatoire et les administrateurs peuvent la corriger."
        )


def _recompute(measurement, user, reason):
    from toit.observatory.runs import data_changed

    plan = measurement.indicator.plan
    text = f"Mesure {measurement.indicator.code} {measurement.period.code} : {reason}"[:255]
    transaction.on_commit(lambda: data_changed(text, user=user, plan=plan))


def correct_measurement(measurement, user, reason, *, value=None, source=None, comment=None, base=None):
    """Correct the value, base, source or comment of a manual measurement (None:
    unchanged; an empty base removes it). The reason is kept in the measurement's history
    with both versions."""
    from toit.eviction.corrections import require_reason

    with transaction.atomic():
        measurement = Measurement.objects.select_for_update().select_related("indicator__plan").get(pk=measurement.pk)
        _require_may_correct(user, measurement)
        reason = require_reason(reason, kept="il est gardé dans l'historique de la mesure avec les deux versions")
        before = (measurement.value, measurement.text_value, measurement.base, measurement.source, measurement.comment)
        errors = {}
        if value is not None:
            try:
                number, text = clean_value(measurement.indicator, value)
            except ValidationError as exc:
                errors.update(exc.message_dict)
            else:
                measurement.value, measurement.text_value = number, text or ""
        if base is not None or (value is not None and "value" not in errors):
            # A new value is checked against the base it will rest on, old or new.
            try:
                count = clean_base(measurement.indicator, measurement.base if base is None else base, measurement.value)
            except ValidationError as exc:
                errors.update(exc.message_dict)
            else:
                measurement.base = count
        if source is not None:
            if not source.strip():
                errors["source"] = ["Indiquez la source de la valeur (organisme, fichier, rapport…)."]
            measurement.source = source.strip()
        if comment is not None:
            measurement.comment = comment.strip()
        if errors:
            raise ValidationError(errors)
        after = (measurement.value, measurement.text_value, measurement.base, measurement.source, measurement.comment)
        if before == after:
            raise ValidationError("Aucune modification : les valeurs saisies sont celles déjà enregistrées.")
        measurement._history_user = user
        measurement._change_reason = reason
        measurement.save()
        _recompute(measurement, user, reason)
    return measurement


def cancel_measurement(measurement, user, reason):
    """Cancel a measurement recorded by mistake: its history keeps it, with the reason."""
    from toit.eviction.corrections import require_reason

    with transaction.atomic():
        measurement = Measurement.objects.select_for_update().select_related("indicator__plan").get(pk=measurement.pk)
        _require_may_correct(user, measurement)
        reason = require_reason(reason, kept="il est gardé dans l'historique de la mesure avec les deux versions")
        measurement._history_user = user
        measurement._change_reason = reason
        measurement.delete()
        _recompute(measurement, user, reason)
