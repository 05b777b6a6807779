"""Indicators of sheets 3A to 3D computed from the priority-access records.

Rows are filtered by their date in the period and by territory: for the département, the
département the record belongs to (a record whose commune is not known still counts);
below it, the record's commune. A ratio with nothing to divide returns None (« non
calculable »), never 0. Judgements (« mise en place de l'ACD », « écriture d'une
charte ») are not here: they stay manual in the plan file, with their provenance.

A rate or a ratio names its base (`base=`): the count behind its denominator, which
disclosure control treats as a count (docs/disclosure-control.md).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import F, Q, Sum

from toit.metrics.enums import Unit
from toit.metrics.registry import register
from toit.priority_access.enums import (
    AllocationChannel,
    CharterKind,
    DaloDecision,
    LeaseOutcome,
    ProjectOutcome,
    ProposalOutcome,
)
from toit.priority_access.models import (
    CharterSignature,
    CollectiveAgreementTarget,
    ContingentProposal,
    DaloAppeal,
    HousingDemand,
    MousCoverage,
    MousFollowup,
    ProjectFollowup,
    SlidingLease,
    abnormal_delay_months,
    large_agglomeration,
)
from toit.priority_access.models.followup import covered_on
from toit.priority_access.rules import abnormally_long, rehousing_deadline
from toit.territory.models import Commune, Department
from toit.territory.scopes import ScopeKind


def _scope(scope, commune="commune"):
    if scope.kind == ScopeKind.DEPARTMENT:
        return Q(department__code=scope.department)
    return scope.q(commune)


def _in(period, field):
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _active(period, start, end):
    """Rows running at some point of the period: begun by its end, not ended before it."""
    return Q(**{f"{start}__lte": period.end}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": period.start}))


def _share(numerator, denominator, factor=100):
    if not denominator:
        return None
    places = Decimal("0.1") if factor == 100 else Decimal("0.01")
    return (Decimal(numerator) * factor / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


# --- 3A: demand, DALO, ACD, contingent ----------------------------------------------------


@register(
    "priority_access.dalo_appeals",
    label="Recours DALO déposés",
    unit=Unit.COUNT,
    description="Recours amiables déposés devant la commission de médiation dans la période. Fiche 3A.",
)
def dalo_appeals(period, scope):
    return DaloAppeal.objects.filter(_in(period, "filed_on"), _scope(scope)).count()


@register(
    "priority_access.dalo_priority_decisions",
    label="Ménages reconnus prioritaires et urgents (DALO)",
    unit=Unit.COUNT,
    description="Décisions de la commission de médiation reconnaissant le ménage prioritaire et devant être "
    "logé d'urgence, prises dans la période. Fiche 3A.",
)
def dalo_priority_decisions(period, scope):
    return DaloAppeal.objects.filter(_in(period, "decided_on"), _scope(scope), decision=DaloDecision.PRIORITY).count()


@register(
    "priority_access.dalo_not_rehoused_in_time",
    label="Prioritaires DALO non relogés dans le délai",
    unit=Unit.COUNT,
    description="Ménages reconnus prioritaires dont le délai laissé au préfet (3 mois, 6 dans un département "
    "comportant une agglomération de plus de 300 000 habitants, réglage daté) a expiré au plus tard à la fin de la "
    "période sans relogement à cette date, ni fin de l'obligation de l'État sans relogement (offre adaptée refusée, "
    "relogement par ses propres moyens, ménage injoignable, désistement, départ du département). Fiche 3A.",
)
def dalo_not_rehoused_in_time(period, scope):
    rows = (
        DaloAppeal.objects.filter(_scope(scope), decision=DaloDecision.PRIORITY, decided_on__lte=period.end)
        .not_rehoused_on(period.end)
        .values_list("department_id", "decided_on")
    )
    departments = {}
    late = 0
    for department_id, decided_on in rows:
        department = departments.setdefault(department_id, Department(pk=department_id))
        if rehousing_deadline(decided_on, large_agglomeration(department, decided_on)) < period.end:
            late += 1
    return late


@register(
    "priority_access.demands_abnormally_long",
    label="Demandes de logement social en délai anormalement long",
    unit=Unit.COUNT,
    description="Demandes en attente à la fin de la période, déposées depuis plus que le délai anormalement long "
    "fixé par arrêté préfectoral pour le département à cette date (réglage daté). Non calculable sans arrêté "
    "enregistré. Fiche 3A.",
)
def demands_abnormally_long(period, scope):
    department = Department.objects.filter(code=scope.department).first()
    months = abnormal_delay_months(department, period.end) if department else None
    if months is None:
        return None
    rows = HousingDemand.objects.filter(_scope(scope)).pending_on(period.end).values_list("filed_on", flat=True)
    return sum(1 for filed_on in rows if abnormally_long(filed_on, months, period.end))


@register(
    "priority_access.acd_housed",
    label="Ménages relogés au titre de l'accord collectif départemental",
    unit=Unit.COUNT,
    description="Attributions de la période dont la filière est l'accord collectif départemental. Fiche 3A.",
)
def acd_housed(period, scope):
    return HousingDemand.objects.filter(
        _in(period, "allocated_on"), _scope(scope), allocation_channel=AllocationChannel.ACD
    ).count()


@register(
    "priority_access.acd_achievement",
    label="Réalisation des objectifs de l'accord collectif départemental",
    unit=Unit.PERCENT,
    description="Ménages relogés au titre de l'ACD par les bailleurs qui ont un objectif, rapportés à la somme des "
    "objectifs annuels des années de la période, en pourcentage (département uniquement). Fiche 3A.",
    base="priority_access.acd_targets",
)
def acd_achievement(period, scope):
    years = range(period.start.year, period.end.year + 1)
    targets = CollectiveAgreementTarget.objects.filter(department__code=scope.department, year__in=years)
    total = targets.aggregate(total=Sum("target"))["total"]
    housed = HousingDemand.objects.filter(
        _in(period, "allocated_on"),
        department__code=scope.department,
        allocation_channel=AllocationChannel.ACD,
        allocated_landlord__in=targets.values("landlord"),
    ).count()
    return _share(housed, total)


acd_achievement.scope_kinds = {ScopeKind.DEPARTMENT}


@register(
    "priority_access.acd_targets",
    label="Objectifs de relogement de l'accord collectif départemental",
    unit=Unit.COUNT,
    description="Somme des objectifs annuels de l'ACD (en ménages) des années de la période (département "
    "uniquement) : la base du taux de réalisation.",
)
def acd_targets(period, scope):
    years = range(period.start.year, period.end.year + 1)
    targets = CollectiveAgreementTarget.objects.filter(department__code=scope.department, year__in=years)
    return targets.aggregate(total=Sum("target"))["total"] or 0


acd_targets.scope_kinds = {ScopeKind.DEPARTMENT}


@register(
    "priority_access.contingent_allocations",
    label="Attributions sur le contingent préfectoral",
    unit=Unit.COUNT,
    description="Logements du contingent préfectoral attribués dans la période, après une proposition acceptée. "
    "Fiche 3A.",
)
def contingent_allocations(period, scope):
    return ContingentProposal.objects.filter(
        _in(period, "allocated_on"), _scope(scope), outcome=ProposalOutcome.ACCEPTED
    ).count()


@register(
    "priority_access.plai_allocations",
    label="Attributions de logements PLA-I au public du plan",
    unit=Unit.COUNT,
    description="Attributions de la période d'un logement financé en PLA-I à un ménage prioritaire (motif de "
    "priorité renseigné), toutes filières. Fiche 3A.",
)
def plai_allocations(period, scope):
    rows = HousingDemand.objects.filter(_in(period, "allocated_on"), _scope(scope), plai_dwelling=True)
    return sum(1 for grounds in rows.values_list("priority_grounds", flat=True) if grounds)


# --- 3B: démarche projet -----------------------------------------------------------------


@register(
    "priority_access.project_followed",
    label="Ménages suivis en démarche projet",
    unit=Unit.COUNT,
    description="Ménages dont l'accompagnement en démarche projet a couru pendant la période. Fiche 3B.",
)
def project_followed(period, scope):
    return ProjectFollowup.objects.filter(_active(period, "taken_in_on", "ended_on"), _scope(scope)).count()


@register(
    "priority_access.project_rehoused",
    label="Ménages relogés en démarche projet",
    unit=Unit.COUNT,
    description="Ménages suivis en démarche projet relogés dans la période (objectif de la fiche 3B : 10 par an).",
)
def project_rehoused(period, scope):
    return ProjectFollowup.objects.filter(
        _in(period, "ended_on"), _scope(scope), outcome=ProjectOutcome.REHOUSED
    ).count()


# --- 3C: sliding leases -------------------------------------------------------------------


@register(
    "priority_access.sliding_lease_charter_signatories",
    label="Signataires de la charte des baux glissants",
    unit=Unit.COUNT,
    description="Organisations ayant signé, au plus tard à la fin de la période, une charte d'utilisation des "
    "baux glissants du département en vigueur à cette date. Fiche 3C.",
)
def sliding_lease_charter_signatories(period, scope):
    return (
        CharterSignature.objects.filter(
            charter__department__code=scope.department,
            charter__kind=CharterKind.SLIDING_LEASE,
            charter__adopted_on__lte=period.end,
            signed_on__lte=period.end,
        )
        .filter(Q(charter__ended_on__isnull=True) | Q(charter__ended_on__gte=period.end))
        .values("organisation")
        .distinct()
        .count()
    )


sliding_lease_charter_signatories.scope_kinds = {ScopeKind.DEPARTMENT}


def _leases(period, scope):
    return SlidingLease.objects.filter(_scope(scope))


@register(
    "priority_access.sliding_lease_operators",
    label="Opérateurs pratiquant le bail glissant",
    unit=Unit.COUNT,
    description="Associations sous-louant au moins un logement en bail glissant pendant la période. Fiche 3C.",
)
def sliding_lease_operators(period, scope):
    ended = (
        Q(glided_on__isnull=True, ended_on__isnull=True)
        | Q(glided_on__gte=period.start)
        | Q(ended_on__gte=period.start)
    )
    return _leases(period, scope).filter(started_on__lte=period.end).filter(ended).values("holder").distinct().count()


@register(
    "priority_access.sliding_leases_standard_contract",
    label="Baux glissants conclus suivant le contrat type commun",
    unit=Unit.COUNT,
    description="Sous-locations commencées dans la période avec le contrat type commun. Fiche 3C.",
)
def sliding_leases_standard_contract(period, scope):
    return _leases(period, scope).filter(_in(period, "started_on"), standard_contract=True).count()


@register(
    "priority_access.sliding_leases_standard_contract_share",
    label="Part des baux glissants conclus suivant le contrat type commun",
    unit=Unit.PERCENT,
    description="Sous-locations commencées dans la période avec le contrat type commun, rapportées à toutes "
    "celles commencées dans la période, en pourcentage. Fiche 3C.",
    base="priority_access.sliding_leases_started",
)
def sliding_leases_standard_contract_share(period, scope):
    started = _leases(period, scope).filter(_in(period, "started_on"))
    return _share(started.filter(standard_contract=True).count(), started.count())


@register(
    "priority_access.sliding_leases_started",
    label="Baux glissants conclus",
    unit=Unit.COUNT,
    description="Sous-locations en bail glissant commencées dans la période. Fiche 3C.",
)
def sliding_leases_started(period, scope):
    return _leases(period, scope).filter(_in(period, "started_on")).count()


@register(
    "priority_access.sliding_leases_glided_on_time",
    label="Glissements intervenus au plus tard à la date prévue",
    unit=Unit.PERCENT,
    description="Baux glissés dans la période au plus tard à la date de glissement prévue au contrat, rapportés à "
    "tous les baux glissés dans la période, en pourcentage : la mesure du respect des clauses du glissement que "
    "les données permettent. Fiche 3C.",
    base="priority_access.sliding_leases_glided",
)
def sliding_leases_glided_on_time(period, scope):
    glided = _leases(period, scope).filter(_in(period, "glided_on"), outcome=LeaseOutcome.GLIDED)
    return _share(glided.filter(glided_on__lte=F("planned_glide_on")).count(), glided.count())


@register(
    "priority_access.sliding_leases_glided",
    label="Baux glissés",
    unit=Unit.COUNT,
    description="Baux glissants glissés au profit du sous-locataire dans la période. Fiche 3C.",
)
def sliding_leases_glided(period, scope):
    return _leases(period, scope).filter(_in(period, "glided_on"), outcome=LeaseOutcome.GLIDED).count()


@register(
    "priority_access.sliding_lease_disputes",
    label="Litiges en bail glissant",
    unit=Unit.COUNT,
    description="Sous-locations terminées par un litige dans la période. Fiche 3C.",
)
def sliding_lease_disputes(period, scope):
    return _leases(period, scope).filter(_in(period, "ended_on"), outcome=LeaseOutcome.DISPUTE).count()


@register(
    "priority_access.sliding_lease_exit_ratio",
    label="Sorties de bail glissant rapportées aux baux conclus",
    unit=Unit.RATIO,
    description="Sorties de la période (glissement, fin sans glissement, litige) rapportées aux sous-locations "
    "commencées dans la période. Fiche 3C.",
    base="priority_access.sliding_leases_started",
)
def sliding_lease_exit_ratio(period, scope):
    leases = _leases(period, scope)
    exits = leases.filter(_in(period, "glided_on") | _in(period, "ended_on")).count()
    return _share(exits, leases.filter(_in(period, "started_on")).count(), factor=1)


# --- 3D: MOUS relogement -----------------------------------------------------------------


@register(
    "priority_access.mous_coverage",
    label="Effectivité de la couverture territoriale de la MOUS",
    unit=Unit.PERCENT,
    description="Population municipale des communes du territoire couvertes par la MOUS à la fin de la période, "
    "rapportée à celle de toutes les communes du territoire, en pourcentage : l'extension à Le Mans Métropole, "
    "datée, s'y lit. Fiche 3D.",
    base="priority_access.population",
)
def mous_coverage(period, scope):
    communes = Commune.objects.filter(scope.q())
    total = communes.aggregate(total=Sum("population"))["total"]
    covered_ids = MousCoverage.objects.filter(covered_on(period.end), department__code=scope.department).values(
        "commune"
    )
    covered = communes.filter(pk__in=covered_ids).aggregate(total=Sum("population"))["total"] or 0
    return _share(covered, total)


@register(
    "priority_access.population",
    label="Population municipale",
    unit=Unit.COUNT,
    description="Population municipale des communes du territoire : la base de la couverture de la MOUS.",
)
def population(period, scope):
    return Commune.objects.filter(scope.q()).aggregate(total=Sum("population"))["total"] or 0


@register(
    "priority_access.mous_rehoused",
    label="Ménages relogés par la MOUS",
    unit=Unit.COUNT,
    description="Ménages relogés dans le parc privé avec la médiation de la MOUS dans la période. Fiche 3D.",
)
def mous_rehoused(period, scope):
    return MousFollowup.objects.filter(_in(period, "rehoused_on"), _scope(scope)).count()


@register(
    "priority_access.mous_large_families_rehoused",
    label="Familles nombreuses relogées par la MOUS",
    unit=Unit.COUNT,
    description="Ménages d'au moins trois enfants relogés avec la médiation de la MOUS dans la période. Fiche 3D.",
)
def mous_large_families_rehoused(period, scope):
    return MousFollowup.objects.filter(
        _in(period, "rehoused_on"), _scope(scope), children__gte=MousFollowup.LARGE_FAMILY_CHILDREN
    ).count()


def _data_version():
    from toit.observatory.versions import table_fingerprint
    from toit.priority_access.models import AbnormalDelay, Charter, DaloAgglomeration

    return table_fingerprint(
        HousingDemand.objects,
        DaloAppeal.objects,
        ContingentProposal.objects,
        CollectiveAgreementTarget.objects,
        ProjectFollowup.objects,
        SlidingLease.objects,
        MousFollowup.objects,
        MousCoverage.objects,
        CharterSignature.objects,
        Charter.objects,
        AbnormalDelay.objects,
        DaloAgglomeration.objects,
    )


# The observatory stores, with each figure, a fingerprint of the data it was computed from.
if apps.is_installed("toit.observatory"):
    from toit.observatory.versions import register_data_version

    register_data_version("priority_access", _data_version)
