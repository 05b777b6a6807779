"""Indicators of sheets 1A to 1F computed from the eviction-prevention data.

Every metric is one SQL aggregate: rows are filtered by their date in the period and by
the commune of the household (for a report not yet matched, the commune reported), then
counted or summed in the database. A ratio or an average with nothing to divide returns
None (« non calculable »), never 0.

An amount, a rate or a ratio names its base (`base=`): the count of the households or
procedure steps behind it, which disclosure control treats as a count
(docs/disclosure-control.md). An amount paid to households is based on the number of
distinct households, not of payments: one household paid twice is still one household.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from toit.eviction.enums import (
    EventKind,
    FslPurpose,
    FslResult,
    HomeownerSource,
    HousingBenefit,
    HousingSector,
    RepaymentPlanKind,
    ReportSource,
    SettlementMode,
)
from toit.eviction.models import (
    Event,
    FileParticipant,
    FslDecision,
    HomeownerDifficulty,
    Household,
    OverIndebtednessCase,
    PreventionFile,
    RepaymentPayment,
    RepaymentPlan,
    Report,
)
from toit.metrics.enums import Unit
from toit.metrics.registry import MetricError, register
from toit.territory.scopes import TerritoryScope

FILE_COMMUNE = "file__household__commune"
ALL = "all"


def _choice(name, value, allowed):
    """Validate a parameter value; `allowed` maps accepted values to what they select."""
    if value not in allowed:
        raise MetricError(
            f"Paramètre « {name} » : valeur « {value} » inconnue ; valeurs admises : {', '.join(allowed)}."
        )
    return allowed[value]


def _options(enum):
    return {ALL: None, **{value: value for value in enum.values if value}}


def _params_help(enum, default=ALL):
    return f"{' | '.join(_options(enum))} (défaut : {default})"


def _in_scope(scope, path="file"):
    """Rows of live files (not cancelled: PreventionFile.cancelled_at) in the scope.
    `path` leads from the row to its file."""
    return scope.q(f"{path}__household__commune") & Q(**{f"{path}__cancelled_at__isnull": True})


def _in_period(period, field="date"):
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _events(period, scope, *kinds):
    return Event.objects.filter(_in_period(period), _in_scope(scope), kind__in=kinds)


def _money(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _share(numerator, denominator, factor=1):
    if not denominator:
        return None
    places = Decimal("0.1") if factor == 100 else Decimal("0.01")
    return (Decimal(numerator) * factor / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def _grouped(metric, rows, commune=FILE_COMMUNE, value=None):
    """Give an additive metric the grouped form the observatory engine uses to compute every
    commune, EPCI and plan territory in one query (see toit.observatory.engine): the same
    rows as the metric, for the whole département, summed by the commune they lie in.
    `commune` is a path to a Commune or an expression giving its INSEE code."""
    aggregate = value if value is not None else Count("pk")

    def by_commune(period, department_code, **params):
        scope = TerritoryScope.department_scope(department_code)
        insee = F(f"{commune}__insee_code") if isinstance(commune, str) else commune
        grouped = (
            rows(period, scope, **params).order_by().annotate(_insee=insee).values("_insee").annotate(_v=aggregate)
        )
        return {row["_insee"]: row["_v"] or 0 for row in grouped}

    metric.by_commune = by_commune
    return metric


def _ratio(metric, numerator, denominator, factor=1):
    """A ratio of two additive metrics: the engine sums both parts by territory, then
    divides, exactly as the metric does for one territory."""

    def by_commune_parts(period, department_code, **params):
        return (
            numerator.by_commune(period, department_code, **params),
            denominator.by_commune(period, department_code, **params),
        )

    metric.by_commune_parts = by_commune_parts
    metric.combine = lambda num, den: _share(num, den, factor)
    return metric


def _event_count(key, kind, label, description):
    def rows(period, scope):
        return _events(period, scope, kind)

    @register(key, label=label, unit=Unit.COUNT, description=description)
    def metric(period, scope):
        return rows(period, scope).count()

    metric.__name__ = key.split(".", 1)[1]
    return _grouped(metric, rows)


# --- 1B, 1C, 1F: the procedure -----------------------------------------------------------

assignations = _event_count(
    "eviction.assignations",
    EventKind.SUMMONS,
    "Assignations aux fins de résiliation du bail",
    "Assignations délivrées dans la période (date de l'assignation). Fiches 1A et 1C.",
)
orders_to_leave = _event_count(
    "eviction.orders_to_leave",
    EventKind.ORDER_TO_LEAVE,
    "Commandements de quitter les lieux",
    "Commandements de quitter les lieux délivrés dans la période. Fiche 1C.",
)
requisitions = _event_count(
    "eviction.requisitions",
    EventKind.REQUISITION,
    "Réquisitions de la force publique",
    "Réquisitions du concours de la force publique adressées au préfet dans la période. Fiche 1C.",
)
assistance_requested = _event_count(
    "eviction.assistance_requested",
    EventKind.REQUISITION,
    "Concours de la force publique demandés",
    "Demandes de concours de la force publique dans la période : une demande de concours est une "
    "réquisition, la valeur est celle de eviction.requisitions. Fiche 1C.",
)
assistance_granted = _event_count(
    "eviction.assistance_granted",
    EventKind.ASSISTANCE_GRANTED,
    "Concours de la force publique accordés",
    "Décisions du préfet accordant le concours de la force publique dans la période. Fiches 1B et 1F.",
)
assistance_refused = _event_count(
    "eviction.assistance_refused",
    EventKind.ASSISTANCE_REFUSED,
    "Concours de la force publique refusés",
    "Refus exprès du concours de la force publique dans la période (les refus implicites, par silence "
    "de deux mois, ne sont pas comptés). Fiche 1C.",
)
judgments = _event_count(
    "eviction.judgments",
    EventKind.JUDGMENT,
    "Ordonnances et jugements d'expulsion",
    "Décisions du juge sur une assignation rendues dans la période (toutes décisions : résiliation, délais, plan "
    "homologué, rejet). Fiche 4B : suivi trimestriel.",
)
evictions = _event_count(
    "eviction.evictions",
    EventKind.EVICTION,
    "Expulsions effectuées",
    "Expulsions exécutées dans la période.",
)
rehousings = _event_count(
    "eviction.rehousings",
    EventKind.REHOUSED,
    "Relogements effectifs",
    "Ménages relogés dans la période (issue « relogement »). Fiche 1B.",
)
debt_remissions = _event_count(
    "eviction.debt_remissions",
    EventKind.DEBT_REMISSION,
    "Remises de dette",
    "Remises de dette accordées dans la période. Fiche 1F.",
)
recourse_actions = _event_count(
    "eviction.recourse_actions",
    EventKind.RECOURSE,
    "Actions récursoires",
    "Actions récursoires de l'État contre l'occupant engagées dans la période. Fiche 1F.",
)


@register(
    "eviction.order_to_leave_rate",
    label="Taux de commandements de quitter les lieux / assignations",
    unit=Unit.PERCENT,
    description="Commandements de quitter les lieux rapportés aux assignations, délivrés dans la même "
    "période, en pourcentage (cible de la fiche 1B : 33 %, le taux de 1999).",
    base="eviction.assignations",
)
def order_to_leave_rate(period, scope):
    counts = _events(period, scope, EventKind.SUMMONS, EventKind.ORDER_TO_LEAVE).aggregate(
        summons=Count("pk", filter=Q(kind=EventKind.SUMMONS)),
        orders=Count("pk", filter=Q(kind=EventKind.ORDER_TO_LEAVE)),
    )
    return _share(counts["orders"], counts["summons"], 100)


_ratio(order_to_leave_rate, orders_to_leave, assignations, 100)


@register(
    "eviction.complete_diagnoses",
    label="Diagnostics sociaux et financiers complets",
    unit=Unit.COUNT,
    description="Diagnostics sociaux et financiers réalisés dans la période et déclarés complets. Fiche 1B.",
)
def complete_diagnoses(period, scope):
    return _complete_diagnoses(period, scope).count()


def _complete_diagnoses(period, scope):
    return _events(period, scope, EventKind.DIAGNOSIS_DONE).filter(complete=True)


_grouped(complete_diagnoses, _complete_diagnoses)


@register(
    "eviction.average_debt_at_assignation",
    label="Dette moyenne à l'assignation",
    unit=Unit.EUR,
    description="Montant moyen de la dette indiqué sur les assignations de la période (celles qui "
    "l'indiquent). Fiche 1A.",
    base="eviction.assignations_with_debt",
)
def average_debt_at_assignation(period, scope):
    result = _events(period, scope, EventKind.SUMMONS).filter(amount__isnull=False).aggregate(avg=Avg("amount"))
    return _money(result["avg"])


def _assignations_with_debt(period, scope):
    return _events(period, scope, EventKind.SUMMONS).filter(amount__isnull=False)


@register(
    "eviction.assignations_with_debt",
    label="Assignations indiquant le montant de la dette",
    unit=Unit.COUNT,
    description="Assignations délivrées dans la période qui indiquent le montant de la dette : la base de la "
    "dette moyenne à l'assignation.",
)
def assignations_with_debt(period, scope):
    return _assignations_with_debt(period, scope).count()


_grouped(assignations_with_debt, _assignations_with_debt)


# --- 1A: reports and housing benefit -----------------------------------------------------


def _reports(period, scope, source=ALL):
    source = _choice("source", source, _options(ReportSource))
    # A matched report lies where the household lives; an unmatched one where it was reported.
    where = scope.q(FILE_COMMUNE) | (Q(file__isnull=True) & scope.q("commune"))
    queryset = Report.objects.filter(_in_period(period, "reported_on")).filter(where)
    return queryset.filter(source=source) if source else queryset


@register(
    "eviction.unpaid_reports",
    label="Signalements d'impayés de loyer",
    unit=Unit.COUNT,
    description="Signalements d'impayés reçus dans la période, par source. Fiche 1A.",
    params={"source": _params_help(ReportSource)},
)
def unpaid_reports(period, scope, source=ALL):
    return _reports(period, scope, source).count()


# Same rule as _reports: the household's commune once matched, the reported one before.
_grouped(unpaid_reports, _reports, Coalesce(F(f"{FILE_COMMUNE}__insee_code"), F("commune__insee_code")))


@register(
    "eviction.average_debt_at_report",
    label="Dette moyenne au signalement",
    unit=Unit.EUR,
    description="Montant moyen de la dette indiqué par les signalements de la période. Fiche 1A.",
    params={"source": _params_help(ReportSource)},
    base="eviction.unpaid_reports",
)
def average_debt_at_report(period, scope, source=ALL):
    return _money(_reports(period, scope, source).aggregate(avg=Avg("debt_amount"))["avg"])


@register(
    "eviction.third_party_payment_households",
    label="Ménages dont l'aide au logement est versée au bailleur (tiers payant)",
    unit=Unit.COUNT,
    description="Ménages suivis (dossier ouvert au plus tard en fin de période) dont l'aide au logement "
    "est versée en tiers payant à la fin de la période. Fiche 1A. Un tiers payant arrêté depuis n'est "
    "pas connu de Toit : la valeur d'une période passée peut être sous-estimée.",
    params={"benefit": f"{' | '.join(_options(HousingBenefit))} (défaut : al)"},
)
def third_party_payment_households(period, scope, benefit=HousingBenefit.AL.value):
    return _third_party_households(period, scope, benefit).count()


def _third_party_households(period, scope, benefit=HousingBenefit.AL.value):
    benefit = _choice("benefit", benefit, _options(HousingBenefit))
    followed = PreventionFile.objects.live().filter(household=OuterRef("pk"), opened_on__lte=period.end)
    queryset = Household.objects.filter(
        scope.q("commune"), Exists(followed), third_party_payment=True, third_party_payment_since__lte=period.end
    )
    return queryset.filter(housing_benefit=benefit) if benefit else queryset


_grouped(third_party_payment_households, _third_party_households, "commune")


@register(
    "eviction.fsl_private_stay_households",
    label="Ménages du parc privé aidés par le FSL pour le maintien dans le logement",
    unit=Unit.COUNT,
    description="Ménages logés dans le parc privé ayant obtenu une aide du FSL au maintien dans la "
    "période, dans le cadre de la garantie, hors garantie ou les deux. Fiche 1A.",
    params={"guarantee": "all | with | without (défaut : all)"},
)
def fsl_private_stay_households(period, scope, guarantee=ALL):
    return _fsl_private_stay(period, scope, guarantee).aggregate(n=Count("file__household", distinct=True))["n"]


def _fsl_private_stay(period, scope, guarantee=ALL):
    under = _choice("guarantee", guarantee, {ALL: None, "with": True, "without": False})
    queryset = FslDecision.objects.filter(
        _in_period(period, "decided_on"),
        _in_scope(scope),
        purpose=FslPurpose.STAY,
        result=FslResult.GRANTED,
        file__household__sector=HousingSector.PRIVATE,
    )
    if under is not None:
        queryset = queryset.filter(under_guarantee=under)
    return queryset


# A household lives in one commune: distinct households add up across communes.
_grouped(fsl_private_stay_households, _fsl_private_stay, value=Count("file__household", distinct=True))


def _fsl_eviction(period, scope):
    return FslDecision.objects.filter(
        _in_period(period, "decided_on"), _in_scope(scope), result=FslResult.GRANTED, amount__isnull=False
    )


@register(
    "eviction.fsl_eviction_amount",
    label="Contribution du FSL au maintien et au relogement des ménages menacés d'expulsion",
    unit=Unit.EUR,
    description="Montant des aides du FSL accordées dans la période (maintien et accès à un logement) aux ménages "
    "suivis pour une menace d'expulsion (un dossier de prévention). Fiche 4B : suivi annuel.",
    base="eviction.fsl_eviction_households",
)
def fsl_eviction_amount(period, scope):
    return _money(_fsl_eviction(period, scope).aggregate(total=Sum("amount"))["total"] or 0)


_grouped(fsl_eviction_amount, _fsl_eviction, value=Sum("amount"))


@register(
    "eviction.fsl_eviction_households",
    label="Ménages menacés d'expulsion aidés par le FSL",
    unit=Unit.COUNT,
    description="Ménages suivis pour une menace d'expulsion ayant obtenu dans la période une aide du FSL d'un "
    "montant connu : la base de la contribution du FSL.",
)
def fsl_eviction_households(period, scope):
    return _fsl_eviction(period, scope).aggregate(n=Count("file__household", distinct=True))["n"]


# A household lives in one commune: distinct households add up across communes.
_grouped(fsl_eviction_households, _fsl_eviction, value=Count("file__household", distinct=True))


# --- 1B: repayment plans -----------------------------------------------------------------


def _plans(scope, kind, sector):
    kind = _choice("kind", kind, _options(RepaymentPlanKind))
    sector = _choice("sector", sector, _options(HousingSector))
    queryset = RepaymentPlan.objects.filter(_in_scope(scope))
    if kind:
        queryset = queryset.filter(kind=kind)
    if sector:
        queryset = queryset.filter(file__household__sector=sector)
    return queryset


@register(
    "eviction.repayment_plans_started",
    label="Plans d'apurement mis en place",
    unit=Unit.COUNT,
    description="Plans d'apurement dont la première échéance tombe dans la période. Fiche 1B.",
    params={"kind": _params_help(RepaymentPlanKind), "sector": _params_help(HousingSector)},
)
def repayment_plans_started(period, scope, kind=ALL, sector=ALL):
    return _plans_started(period, scope, kind, sector).count()


def _plans_started(period, scope, kind=ALL, sector=ALL):
    return _plans(scope, kind, sector).filter(_in_period(period, "start_date"))


_grouped(repayment_plans_started, _plans_started)


@register(
    "eviction.repayment_plans_respected",
    label="Plans d'apurement respectés",
    unit=Unit.COUNT,
    description="Plans d'apurement dont les versements ont soldé la dette dans la période. Fiche 1B.",
    params={"kind": _params_help(RepaymentPlanKind), "sector": _params_help(HousingSector)},
)
def repayment_plans_respected(period, scope, kind=ALL, sector=ALL):
    return _plans_respected(period, scope, kind, sector).count()


def _plans_respected(period, scope, kind=ALL, sector=ALL):
    # The day the payments reached the debt is stored on the plan (respected_on, kept by
    # toit.eviction.procedure.refresh_plan_state): a range count on its index.
    return _plans(scope, kind, sector).filter(_in_period(period, "respected_on"))


_grouped(repayment_plans_respected, _plans_respected)


# --- 1E: over-indebtedness ---------------------------------------------------------------


@register(
    "eviction.overindebted_fsl_households",
    label="Ménages surendettés aidés par le FSL",
    unit=Unit.COUNT,
    description="Ménages ayant obtenu une aide du FSL dans la période alors qu'un dossier de "
    "surendettement était déposé (au plus tard le jour de la décision). Fiche 1E.",
)
def overindebted_fsl_households(period, scope):
    return _overindebted_fsl(period, scope).aggregate(n=Count("file__household", distinct=True))["n"]


def _overindebted_fsl(period, scope):
    case = OverIndebtednessCase.objects.filter(
        file__household=OuterRef("file__household"), filed_on__lte=OuterRef("decided_on")
    )
    return FslDecision.objects.filter(
        _in_period(period, "decided_on"), _in_scope(scope), Exists(case), result=FslResult.GRANTED
    )


_grouped(overindebted_fsl_households, _overindebted_fsl, value=Count("file__household", distinct=True))


# --- 1F: compensation of landlords -------------------------------------------------------


def _compensations(period, scope, mode=ALL):
    mode = _choice("mode", mode, _options(SettlementMode))
    queryset = _events(period, scope, EventKind.COMPENSATION)
    return queryset.filter(settlement_mode=mode) if mode else queryset


@register(
    "eviction.compensations",
    label="Indemnisations des bailleurs",
    unit=Unit.COUNT,
    description="Indemnisations de bailleurs par l'État (refus du concours) versées dans la période, "
    "amiables, contentieuses ou toutes. Fiche 1F.",
    params={"mode": _params_help(SettlementMode)},
)
def compensations(period, scope, mode=ALL):
    return _compensations(period, scope, mode).count()


_grouped(compensations, _compensations)


@register(
    "eviction.compensation_amount",
    label="Montant des indemnisations des bailleurs",
    unit=Unit.EUR,
    description="Montant des indemnisations de bailleurs versées dans la période. Fiche 1F.",
    params={"mode": _params_help(SettlementMode)},
    base="eviction.compensated_households",
)
def compensation_amount(period, scope, mode=ALL):
    return _money(_compensations(period, scope, mode).aggregate(total=Sum("amount"))["total"] or 0)


_grouped(compensation_amount, _compensations, value=Sum("amount"))


@register(
    "eviction.compensated_households",
    label="Ménages dont le bailleur a été indemnisé",
    unit=Unit.COUNT,
    description="Ménages dont le bailleur a reçu dans la période une indemnisation de l'État, amiable, "
    "contentieuse ou toutes : la base du montant des indemnisations.",
    params={"mode": _params_help(SettlementMode)},
)
def compensated_households(period, scope, mode=ALL):
    return _compensations(period, scope, mode).aggregate(n=Count("file__household", distinct=True))["n"]


_grouped(compensated_households, _compensations, value=Count("file__household", distinct=True))


@register(
    "eviction.contentious_amicable_ratio",
    label="Rapport entre règlements contentieux et amiables",
    unit=Unit.RATIO,
    description="Indemnisations contentieuses divisées par les indemnisations amiables de la période "
    "(non calculable sans règlement amiable). Fiche 1F.",
    # Both terms count the same indemnifications: the units behind the ratio are all of them.
    base="eviction.compensations",
)
def contentious_amicable_ratio(period, scope):
    counts = _events(period, scope, EventKind.COMPENSATION).aggregate(
        contentious=Count("pk", filter=Q(settlement_mode=SettlementMode.CONTENTIOUS)),
        amicable=Count("pk", filter=Q(settlement_mode=SettlementMode.AMICABLE)),
    )
    return _share(counts["contentious"], counts["amicable"])


def _contentious(period, department_code):
    return compensations.by_commune(period, department_code, mode=SettlementMode.CONTENTIOUS.value)


def _amicable(period, department_code):
    return compensations.by_commune(period, department_code, mode=SettlementMode.AMICABLE.value)


contentious_amicable_ratio.by_commune_parts = lambda period, department_code: (
    _contentious(period, department_code),
    _amicable(period, department_code),
)
contentious_amicable_ratio.combine = lambda num, den: _share(num, den)


@register(
    "eviction.occupation_indemnities",
    label="Indemnités d'occupation versées",
    unit=Unit.EUR,
    description="Montant des indemnités d'occupation versées aux bailleurs dans la période. Fiche 1F.",
    base="eviction.occupation_indemnity_households",
)
def occupation_indemnities(period, scope):
    return _money(_occupation_indemnities(period, scope).aggregate(total=Sum("amount"))["total"] or 0)


def _occupation_indemnities(period, scope):
    return _events(period, scope, EventKind.OCCUPATION_INDEMNITY)


_grouped(occupation_indemnities, _occupation_indemnities, value=Sum("amount"))


@register(
    "eviction.occupation_indemnity_households",
    label="Ménages au titre desquels une indemnité d'occupation a été versée",
    unit=Unit.COUNT,
    description="Ménages dont le bailleur a reçu une indemnité d'occupation dans la période : la base du "
    "montant des indemnités d'occupation.",
)
def occupation_indemnity_households(period, scope):
    return _occupation_indemnities(period, scope).aggregate(n=Count("file__household", distinct=True))["n"]


_grouped(occupation_indemnity_households, _occupation_indemnities, value=Count("file__household", distinct=True))


@register(
    "eviction.agreements_after_compensation",
    label="Nouveaux baux ou protocoles signés après indemnisation",
    unit=Unit.COUNT,
    description="Nouveaux baux et protocoles signés dans la période par des ménages dont le bailleur "
    "avait été indemnisé auparavant. Fiche 1F.",
    params={"agreement": "all | nouveau_bail | protocole (défaut : all)"},
)
def agreements_after_compensation(period, scope, agreement=ALL):
    return _agreements_after_compensation(period, scope, agreement).count()


def _agreements_after_compensation(period, scope, agreement=ALL):
    kinds = _choice(
        "agreement",
        agreement,
        {
            ALL: (EventKind.NEW_LEASE, EventKind.PROTOCOL),
            EventKind.NEW_LEASE.value: (EventKind.NEW_LEASE,),
            EventKind.PROTOCOL.value: (EventKind.PROTOCOL,),
        },
    )
    compensated = Event.objects.filter(file=OuterRef("file"), kind=EventKind.COMPENSATION, date__lte=OuterRef("date"))
    return _events(period, scope, *kinds).filter(Exists(compensated))


_grouped(agreements_after_compensation, _agreements_after_compensation)


# --- 1D: homeowners ----------------------------------------------------------------------


@register(
    "eviction.homeowners_in_difficulty",
    label="Dossiers d'accédants en difficulté",
    unit=Unit.COUNT,
    description="Dossiers d'accédants à la propriété en difficulté connus dans la période de la CDAPL, "
    "de la CAF ou des établissements prêteurs (un ménage connu de deux sources compte deux fois, comme "
    "dans la fiche). Fiche 1D.",
    params={"source": _params_help(HomeownerSource)},
)
def homeowners_in_difficulty(period, scope, source=ALL):
    return _homeowners(period, scope, source).count()


def _homeowners(period, scope, source=ALL):
    source = _choice("source", source, _options(HomeownerSource))
    queryset = HomeownerDifficulty.objects.filter(_in_period(period, "reported_on"), _in_scope(scope))
    return queryset.filter(source=source) if source else queryset


_grouped(homeowners_in_difficulty, _homeowners)


def _data_version():
    from toit.observatory.versions import table_fingerprint

    return table_fingerprint(
        Event.objects,
        Report.objects,
        Household.objects,
        PreventionFile.objects,
        FileParticipant.objects,
        RepaymentPlan.objects,
        RepaymentPayment.objects,
        FslDecision.objects,
        OverIndebtednessCase.objects,
        HomeownerDifficulty.objects,
    )


# The observatory stores, with each figure, a fingerprint of the data it was computed from.
if apps.is_installed("toit.observatory"):
    from toit.observatory.versions import register_data_version

    register_data_version("eviction", _data_version)
