"""Indicators of sheets 2A, 2B and 2C computed from the dwelling register, its cases and the
PST. Each is one SQL aggregate, located by the dwelling's commune. Counts of dwellings are
distinct dwellings; a dwelling lies in one commune, so they add up across communes and offer
the engine's grouped form. The count of landlords (2B-6) does not: a landlord may own in
several communes.
"""

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Q

from toit.dwellings.enums import ActKind, Convention, DpeStage, Interdiction, Tenure
from toit.dwellings.models import (
    Act,
    Case,
    CaseReport,
    Dwelling,
    EnergyDiagnosis,
    IndelicacyDecision,
    PstDwelling,
)
from toit.metrics.enums import Unit
from toit.metrics.registry import MetricError, register
from toit.territory.scopes import TerritoryScope

ALL = "all"
TENURES = {ALL: None, "po": Tenure.OWNER_OCCUPIED, "pb": Tenure.LET}
TENURE_HELP = "all | po | pb (défaut : all)"


def _choice(name, value, allowed):
    if value not in allowed:
        raise MetricError(
            f"Paramètre « {name} » : valeur « {value} » inconnue ; valeurs admises : {', '.join(allowed)}."
        )
    return allowed[value]


def _in_period(period, field):
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _distinct_dwellings(path):
    return Count(path, distinct=True)


def _grouped(metric, rows, commune, value):
    def by_commune(period, department_code, **params):
        scope = TerritoryScope.department_scope(department_code)
        grouped = (
            rows(period, scope, **params)
            .order_by()
            .annotate(_insee=F(f"{commune}__insee_code"))
            .values("_insee")
            .annotate(_v=value)
        )
        return {row["_insee"]: row["_v"] or 0 for row in grouped}

    metric.by_commune = by_commune
    return metric


# --- 2A: the Programme Social Thématique ---------------------------------------------------


def _pst(period, scope, convention=ALL):
    chosen = _choice("convention", convention, {ALL: None, **{c.value: c.value for c in Convention}})
    rows = PstDwelling.objects.filter(_in_period(period, "available_on"), scope.q("dwelling__commune"))
    return rows.filter(convention=chosen) if chosen else rows


@register(
    "dwellings.pst_made_available",
    label="Logements du PST mis à disposition du public du plan",
    unit=Unit.COUNT,
    description="Logements privés très sociaux ou sociaux du Programme Social Thématique mis à disposition dans "
    "la période (date de mise à disposition), situés par la commune du logement. Fiche 2A (cibles : 30 sur Le Mans "
    "Métropole, 10 ailleurs, sur la durée du plan).",
    params={"convention": "all | tres_social | social (défaut : all)"},
)
def pst_made_available(period, scope, convention=ALL):
    return _pst(period, scope, convention).count()


_grouped(pst_made_available, _pst, "dwelling__commune", Count("pk"))


# --- 2B: substandard housing -----------------------------------------------------------------


def _landlord_reports(period, scope):
    return CaseReport.objects.filter(
        _in_period(period, "received_on"), scope.q("case__dwelling__commune"), case__tenure=Tenure.LET
    )


@register(
    "dwellings.landlord_reports",
    label="Signalements au pôle visant un propriétaire bailleur",
    unit=Unit.COUNT,
    description="Signalements reçus par le pôle dans la période sur un logement loué par un propriétaire bailleur "
    "(PB), ceux par lesquels un bailleur indélicat vient à la connaissance du pôle. Fiche 2B.",
)
def landlord_reports(period, scope):
    return _landlord_reports(period, scope).count()


_grouped(landlord_reports, _landlord_reports, "case__dwelling__commune", Count("pk"))


def _exits(period, scope, tenure=ALL, kept=False):
    chosen = _choice("tenure", tenure, TENURES)
    rows = Case.objects.filter(_in_period(period, "exit_on"), scope.q("dwelling__commune"), occupied_at_exit=True)
    if chosen:
        rows = rows.filter(tenure=chosen)
    if kept:
        rows = rows.filter(occupants_kept=True)
    return rows


@register(
    "dwellings.occupied_exits",
    label="Logements occupés sortis de l'indignité",
    unit=Unit.COUNT,
    description="Logements distincts dont un dossier est sorti de l'indignité dans la période alors qu'ils étaient "
    "occupés, par occupation (propriétaire occupant ou bailleur). Fiche 2B (cible : 10 par an).",
    params={"tenure": TENURE_HELP},
)
def occupied_exits(period, scope, tenure=ALL):
    return _exits(period, scope, tenure).aggregate(n=_distinct_dwellings("dwelling"))["n"]


_grouped(occupied_exits, _exits, "dwelling__commune", _distinct_dwellings("dwelling"))


def _kept(period, scope, tenure=ALL):
    return _exits(period, scope, tenure, kept=True)


@register(
    "dwellings.occupied_exits_kept",
    label="Logements occupés sortis de l'indignité, occupants maintenus dans les lieux",
    unit=Unit.COUNT,
    description="Parmi les logements occupés sortis de l'indignité dans la période, ceux dont les occupants ont "
    "été maintenus dans les lieux, par occupation (PO, PB). Fiche 2B.",
    params={"tenure": TENURE_HELP},
)
def occupied_exits_kept(period, scope, tenure=ALL):
    return _kept(period, scope, tenure).aggregate(n=_distinct_dwellings("dwelling"))["n"]


