"""Indicators of sheets 2D to 2G computed from the accommodation data.

Every metric is a few SQL aggregates: rows are chosen by their dates in the period and by
the commune of their structure (or project), then counted or summed in the database. The
occupancy rate and the cost per place sum place-days (toit.accommodation.occupancy): over
the places open on each day of the period, never over today's capacity. A ratio or an
average with nothing to divide returns None (« non calculable »), never 0.

Returns to accommodation are counted within one structure: the same person cannot yet be
recognised across structures (that needs the record linkage of issue 13).

A rate, an amount or a duration names its base (`base=`), the count of units behind it that
disclosure control treats as a count (docs/disclosure-control.md): the stays behind an
occupancy rate, the ended stays behind a length of stay, the places behind a funding."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from toit.accommodation.enums import (
    DESTINATION_GROUPS,
    ORDINARY_HOUSING,
    ORIGIN_GROUPS,
    STRUCTURE_GROUPS,
    YOUTH_ACCOMMODATION,
    YOUTH_HOUSING,
    EntryOrigin,
    ExitDestination,
    FundingBasis,
    PartnershipKind,
    ProjectKind,
    StructureKind,
    YouthOfferKind,
)
from toit.accommodation.models import (
    CapacityPeriod,
    Funding,
    OccupancySummary,
    Partnership,
    Project,
    Stay,
    Structure,
    YouthOffer,
)
from toit.accommodation.occupancy import (
    DaysBetween,
    available_place_days,
    occupied_place_days,
    overlap_days,
    overlapping,
)
from toit.metrics.enums import Unit
from toit.metrics.registry import MetricError, register
from toit.territory.scopes import TerritoryScope

ALL = "all"
STRUCTURE_COMMUNE = "structure__commune"
# A month of funding per place covers a twelfth of a year of 365 days.
DAYS_PER_MONTH = Decimal(365) / Decimal(12)
MONEY = DecimalField(max_digits=18, decimal_places=4)


def _choice(name, value, allowed):
    if value not in allowed:
        raise MetricError(
            f"Paramètre « {name} » : valeur « {value} » inconnue ; valeurs admises : {', '.join(allowed)}."
        )
    return allowed[value]


def _options(enum, groups=None):
    options = {ALL: None}
    options.update({name: frozenset(values) for name, values in (groups or {}).items()})
    options.update({value: frozenset({value}) for value in enum.values})
    return options


def _help(enum, groups=None):
    return f"{' | '.join(_options(enum, groups))} (défaut : {ALL})"


KIND_HELP = _help(StructureKind, STRUCTURE_GROUPS)


def _kinds(kind, prefix=""):
    kinds = _choice("kind", kind, _options(StructureKind, STRUCTURE_GROUPS))
    return Q(**{f"{prefix}kind__in": kinds}) if kinds else Q()


def _in_period(period, field):
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _share(numerator, denominator, factor=1):
    if not denominator:
        return None
    places = Decimal("0.1") if factor == 100 else Decimal("0.01")
    return (Decimal(numerator) * factor / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def _grouped(metric, rows, commune=STRUCTURE_COMMUNE, value=None):
    """The grouped form of an additive metric (see toit.observatory.engine): the metric's
    rows for the whole département, summed by the commune they lie in. `value(period)`
    gives the aggregate (default: a count)."""

    def by_commune(period, department_code, **params):
        scope = TerritoryScope.department_scope(department_code)
        aggregate = value(period) if value is not None else Count("pk")
        grouped = rows(period, scope, **params).order_by().values(f"{commune}__insee_code").annotate(_v=aggregate)
        return {row[f"{commune}__insee_code"]: row["_v"] or 0 for row in grouped}

    metric.by_commune = by_commune
    return metric


def _ratio(metric, numerator, denominator, combine):
    def by_commune_parts(period, department_code, **params):
        return (
            numerator(period, department_code, **params),
            denominator(period, department_code, **params),
        )

    metric.by_commune_parts = by_commune_parts
    metric.combine = combine
    return metric


# --- structures and places (2D-1, 2D-2, 2G-1, 2G-2) ---------------------------------------


def _structures_opened(period, scope, kind=ALL):
    return Structure.objects.filter(_in_period(period, "opened_on"), scope.q("commune"), _kinds(kind))


@register(
    "accommodation.structures_opened",
    label="Structures créées",
    unit=Unit.COUNT,
    description="Structures ouvertes dans la période (date d'ouverture), par type ou groupe de types "
    "(maisons_relais : maisons relais et résidences accueil ; accueil_2g : moyens d'accueil de la fiche 2G). "
    "Fiches 2D et 2G.",
    params={"kind": KIND_HELP},
)
def structures_opened(period, scope, kind=ALL):
    return _structures_opened(period, scope, kind).count()


_grouped(structures_opened, _structures_opened, commune="commune")


def _capacity_starts(period, scope, kind=ALL):
    previous = CapacityPeriod.objects.filter(structure=OuterRef("structure"), valid_until=OuterRef("valid_from"))
    return (
        CapacityPeriod.objects.filter(_in_period(period, "valid_from"), scope.q(STRUCTURE_COMMUNE))
        .filter(_kinds(kind, "structure__"))
        .annotate(_before=Coalesce(Subquery(previous.values("places")[:1]), Value(0)))
    )


def _created(period):
    return Sum(Greatest(F("places") - F("_before"), Value(0)))


@register(
    "accommodation.places_created",
    label="Places créées",
    unit=Unit.COUNT,
    description="Places ajoutées dans la période : pour chaque changement de capacité daté de la période, "
    "la hausse par rapport à la capacité qui précédait (une baisse ne retranche rien). Fiches 2D et 2G.",
    params={"kind": KIND_HELP},
)
def places_created(period, scope, kind=ALL):
    return _capacity_starts(period, scope, kind).aggregate(n=_created(period))["n"] or 0


_grouped(places_created, _capacity_starts, value=_created)


# --- occupancy (2D-14, 2G-3) ---------------------------------------------------------------


def _capacity_rows(period, scope, kind=ALL):
    return CapacityPeriod.objects.filter(
        overlapping("valid_from", "valid_until", period), scope.q(STRUCTURE_COMMUNE), _kinds(kind, "structure__")
    )


def _stay_rows(period, scope, kind=ALL):
    return Stay.objects.filter(
        overlapping("entry_on", "exit_on", period), scope.q(STRUCTURE_COMMUNE), _kinds(kind, "structure__")
    )


def _available(period):
    return Sum(available_place_days(period))


def _occupied(period):
    return Sum(occupied_place_days(period))


def _summary_rows(period, scope, kind=ALL):
    """Monthly summaries (structures that send no list of residents) of the months that
    start in the period, for a structure-month where no stay has a night: a month is
    counted from the stays or from the summary, never both."""
    stays_of_the_month = Stay.objects.filter(
        structure=OuterRef("structure"), entry_on__lte=OuterRef("month_end")
    ).filter(Q(exit_on__isnull=True) | Q(exit_on__gt=OuterRef("month")))
    return OccupancySummary.objects.filter(
        _in_period(period, "month"), scope.q(STRUCTURE_COMMUNE), _kinds(kind, "structure__")
    ).exclude(Exists(stays_of_the_month))


def _summary_nights(period):
    return Sum("occupied_place_days")


def place_days(period, scope, kind=ALL):
    """(occupied, available) place-days of the period: three aggregates."""
    occupied = _stay_rows(period, scope, kind).aggregate(n=_occupied(period))["n"] or 0
    occupied += _summary_rows(period, scope, kind).aggregate(n=_summary_nights(period))["n"] or 0
    available = _capacity_rows(period, scope, kind).aggregate(n=_available(period))["n"] or 0
    return occupied, available


@register(
    "accommodation.available_place_days",
    label="Journées-places disponibles",
    unit=Unit.COUNT,
    description="Somme, sur chaque jour de la période, des places ouvertes ce jour-là.",
    params={"kind": KIND_HELP},
)
def available_days(period, scope, kind=ALL):
    return place_days(period, scope, kind)[1]


_grouped(available_days, _capacity_rows, value=_available)


@register(
    "accommodation.occupied_place_days",
    label="Journées-places occupées",
    unit=Unit.COUNT,
    description="Nuitées des séjours dans la période (le jour de sortie n'est pas une nuitée) ; pour une "
    "structure qui n'envoie pas de liste nominative, nuitées de sa synthèse mensuelle, pour chaque mois commencé "
    "dans la période où elle n'a aucun séjour (jamais les deux pour un même mois).",
    params={"kind": KIND_HELP},
)
def occupied_days(period, scope, kind=ALL):
    return place_days(period, scope, kind)[0]


_grouped(occupied_days, _stay_rows, value=_occupied)
_stay_nights_by_commune = occupied_days.by_commune
_summary_nights_by_commune = _grouped(lambda: None, _summary_rows, value=_summary_nights).by_commune


def _occupied_by_commune(period, department_code, **params):
    total = dict(_stay_nights_by_commune(period, department_code, **params))
    for code, nights in _summary_nights_by_commune(period, department_code, **params).items():
        total[code] = total.get(code, 0) + nights
    return total


occupied_days.by_commune = _occupied_by_commune


@register(
    "accommodation.occupancy_rate",
    label="Taux d'occupation",
    unit=Unit.PERCENT,
    description="Journées-places occupées rapportées aux journées-places disponibles sur chaque jour de la "
    "période, en pourcentage : une place ouverte en cours d'année ne compte que pour les jours où elle l'était. "
    "Fiches 2D et 2G.",
    params={"kind": KIND_HELP},
    # The people whose nights make the rate, not the places (a directory publishes those).
    base="accommodation.stays",
)
def occupancy_rate(period, scope, kind=ALL):
    occupied, available = place_days(period, scope, kind)
    return _share(occupied, available, 100)


_ratio(occupancy_rate, occupied_days.by_commune, available_days.by_commune, lambda n, d: _share(n, d, 100))


@register(
    "accommodation.stays",
    label="Séjours en cours",
    unit=Unit.COUNT,
    description="Séjours dont au moins une nuitée tombe dans la période (une personne revenue deux fois compte "
    "deux séjours) : la base du taux d'occupation.",
    params={"kind": KIND_HELP},
)
def stays(period, scope, kind=ALL):
    return _stay_rows(period, scope, kind).count()


_grouped(stays, _stay_rows)


def _places_by_structure(period, scope, kind=ALL):
    """{(structure id, commune INSEE code): the most places it had on a day of the period}."""
    rows = _capacity_rows(period, scope, kind).values_list("structure_id", f"{STRUCTURE_COMMUNE}__insee_code", "places")
    most = {}
    for structure, insee, places in rows:
        most[(structure, insee)] = max(most.get((structure, insee), 0), places or 0)
    return most


@register(
    "accommodation.places",
    label="Places ouvertes",
    unit=Unit.COUNT,
    description="Places des structures ouvertes pendant la période, chaque structure comptant pour sa plus "
    "grande capacité de la période : la base du financement et du coût par place.",
    params={"kind": KIND_HELP},
)
def places(period, scope, kind=ALL):
    return sum(_places_by_structure(period, scope, kind).values())


def _places_by_commune(period, department_code, kind=ALL):
    by_commune = {}
    scope = TerritoryScope.department_scope(department_code)
    for (_structure, insee), value in _places_by_structure(period, scope, kind).items():
        by_commune[insee] = by_commune.get(insee, 0) + value
    return by_commune


# A structure lies in one commune: its places add up across communes.
places.by_commune = _places_by_commune


# --- cost per place (2G-4) -------------------------------------------------------------------


def _funding_rows(period, scope, kind=ALL):
    """One row per (funding, capacity period) of the same structure that overlap in the
    period: a funding per place is paid for the places open while it is in force."""
    return CapacityPeriod.objects.filter(
        overlapping("valid_from", "valid_until", period),
        scope.q(STRUCTURE_COMMUNE),
        _kinds(kind, "structure__"),
        structure__fundings__valid_from__lte=period.end,
    )


def _funding_amount(period):
    days = overlap_days(
        "valid_from", "valid_until", period, ("structure__fundings__valid_from", "structure__fundings__valid_until")
    )
    per_day = Case(
        When(
            structure__fundings__basis=FundingBasis.PER_PLACE_MONTH,
            then=F("structure__fundings__amount") / Value(DAYS_PER_MONTH, output_field=MONEY),
        ),
        default=F("structure__fundings__amount"),
        output_field=MONEY,
    )
    return Sum(ExpressionWrapper(per_day * F("places") * days, output_field=MONEY))


def _money(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@register(
    "accommodation.funding",
    label="Financement de fonctionnement des places",
    unit=Unit.EUR,
    description="Montant dû dans la période au titre des financements par place (par jour, ou par mois "
    "compté pour 365/12 jours), pour les places ouvertes chaque jour où le financement est en vigueur.",
    params={"kind": KIND_HELP},
    base="accommodation.places",
)
def funding(period, scope, kind=ALL):
    return _money(_funding_rows(period, scope, kind).aggregate(n=_funding_amount(period))["n"] or 0)


_grouped(funding, _funding_rows, value=_funding_amount)


def _average_places(period, department_code, **params):
    days = (period.end - period.start).days + 1
    return {
        code: Decimal(value) / days
        for code, value in available_days.by_commune(period, department_code, **params).items()
    }


@register(
    "accommodation.cost_per_place",
    label="Coût par place",
    unit=Unit.EUR,
    description="Financement de fonctionnement de la période divisé par le nombre moyen de places ouvertes "
    "(journées-places disponibles / jours de la période) : sur une année, le coût annuel d'une place. Fiche 2G.",
    params={"kind": KIND_HELP},
    base="accommodation.places",
)
def cost_per_place(period, scope, kind=ALL):
    amount = _funding_rows(period, scope, kind).aggregate(n=_funding_amount(period))["n"]
    available = place_days(period, scope, kind)[1]
    days = (period.end - period.start).days + 1
    if not available:
        return None
    return _money(Decimal(amount or 0) * days / Decimal(available))


_ratio(cost_per_place, funding.by_commune, _average_places, lambda n, d: _money(Decimal(n) / Decimal(d)) if d else None)


# --- entries and exits (2D-4 to 2D-13, 2G-5 to 2G-15) ----------------------------------------


def _entries(period, scope, kind=ALL, origin=ALL):
    origins = _choice("origin", origin, _options(EntryOrigin, ORIGIN_GROUPS))
    queryset = Stay.objects.filter(
        _in_period(period, "entry_on"), scope.q(STRUCTURE_COMMUNE), _kinds(kind, "structure__")
    )
    return queryset.filter(origin__in=origins) if origins else queryset


def _exits(period, scope, kind=ALL, destination=ALL):
    destinations = _choice("destination", destination, _options(ExitDestination, DESTINATION_GROUPS))
    queryset = Stay.objects.filter(
        _in_period(period, "exit_on"), scope.q(STRUCTURE_COMMUNE), _kinds(kind, "structure__")
    )
    return queryset.filter(destination__in=destinations) if destinations else queryset


@register(
    "accommodation.entries",
    label="Entrées",
    unit=Unit.COUNT,
    description="Séjours commencés dans la période, par provenance (motif d'entrée) ou groupe de provenances "
    "(sans_abri, institution, logement, parcours). Fiches 2D et 2G.",
    params={"kind": KIND_HELP, "origin": _help(EntryOrigin, ORIGIN_GROUPS)},
)
def entries(period, scope, kind=ALL, origin=ALL):
    return _entries(period, scope, kind, origin).count()


_grouped(entries, _entries)


@register(
    "accommodation.exits",
    label="Sorties",
    unit=Unit.COUNT,
    description="Séjours terminés dans la période, par destination (motif de sortie) ou groupe de destinations "
    "(logement_ordinaire, structure, soins_deces, rupture). Fiches 2D et 2G.",
    params={"kind": KIND_HELP, "destination": _help(ExitDestination, DESTINATION_GROUPS)},
)
def exits(period, scope, kind=ALL, destination=ALL):
    return _exits(period, scope, kind, destination).count()


_grouped(exits, _exits)


def _length(queryset):
    return queryset.annotate(_days=DaysBetween(F("exit_on"), F("entry_on")))


@register(
    "accommodation.mean_length_of_stay",
    label="Durée moyenne de séjour",
    unit=Unit.DAYS,
    description="Durée moyenne, en jours, des séjours terminés dans la période (sortie − entrée). Fiche 2G.",
    params={"kind": KIND_HELP},
    base="accommodation.exits",
)
def mean_length_of_stay(period, scope, kind=ALL):
    row = _length(_exits(period, scope, kind)).aggregate(n=Count("pk"), total=Sum("_days"))
    return _share(row["total"], row["n"]) if row["n"] else None


def _length_sums(period, department_code, kind=ALL):
    scope = TerritoryScope.department_scope(department_code)
    rows = (
        _length(_exits(period, scope, kind))
        .order_by()
        .values(f"{STRUCTURE_COMMUNE}__insee_code")
        .annotate(_v=Sum("_days"))
    )
    return {row[f"{STRUCTURE_COMMUNE}__insee_code"]: row["_v"] or 0 for row in rows}


# A mean is a ratio of two additive parts: days of the ended stays over their number.
_ratio(mean_length_of_stay, _length_sums, exits.by_commune, lambda total, n: _share(total, n) if n else None)


@register(
    "accommodation.median_length_of_stay",
    label="Durée médiane de séjour",
    unit=Unit.DAYS,
    description="Durée médiane, en jours, des séjours terminés dans la période (moyenne des deux valeurs "
    "centrales pour un nombre pair). Fiche 2G.",
    params={"kind": KIND_HELP},
    base="accommodation.exits",
)
def median_length_of_stay(period, scope, kind=ALL):
    # Portable and set-based: count, then read the middle row(s) in order (no percentile
    # function on SQLite).
    rows = _length(_exits(period, scope, kind))
    n = rows.count()
    if not n:
        return None
    middle = list(rows.order_by("_days").values_list("_days", flat=True)[(n - 1) // 2 : n // 2 + 1])
    return _share(sum(middle), len(middle))


# --- returns to accommodation -----------------------------------------------------------------

RETURN_WINDOWS = {"6": 6, "12": 12, "24": 24}


def _housing_exits_returned(period, scope, kind=ALL, months="12"):
    # SQL adds no months portably: a month counts for 365/12 days, said in the description.
    window = datetime.timedelta(days=round(_choice("months", str(months), RETURN_WINDOWS) * 365 / 12))
    rows = _exits(period, scope, kind).filter(destination__in=ORDINARY_HOUSING)
    later = Stay.objects.filter(
        resident=OuterRef("resident"),
        structure=OuterRef("structure"),
        entry_on__gte=OuterRef("exit_on"),
        entry_on__lte=ExpressionWrapper(OuterRef("exit_on") + window, output_field=DateField()),
    ).exclude(pk=OuterRef("pk"))
    return rows, later


def _returned_rows(period, scope, kind=ALL, months="12"):
    rows, later = _housing_exits_returned(period, scope, kind, months)
    return rows.filter(Exists(later))


@register(
    "accommodation.returns_after_housing",
    label="Retours en hébergement après une sortie vers le logement",
    unit=Unit.COUNT,
    description="Sorties vers le logement ordinaire de la période suivies d'une nouvelle entrée dans la même "
    "structure dans les 6, 12 ou 24 mois (un mois compté pour 365/12 jours). Tant que la même personne ne peut "
    "être reconnue d'une structure à l'autre (rapprochement de l'accès prioritaire), un retour dans une autre "
    "structure n'est pas vu : la valeur est un minimum.",
    params={"kind": KIND_HELP, "months": "6 | 12 | 24 (défaut : 12)"},
)
def returns_after_housing(period, scope, kind=ALL, months="12"):
    return _returned_rows(period, scope, kind, months).count()


@register(
    "accommodation.return_rate_after_housing",
    label="Taux de retour en hébergement après une sortie vers le logement",
    unit=Unit.PERCENT,
    description="Retours (voir accommodation.returns_after_housing) rapportés aux sorties vers le logement "
    "ordinaire de la période, en pourcentage ; un minimum tant que les personnes ne sont pas rapprochées entre "
    "structures.",
    params={"kind": KIND_HELP, "months": "6 | 12 | 24 (défaut : 12)"},
    base="accommodation.exits",
    base_params={"destination": "logement_ordinaire"},
)
def return_rate_after_housing(period, scope, kind=ALL, months="12"):
    rows, later = _housing_exits_returned(period, scope, kind, months)
    counts = rows.aggregate(n=Count("pk"), back=Count("pk", filter=Q(Exists(later))))
    return _share(counts["back"], counts["n"], 100)


# --- partnerships (2D-3, 2G-16) ----------------------------------------------------------------


def _partnerships(period, scope, kind=ALL, partnership=ALL):
    kinds = _choice("partnership", partnership, _options(PartnershipKind))
    queryset = Partnership.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=period.end),
        signed_on__lte=period.end,
        structure__closed_on__isnull=True,
    ).filter(scope.q(STRUCTURE_COMMUNE), _kinds(kind, "structure__"))
    return queryset.filter(kind__in=kinds) if kinds else queryset


@register(
    "accommodation.partnerships",
    label="Conventions de partenariat en vigueur",
    unit=Unit.COUNT,
    description="Conventions signées et en vigueur à la fin de la période, par type de partenaire : le niveau "
    "de formalisation des partenariats des fiches 2D et 2G compté, non apprécié.",
    params={"kind": KIND_HELP, "partnership": _help(PartnershipKind)},
)
def partnerships(period, scope, kind=ALL, partnership=ALL):
    return _partnerships(period, scope, kind, partnership).count()


_grouped(partnerships, _partnerships)


# --- projects (2F) and youth offer (2E) -------------------------------------------------------

STAGE_FIELDS = {
    "repere": "spotted_on",
    "etudie": "studied_on",
    "montage": "setup_on",
    "finance": "funded_on",
    "livre": "delivered_on",
}
COUNTED = {"projets": None, "logements": "dwellings_planned", "places": "places_planned"}


def _projects(period, scope, stage="livre", kind=ALL, guide="all", count="projets"):
    field = _choice("stage", stage, STAGE_FIELDS)
    kinds = _choice("kind", kind, _options(ProjectKind))
    _choice("count", count, COUNTED)
    guided = _choice("guide", guide, {"all": None, "oui": True, "non": False})
    queryset = Project.objects.filter(_in_period(period, field), scope.q("commune"))
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if guided is not None:
        queryset = queryset.filter(guide_method=guided)
    return queryset


@register(
    "accommodation.projects",
    label="Projets d'habitat adapté ayant atteint une étape",
    unit=Unit.COUNT,
    description="Projets dont l'étape (repéré, étudié, en montage, financé, livré) est datée dans la période, "
    "comptés en projets, en logements ou en places prévus, selon la méthode du guide « habitat adapté » ou non. "
    "Fiches 2D, 2E et 2F.",
    params={
        "stage": "repere | etudie | montage | finance | livre (défaut : livre)",
        "kind": _help(ProjectKind),
        "guide": "all | oui | non (défaut : all)",
        "count": "projets | logements | places (défaut : projets)",
    },
)
def projects(period, scope, stage="livre", kind=ALL, guide="all", count="projets"):
    rows = _projects(period, scope, stage, kind, guide, count)
    field = COUNTED[count]
    if field is None:
        return rows.count()
    return rows.aggregate(n=Sum(field))["n"] or 0


def _projects_by_commune(period, department_code, stage="livre", kind=ALL, guide="all", count="projets"):
    scope = TerritoryScope.department_scope(department_code)
    field = COUNTED.get(count)
    rows = _projects(period, scope, stage, kind, guide, count).order_by().values("commune__insee_code")
    grouped = rows.annotate(_v=Sum(field) if field else Count("pk"))
    return {row["commune__insee_code"]: row["_v"] or 0 for row in grouped}


projects.by_commune = _projects_by_commune

YOUTH_CATEGORIES = {"all": None, "hebergement": YOUTH_ACCOMMODATION, "logement": YOUTH_HOUSING}


def _youth(period, scope, category="all", kind=ALL):
    kinds = _choice("category", category, YOUTH_CATEGORIES)
    one = _choice("kind", kind, _options(YouthOfferKind))
    queryset = YouthOffer.objects.filter(_in_period(period, "made_available_on"), scope.q("commune"))
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if one:
        queryset = queryset.filter(kind__in=one)
    return queryset


@register(
    "accommodation.youth_offer",
    label="Hébergements et logements mis en place pour les jeunes",
    unit=Unit.COUNT,
    description="Places ou logements mis à disposition des 18-25 ans dans la période : hébergements (ALT, FJT "
    "et antennes « Soleil », urgence) ou logements (petits logements conventionnés, T2 du parc social). Fiche 2E.",
    params={"category": "all | hebergement | logement (défaut : all)", "kind": _help(YouthOfferKind)},
)
def youth_offer(period, scope, category="all", kind=ALL):
    return _youth(period, scope, category, kind).aggregate(n=Sum("units"))["n"] or 0


_grouped(youth_offer, _youth, commune="commune", value=lambda period: Sum("units"))


def _data_version():
    from toit.accommodation.models import Application, Resident
    from toit.observatory.versions import table_fingerprint

    return table_fingerprint(
        Structure.objects,
        CapacityPeriod.objects,
        Funding.objects,
        OccupancySummary.objects,
        Partnership.objects,
        Resident.objects,
        Stay.objects,
        Application.objects,
        Project.objects,
        YouthOffer.objects,
    )


if apps.is_installed("toit.observatory"):
    from toit.observatory.versions import register_data_version

    register_data_version("accommodation", _data_version)
