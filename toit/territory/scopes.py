"""Territory scopes: the units indicators are computed and reported on.

A scope is derived from the commune of a record, never typed on the record: "Le Mans
Métropole" is the set of communes whose EPCI is Le Mans Métropole, "reste du département"
its complement within the département.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q


class ScopeKind(StrEnum):
    DEPARTMENT = "departement"
    EPCI = "epci"
    OUTSIDE_EPCI = "hors_epci"
    COMMUNE = "commune"


@dataclass(frozen=True)
class TerritoryScope:
    kind: ScopeKind
    department: str
    code: str = ""
    label: str = ""

    def q(self, commune_path=""):
        """A Q object selecting rows whose commune, reached through `commune_path` (e.g.
        "household__commune"), lies in this scope. With "" the queryset is Commune itself."""
        prefix = commune_path
        sep = "__" if prefix else ""

        def key(rest):
            return f"{prefix}{sep}{rest}"

        in_department = Q(**{key("department__code"): self.department})
        match self.kind:
            case ScopeKind.DEPARTMENT:
                return in_department
            case ScopeKind.EPCI:
                return in_department & Q(**{key("epci__siren"): self.code})
            case ScopeKind.OUTSIDE_EPCI:
                return in_department & (Q(**{key("epci__isnull"): True}) | ~Q(**{key("epci__siren"): self.code}))
            case ScopeKind.COMMUNE:
                return Q(**{key("insee_code"): self.code})
        raise ValueError(self.kind)

    def __str__(self):
        return self.label or f"{self.kind}:{self.code or self.department}"

    @classmethod
    def department_scope(cls, department, label=""):
        return cls(ScopeKind.DEPARTMENT, department, "", label or f"Département {department}")