_grouped(occupied_exits_kept, _kept, "dwelling__commune", _distinct_dwellings("dwelling"))


def _followed(period, scope):
    return Case.objects.open_during(period.start, period.end).filter(scope.q("dwelling__commune"))


@register(
    "dwellings.followed",
    label="Logements suivis par l'observatoire nominatif",
    unit=Unit.COUNT,
    description="Logements distincts ayant un dossier ouvert à un moment de la période (ouvert au plus tard à sa "
    "fin, ni sorti ni clos avant son début). Fiche 2B.",
)
def followed(period, scope):
    return _followed(period, scope).aggregate(n=_distinct_dwellings("dwelling"))["n"]


_grouped(followed, _followed, "dwelling__commune", _distinct_dwellings("dwelling"))


def _interdictions(period, scope, interdiction=ALL):
    kinds = _choice(
        "interdiction",
        interdiction,
        {
            ALL: [Interdiction.TEMPORARY, Interdiction.DEFINITIVE],
            Interdiction.TEMPORARY.value: [Interdiction.TEMPORARY],
            Interdiction.DEFINITIVE.value: [Interdiction.DEFINITIVE],
        },
    )
    return Act.objects.filter(
        _in_period(period, "signed_on"), scope.q("case__dwelling__commune"), interdiction__in=kinds
    ).exclude(kind=ActKind.LIFTING)


@register(
    "dwellings.interdictions",
    label="Logements interdits à l'habitation",
    unit=Unit.COUNT,
    description="Logements distincts frappés dans la période d'un arrêté portant interdiction d'habiter, temporaire "
    "ou définitive. Fiche 2B.",
    params={"interdiction": "all | temporaire | definitive (défaut : all)"},
)
def interdictions(period, scope, interdiction=ALL):
    return _interdictions(period, scope, interdiction).aggregate(n=_distinct_dwellings("case__dwelling"))["n"]


_grouped(interdictions, _interdictions, "case__dwelling__commune", _distinct_dwellings("case__dwelling"))


@register(
    "dwellings.indelicate_landlords",
    label="Bailleurs indélicats répertoriés",
    unit=Unit.COUNT,
    description="Bailleurs visés par une décision « bailleur indélicat » du pôle en vigueur au dernier jour de la "
    "période, possédant un logement dans le territoire. Fiche 2B.",
)
def indelicate_landlords(period, scope):
    owns_here = Dwelling.objects.filter(scope.q("commune"), owner=OuterRef("owner"))
    return (
        IndelicacyDecision.objects.in_force(period.end)
        .filter(Exists(owns_here))
        .aggregate(n=Count("owner", distinct=True))["n"]
    )


# --- 2C: energy --------------------------------------------------------------------------------

STOCKS = {"tres_social": "tres_social", "prive": "prive", ALL: None}


def _renovated(period, scope, stock="tres_social"):
    chosen = _choice("stock", stock, STOCKS)
    before = EnergyDiagnosis.objects.filter(
        dwelling=OuterRef("dwelling"),
        stage=DpeStage.BEFORE,
        method=OuterRef("method"),
        made_on__lte=OuterRef("made_on"),
        kwh_per_m2_year__gt=OuterRef("kwh_per_m2_year"),
    )
    rows = EnergyDiagnosis.objects.filter(
        _in_period(period, "made_on"), scope.q("dwelling__commune"), Exists(before), stage=DpeStage.AFTER
    )
    if chosen == "tres_social":
        rows = rows.filter(dwelling__pst__convention=Convention.VERY_SOCIAL)
    elif chosen == "prive":
        rows = rows.filter(dwelling__sector="prive")
    return rows


@register(
    "dwellings.energy_renovated",
    label="Logements réhabilités avec gain de performance énergétique",
    unit=Unit.COUNT,
    description="Logements distincts dont un DPE après travaux, établi dans la période, montre une consommation "
    "inférieure à un DPE avant travaux de la même méthode (avant ou depuis le 1er juillet 2021 : les deux ne se "
    "comparent pas). Parc privé très social (PST conventionné très social) par défaut. Fiche 2C.",
    params={"stock": "tres_social | prive | all (défaut : tres_social)"},
)
def energy_renovated(period, scope, stock="tres_social"):
    return _renovated(period, scope, stock).aggregate(n=_distinct_dwellings("dwelling"))["n"]


_grouped(energy_renovated, _renovated, "dwelling__commune", _distinct_dwellings("dwelling"))


def _data_version():
    from toit.dwellings.models import CaseQualification, Owner, PrescribedWork, Visit
    from toit.observatory.versions import table_fingerprint

    models = (
        Dwelling,
        Owner,
        Case,
        CaseReport,
        Visit,
        CaseQualification,
        Act,
        PrescribedWork,
        IndelicacyDecision,
        PstDwelling,
        EnergyDiagnosis,
    )
    # Most rows have no modification time: every edit writes a historical row, whose
    # count and highest key change.
    return table_fingerprint(*(m.objects.all() for m in models), *(m.history.all() for m in models))


if apps.is_installed("toit.observatory"):
    from toit.observatory.versions import register_data_version

    register_data_version("dwellings", _data_version)
