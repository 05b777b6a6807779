"""The shape of a plan file (see docs/plan-format.md). Pydantic checks the shape of each
field; cross-references (organisation, territory, indicator codes, metrics) are checked by
toit.plans.loader so that every error points at the exact line of the file."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from toit.metrics.enums import Periodicity, Unit
from toit.organisations.enums import OrganisationKind
from toit.plans.enums import Comparator, CostPer, IndicatorKind
from toit.territory.scopes import ScopeKind

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[\w.\-]+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)


class PlanPeriod(_Strict):
    start: int = Field(ge=1990, le=2100)
    end: int = Field(ge=1990, le=2100)

    @model_validator(mode="after")
    def ordered(self):
        if self.end < self.start:
            raise ValueError("l'année de fin précède l'année de début")
        return self


class PlanHeader(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]*$", max_length=80)]
    title: Text
    department: Annotated[str, StringConstraints(pattern=r"^(\d{2}|2[AB]|97\d)$")]
    period: PlanPeriod
    source: str = ""


class TerritorySpec(_Strict):
    code: Code
    label: Text
    kind: ScopeKind
    ref: Annotated[str, StringConstraints(pattern=r"^(\d{9}|\d[\dAB]\d{3})?$")] = ""

    @model_validator(mode="after")
    def ref_matches_kind(self):
        if self.kind in (ScopeKind.EPCI, ScopeKind.OUTSIDE_EPCI) and len(self.ref) != 9:
            raise ValueError("un territoire de type epci ou hors_epci demande le SIREN de l'EPCI (9 chiffres) dans ref")
        if self.kind == ScopeKind.COMMUNE and len(self.ref) != 5:
            raise ValueError(
                "un territoire de type commune demande le code INSEE de la commune (5 caractères) dans ref"
            )
        if self.kind == ScopeKind.DEPARTMENT and self.ref:
            raise ValueError("un territoire de type departement ne prend pas de ref")
        return self


class OrganisationSpec(_Strict):
    code: Code
    name: Text
    kind: OrganisationKind
    # The organisation this one is a service of (a direction of the conseil général, the
    # FSL it runs): the parent's members read the files its services take part in
    # (toit.eviction.access, docs/access.md).
    parent: Code | None = None
    # A national body (Banque de France, Action Logement…) rather than one of the plan's
    # département: it is then shared by the plans of every département naming it.
    national: bool = False
    # The préfecture of the plan's département: it joins the eviction files of that
    # département from the assignation on (toit.eviction.access).
    prefecture: bool = False

    @model_validator(mode="after")
    def _prefecture_is_departmental_state(self):
        if self.prefecture and (self.national or self.kind != OrganisationKind.STATE):
            raise ValueError(
                "une préfecture est un service de l'État (kind: etat) du département, pas un organisme national"
            )
        return self


class CostAmountSpec(_Strict):
    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    per: CostPer
    note: str = ""


class CostSpec(_Strict):
    text: str = ""
    amounts: list[CostAmountSpec] = []


class IndicatorSpec(_Strict):
    code: Code
    label: Text
    unit: Unit
    periodicity: Periodicity
    kind: IndicatorKind = IndicatorKind.MANUAL
    metric: str = ""
    params: dict[str, str | int | float | bool] = {}
    # The line of the sheet's « Indicateurs d'évaluation » the indicator comes from, as
    # written (nothing is invented silently); `note` says how the line was read.
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def metric_iff_computed(self):
        if self.kind == IndicatorKind.COMPUTED and not self.metric:
            raise ValueError("un indicateur computed doit nommer sa métrique (clé metric)")
        if self.kind == IndicatorKind.MANUAL and (self.metric or self.params):
            raise ValueError("un indicateur manual ne prend ni metric ni params (passez-le en kind: computed)")
        return self


class ActionSpec(_Strict):
    code: Code
    title: Text
    objective: Text
    modalities: str = ""
    responsible: list[Code] = Field(min_length=1)
    responsible_label: str = ""
    partners: list[Code] = []
    partners_note: str = ""
    cost: CostSpec = CostSpec()
    indicators: list[IndicatorSpec] = []


class OrientationSpec(_Strict):
    code: Code
    title: Text
    actions: list[ActionSpec] = Field(min_length=1)


class TargetSpec(_Strict):
    indicator: Code
    comparator: Comparator
    value: Decimal = Field(max_digits=14, decimal_places=2)
    value_max: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    period: Annotated[str, StringConstraints(pattern=r"^(yearly|plan|\d{4}|\d{4}T[1-4])$")]
    territory: Code | None = None
    reference: Annotated[str, StringConstraints(pattern=r"^(\d{4}|\d{4}T[1-4])$")] = ""
    note: str = ""

    @model_validator(mode="after")
    def between_has_max(self):
        if self.comparator == Comparator.BETWEEN:
            if self.value_max is None:
                raise ValueError("une cible « between » demande value_max")
            if self.value_max < self.value:
                raise ValueError("value_max doit être supérieur ou égal à value")
        elif self.value_max is not None:
            raise ValueError("value_max ne s'emploie qu'avec comparator: between")
        if self.comparator == Comparator.BELOW_REFERENCE:
            if not self.reference:
                raise ValueError('une cible « below_reference » demande sa période de référence (reference: "2007")')
            if not 0 <= self.value <= 100:
                raise ValueError("value est la baisse minimale en pourcentage (0 à 100 ; 0 : toute baisse)")
        elif self.reference:
            raise ValueError("reference ne s'emploie qu'avec comparator: below_reference")
        return self


class LocalPracticeSpec(_Strict):
    code: Code
    days: int = Field(ge=1, le=365)
    source: Text


class PlanFile(_Strict):
    format: Literal[1]
    plan: PlanHeader
    territories: list[TerritorySpec] = []
    organisations: list[OrganisationSpec] = Field(min_length=1)
    orientations: list[OrientationSpec] = Field(min_length=1)
    targets: list[TargetSpec] = []
    local_practices: list[LocalPracticeSpec] = []
