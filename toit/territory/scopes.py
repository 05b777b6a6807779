"""Territory scopes: the units indicators are computed and reported on.

A scope is derived from the commune of a record, never typed on the record: "Le Mans
Métropole" is the set of communes whose EPCI is Le Mans Métropole, "reste du département"
its complement within the département.

The COG gives today's EPCI compositions only. A plan running on past years declares the
composition an EPCI had then (its *perimeter*, docs/plan-format.md): for a period inside the
perimeter's dates, the EPCI is that list of communes and its complement the rest of the
département; outside them, today's composition. `TerritoryScope.at(period)` is the scope a
metric computes on; `Metric.compute` resolves it, so no metric can forget to.
"""

import datetime
from dataclasses import dataclass, replace
from enum import StrEnum

from django.db.models import Q


class ScopeKind(StrEnum):
    DEPARTMENT = "departement"
    EPCI = "epci"
    OUTSIDE_EPCI = "hors_epci"
    COMMUNE = "commune"
    # A list of communes a plan names (« Le Mans, Coulaines et Allonnes »), coded by the plan.
    COMMUNES = "communes"


@dataclass(frozen=True)
class Perimeter:
    """The communes an EPCI had from `starts_on` to `ends_on` (inclusive), as the plan file
    declares them."""

    starts_on: datetime.date
    ends_on: datetime.date
    communes: tuple[str, ...]
    label: str = ""

    def holds_for(self, period):
        return self.starts_on <= period.start and period.end <= self.ends_on

    @property
    def description(self):
        dates = f"du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"
        if self.starts_on.month == self.starts_on.day == 1 and (self.ends_on.month, self.ends_on.day) == (12, 31):
            dates = f"{self.starts_on.year}" if self.starts_on.year == self.ends_on.year else ""
            dates = dates or f"{self.starts_on.year}-{self.ends_on.year}"
        return self.label or f"périmètre {dates} : {len(self.communes)} communes"

    def as_json(self):
        return {
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "communes": list(self.communes),
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            datetime.date.fromisoformat(data["starts_on"]),
            datetime.date.fromisoformat(data["ends_on"]),
            tuple(data["communes"]),
            data.get("label", ""),
        )


@dataclass(frozen=True)
class TerritoryScope:
    kind: ScopeKind
    department: str
    code: str = ""
    label: str = ""
    # COMMUNES: the communes named; EPCI / OUTSIDE_EPCI: the EPCI's communes for the period
    # the scope was resolved for (`at`), None when today's composition applies.
    communes: tuple[str, ...] | None = None
    # EPCI / OUTSIDE_EPCI: the EPCI's past compositions, as the plan declares them.
    perimeters: tuple[Perimeter, ...] = ()

    def at(self, period):
        """This scope for `period`: an EPCI (or its complement) with a perimeter holding for
        the period is that perimeter's list of communes, labelled with it."""
        if self.kind not in (ScopeKind.EPCI, ScopeKind.OUTSIDE_EPCI) or period is None:
            return self
        perimeter = self.perimeter_for(period)
        if perimeter is None:
            return replace(self, communes=None)
        # « Le Mans Métropole — communauté urbaine 2008-2012 : 9 communes »; its complement
        # names the same perimeter, the one it is the rest of.
        label = f"{self.label} — {perimeter.description}" if self.label else ""
        return replace(self, communes=perimeter.communes, label=label)

    def perimeter_for(self, period):
        return next((p for p in self.perimeters if p.holds_for(period)), None)

    def q(self, commune_path=""):
        """A Q object selecting rows whose commune, reached through `commune_path` (e.g.
        "household__commune"), lies in this scope. With "" the queryset is Commune itself."""
        prefix = commune_path
        sep = "__" if prefix else ""

        def key(rest):
            return f"{prefix}{sep}{rest}"

        in_department = Q(**{key("department__code"): self.department})
        listed = Q(**{key("insee_code__in"): list(self.communes or ())})
        match self.kind:
            case ScopeKind.DEPARTMENT:
                return in_department
            case ScopeKind.EPCI if self.communes is not None:
                return in_department & listed
            case ScopeKind.EPCI:
                return in_department & Q(**{key("epci__siren"): self.code})
            case ScopeKind.OUTSIDE_EPCI if self.communes is not None:
                return in_department & ~listed
            case ScopeKind.OUTSIDE_EPCI:
                return in_department & (Q(**{key("epci__isnull"): True}) | ~Q(**{key("epci__siren"): self.code}))
            case ScopeKind.COMMUNE:
                return Q(**{key("insee_code"): self.code})
            case ScopeKind.COMMUNES:
                return in_department & listed
        raise ValueError(self.kind)

    def contains(self, insee_code, epci_siren):
        """Whether a commune of the département (its INSEE code, its EPCI's SIREN today or
        None) lies in this scope: q() in Python, for sums made commune by commune (the
        observatory's grouped metrics). Keep the two side by side."""
        match self.kind:
            case ScopeKind.DEPARTMENT:
                return True
            case ScopeKind.EPCI if self.communes is not None:
                return insee_code in self.communes
            case ScopeKind.EPCI:
                return epci_siren == self.code
            case ScopeKind.OUTSIDE_EPCI if self.communes is not None:
                return insee_code not in self.communes
            case ScopeKind.OUTSIDE_EPCI:
                return epci_siren != self.code
            case ScopeKind.COMMUNE:
                return insee_code == self.code
            case ScopeKind.COMMUNES:
                return insee_code in (self.communes or ())
        raise ValueError(self.kind)

    def __str__(self):
        return self.label or f"{self.kind}:{self.code or self.department}"

    @classmethod
    def department_scope(cls, department, label=""):
        return cls(ScopeKind.DEPARTMENT, department, "", label or f"Département {department}")
