from django.db import models


class IndicatorKind(models.TextChoices):
    MANUAL = "manual", "saisi"
    COMPUTED = "computed", "calculé"


class Comparator(models.TextChoices):
    AT_LEAST = ">=", "au moins"
    AT_MOST = "<=", "au plus"
    EQUAL = "=", "égal à"
    ABOUT = "about", "environ"
    BETWEEN = "between", "entre"
    # « Réduire… »: lower than the value of a reference period (Target.reference_code), by
    # at least `value` per cent (0: any reduction).
    BELOW_REFERENCE = "below_reference", "inférieur à la période de référence"


class CostPer(models.TextChoices):
    YEAR = "year", "par an"
    PLAN = "plan", "sur la durée du plan"
    ONE_OFF = "one_off", "ponctuel"
    PLACE_DAY = "place_day", "par place et par jour"
    UNIT = "unit", "par unité"
    UNSPECIFIED = "unspecified", "période non précisée"


class TargetPeriod(models.TextChoices):
    """A target applies to each year, to the plan as a whole, or to one named period
    (a year such as 2010 or a quarter such as 2010T3, stored in Target.period_code)."""

    YEARLY = "yearly", "chaque année"
    PLAN = "plan", "sur la durée du plan"
    SPECIFIC = "specific", "période précise"


class IndicatorStatus(models.TextChoices):
    REACHED = "atteint", "Atteint"
    ON_TRACK = "en_bonne_voie", "En bonne voie"
    LATE = "en_retard", "En retard"
    MISSING = "non_renseigne", "Non renseigné"
    NO_TARGET = "sans_cible", "Sans cible chiffrée"


class ReportKind(models.TextChoices):
    """The follow-up reports of a plan (toit.observatory.reports), whose lines the plan file
    declares (its `report` section: `quarterly` and `annual`)."""

    QUARTERLY = "trimestriel", "Suivi trimestriel"
    ANNUAL = "annuel", "Suivi annuel"
