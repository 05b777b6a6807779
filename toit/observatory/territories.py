"""The territories indicators are computed and published for.

A territory is keyed by (kind, code): the kind of its TerritoryScope and its code (the
département code for the département itself). A plan territory such as « Le Mans
Métropole » (an EPCI) has the same key as that EPCI, so one snapshot serves both.

Territories also know their parent, so that published tables can be protected as the
hierarchy they are (communes → EPCI → reste du département → département): see
disclosure.py.
"""

from dataclasses import dataclass

from toit.territory.models import Commune
from toit.territory.scopes import ScopeKind, TerritoryScope


class Level:
    DEPARTMENT = "departement"
    PLAN = "territoire_plan"
    EPCI = "epci"
    COMMUNE = "commune"

    LABELS = {DEPARTMENT: "Département", PLAN: "Territoire du plan", EPCI: "EPCI", COMMUNE: "Commune"}


def key_of(scope):
    return (str(scope.kind), scope.code or scope.department)


@dataclass(frozen=True)
class Territory:
    scope: TerritoryScope
    level: str
    plan_territory_id: int | None = None
    parent_key: tuple | None = None  # in today's composition: see parents_at for a period
    epci: str | None = None  # a commune's EPCI today (its SIREN), None without one

    @property
    def key(self):
        return key_of(self.scope)

    @property
    def kind(self):
        return str(self.scope.kind)

    @property
    def code(self):
        return self.key[1]

    @property
    def label(self):
        return str(self.scope)

    @property
    def slug(self):
        """What forms and URLs carry: "departement-72", "epci-247200132"…"""
        return f"{self.kind}-{self.code}"

    @property
    def sensitive(self):
        """Below the département, small counts are subject to disclosure control."""
        return self.scope.kind != ScopeKind.DEPARTMENT


def department_territory(plan):
    scope = TerritoryScope.department_scope(plan.department_code, f"Département ({plan.department_code})")
    return Territory(scope, Level.DEPARTMENT)


def _partition_ref(plan_territories):
    """The EPCI whose complement is a plan territory ("reste du département"), if any: the
    plan then splits the département in two, and the remaining EPCIs hang under the rest."""
    hors = [t for t in plan_territories if t.kind == ScopeKind.OUTSIDE_EPCI]
    return hors[0].ref if hors else None


def plan_territories(plan, rows=None):
    """The département and the plan's own territories (PlanTerritory rows), in plan order.
    `rows` lets a caller pass already-fetched PlanTerritory rows (no query)."""
    department = department_territory(plan)
    rows = list(plan.territories.all() if rows is None else rows)
    result = [department]
    seen = {department.key}
    for row in rows:
        territory = Territory(row.scope(), Level.PLAN, row.pk, department.key)
        if territory.key not in seen:
            seen.add(territory.key)
            result.append(territory)
    return result


def all_territories(plan, rows=None):
    """Département, plan territories, every EPCI with a commune in the département, every
    commune: two queries."""
    rows = list(plan.territories.all() if rows is None else rows)
    base = plan_territories(plan, rows)
    partition = _partition_ref(rows)
    department_key = base[0].key
    rest_key = (str(ScopeKind.OUTSIDE_EPCI), partition) if partition else None
    by_key = {t.key: t for t in base}
    # An EPCI named by the plan only through its complement keeps the perimeters declared.
    perimeters = {t.scope.code: t.scope.perimeters for t in base if t.scope.perimeters}
    epcis, communes = {}, []
    # Plain tuples rather than 350 Commune and EPCI objects: every observatory page pays this.
    commune_rows = Commune.objects.filter(department__code=plan.department_code).values_list(
        "insee_code", "name", "epci__siren", "epci__name"
    )
    for insee_code, name, siren, epci_name in commune_rows:
        if siren is not None:
            epci_key = (str(ScopeKind.EPCI), siren)
            if epci_key not in by_key and epci_key not in epcis:
                parent = rest_key if rest_key and siren != partition else department_key
                scope = TerritoryScope(
                    ScopeKind.EPCI, plan.department_code, siren, epci_name, perimeters=perimeters.get(siren, ())
                )
                epcis[epci_key] = Territory(scope, Level.EPCI, None, parent)
            parent = epci_key
        else:
            parent = rest_key or department_key
        scope = TerritoryScope(ScopeKind.COMMUNE, plan.department_code, insee_code, name)
        if (str(ScopeKind.COMMUNE), insee_code) not in by_key:
            communes.append(Territory(scope, Level.COMMUNE, None, parent, siren))
    ordered_epcis = sorted(epcis.values(), key=lambda t: t.label)
    return base + ordered_epcis + sorted(communes, key=lambda t: t.label)


def parents_at(territories, period):
    """{key: parent key} of the hierarchy for `period`. Where the plan declares an EPCI's
    composition of the time (toit.territory.scopes.Perimeter), the communes it lists hang
    under the EPCI, and the EPCI's communes of today it leaves out under the reste du
    département (or the département): the hierarchy then adds up as the values do."""
    parents = {t.key: t.parent_key for t in territories}
    scoped = [(t.key, t.scope) for t in territories if getattr(t, "scope", None) is not None]
    department_key = next((key for key, scope in scoped if scope.kind == ScopeKind.DEPARTMENT), None)
    communes = [(key, scope.code) for key, scope in scoped if scope.kind == ScopeKind.COMMUNE]
    for epci_key, scope in scoped:
        perimeter = scope.perimeter_for(period) if scope.kind == ScopeKind.EPCI else None
        if perimeter is None:
            continue
        rest_key = (str(ScopeKind.OUTSIDE_EPCI), scope.code)
        elsewhere = rest_key if rest_key in parents else department_key
        for key, insee in communes:
            if insee in perimeter.communes:
                parents[key] = epci_key
            elif parents[key] == epci_key:
                parents[key] = elsewhere
    # A list of communes (« Le Mans, Coulaines et Allonnes ») nests between its communes and
    # the territory holding them all, so that « Le Mans Métropole minus the list » stays a
    # protected difference. Communes spread over several territories leave it on its own.
    for listed_key, scope in scoped:
        if scope.kind != ScopeKind.COMMUNES:
            continue
        keys = [(str(ScopeKind.COMMUNE), code) for code in scope.communes or ()]
        above = {parents.get(key) for key in keys}
        if len(above) == 1 and None not in above:
            parents[listed_key] = above.pop()
            for key in keys:
                parents[key] = listed_key
        else:
            parents[listed_key] = None
    return parents


def territory_for_slug(territories, slug):
    return next((t for t in territories if t.slug == slug), None)
