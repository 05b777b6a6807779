"""The shape of a plan file (see docs/plan-format.md). Pydantic checks the shape of each
field; cross-references (organisation, territory, indicator codes, metrics) are checked by
toit.plans.loader so that every error points at the exact line of the file."""

import datetime
import itertools
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from toit.metrics.enums import Periodicity, Unit
from toit.metrics.periods import Period, PeriodError
from toit.organisations.enums import OrganisationKind
from toit.plans.enums import Comparator, CostPer, IndicatorKind
from toit.plans.suggestions import normalise
from toit.territory.scopes import ScopeKind

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[\w.\-]+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FRENCH_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def _year_or_date(value):
    """A plan starts and ends on a year (the whole year) or on a date (AAAA-MM-JJ, which YAML
    reads as a date). A French date (01/07/2024) is refused with its ISO spelling."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text) == 4:
            value = int(text)
        elif _ISO_DATE.match(text):
            try:
                value = datetime.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"la date « {text} » n'existe pas") from None
        elif m := _FRENCH_DATE.match(text):
            try:
                iso = datetime.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
            except ValueError:
                raise ValueError(f"la date « {text} » n'existe pas ; écrivez-la AAAA-MM-JJ") from None
            raise ValueError(f"« {text} » : date au format AAAA-MM-JJ attendue ; vouliez-vous dire {iso} ?")
    if isinstance(value, bool) or not isinstance(value, int | datetime.date):
        raise ValueError("une année (2008) ou une date au format AAAA-MM-JJ (2024-07-01) est attendue")
    year = value if isinstance(value, int) else value.year
    if not 1990 <= year <= 2100:
        raise ValueError(f"année {year} hors de la plage admise (1990 à 2100)")
    return value


YearOrDate = Annotated[int | datetime.date, BeforeValidator(_year_or_date)]


class PlanPeriod(_Strict):
    """`start: 2008` starts on 1 January 2008, `end: 2012` ends on 31 December 2012; a date
    starts or ends the plan on that very day."""

    start: YearOrDate
    end: YearOrDate

    @property
    def starts_on(self):
        return datetime.date(self.start, 1, 1) if isinstance(self.start, int) else self.start

    @property
    def ends_on(self):
        return datetime.date(self.end, 12, 31) if isinstance(self.end, int) else self.end

    @model_validator(mode="after")
    def ordered(self):
        if self.ends_on < self.starts_on:
            raise ValueError("la fin de la période précède son début")
        return self


class PlanHeader(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]*$", max_length=80)]
    title: Text
    department: Annotated[str, StringConstraints(pattern=r"^(\d{2}|2[AB]|97\d)$")]
    period: PlanPeriod
    source: str = ""


InseeCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d{2}|2[AB])\d{3}$")]


class PerimeterSpec(_Strict):
    """The communes an EPCI had during some years (the COG gives today's only): `from: 2008`
    starts on 1 January 2008, `until: 2012` ends on 31 December 2012."""

    starts: YearOrDate = Field(alias="from")
    until: YearOrDate
    communes: list[InseeCode] = Field(min_length=1)
    label: str = ""  # how pages name the perimeter (default: its years and number of communes)
    source: str = ""  # where the composition comes from

    @property
    def starts_on(self):
        return datetime.date(self.starts, 1, 1) if isinstance(self.starts, int) else self.starts

    @property
    def ends_on(self):
        return datetime.date(self.until, 12, 31) if isinstance(self.until, int) else self.until

    @model_validator(mode="after")
    def ordered(self):
        if self.ends_on < self.starts_on:
            raise ValueError("la fin du périmètre (until) précède son début (from)")
        if len(set(self.communes)) != len(self.communes):
            raise ValueError("une commune est citée deux fois dans le périmètre")
        return self


class TerritorySpec(_Strict):
    code: Code
    label: Text
    kind: ScopeKind
    ref: Annotated[str, StringConstraints(pattern=r"^(\d{9}|\d[\dAB]\d{3})?$")] = ""
    # kind communes: the communes the plan names (« Le Mans, Coulaines et Allonnes »).
    communes: list[InseeCode] = []
    # kind epci / hors_epci: the EPCI's composition during past years (docs/plan-format.md).
    perimeters: list[PerimeterSpec] = []

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
        if self.kind == ScopeKind.COMMUNES and (self.ref or not self.communes):
            raise ValueError("un territoire de type communes liste ses communes (codes INSEE) dans communes, sans ref")
        if self.kind != ScopeKind.COMMUNES and self.communes:
            raise ValueError(
                "seul un territoire de type communes liste des communes ; pour la composition passée "
                "d'un EPCI, déclarez perimeters (from, until, communes)"
            )
        if self.perimeters and self.kind not in (ScopeKind.EPCI, ScopeKind.OUTSIDE_EPCI):
            raise ValueError("perimeters ne se déclare que pour un territoire de type epci ou hors_epci")
        if len(set(self.communes)) != len(self.communes):
            raise ValueError("une commune est citée deux fois dans communes")
        spans = sorted((p.starts_on, p.ends_on) for p in self.perimeters)
        for (_, end), (start, _) in itertools.pairwise(spans):
            if start <= end:
                raise ValueError("deux périmètres du territoire se chevauchent : leurs dates doivent se suivre")
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
    # The territory the sheet is about (a code of the territories section): the indicator is
    # shown there, and its targets are judged there unless they name another.
    territory: Code | None = None

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


_TARGET_PERIOD = re.compile(r"^(yearly|plan|\d{4}|\d{4}T[1-4])$")
_REFERENCE_PERIOD = re.compile(r"^(\d{4}|\d{4}T[1-4])$")
_TARGET_PERIOD_WORDS = {
    "yearly": "yearly",
    "plan": "plan",
    "annuel": "yearly",
    "annuelle": "yearly",
    "annuellement": "yearly",
    "chaque_annee": "yearly",
    "par_an": "yearly",
    "duree_du_plan": "plan",
    "sur_la_duree_du_plan": "plan",
}


def _period_code(pattern, what, words=None):
    """A target's period, or its reference: a year or a quarter as text ("2012", "2012T3"; a
    bare 2012 is read as "2012"). A date or another spelling is refused with the code meant."""

    def check(value):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()[:10]
        if not isinstance(value, str):
            raise ValueError(f"{what} attendue")
        text = value.strip()
        if pattern.match(text):
            return text
        suggestion = (words or {}).get(normalise(text))
        if _ISO_DATE.match(text) or _FRENCH_DATE.match(text):
            day = _parse_any_date(text)
            if day is not None:
                suggestion = _period_of_day(day)
            raise ValueError(
                f'« {text} » est une date ; {what} est une année ("2012") ou un trimestre ("2012T3")'
                + (f' ; vouliez-vous dire "{suggestion}" ?' if suggestion else ".")
            )
        if suggestion is None:
            try:
                period = Period.parse(text)
            except PeriodError:
                period = None
            if period is not None and pattern.match(period.code):
                suggestion = period.code
        expected = (
            'yearly, plan, une année ("2012") ou un trimestre ("2012T3")'
            if words
            else ('une année ("2007") ou un trimestre ("2007T3")')
        )
        raise ValueError(
            f"« {text} » n'est pas une période admise : {expected}"
            + (f' ; vouliez-vous dire "{suggestion}" ?' if suggestion else ".")
        )

    return check


def _parse_any_date(text):
    try:
        if m := _FRENCH_DATE.match(text):
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _period_of_day(day):
    """The period a deadline date stands for: the year it closes, else its quarter."""
    if (day.month, day.day) == (12, 31):
        return str(day.year)
    return f"{day.year}T{(day.month - 1) // 3 + 1}"


class TargetSpec(_Strict):
    indicator: Code
    comparator: Comparator
    value: Decimal = Field(max_digits=14, decimal_places=2)
    value_max: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    period: Annotated[
        str, BeforeValidator(_period_code(_TARGET_PERIOD, "la période d'une cible", _TARGET_PERIOD_WORDS))
    ]
    territory: Code | None = None
    reference: Annotated[str, BeforeValidator(_period_code(_REFERENCE_PERIOD, "la période de référence"))] = ""
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


# An XLSX sheet name: at most 31 characters, none of : \\ / ? * [ ].
Tab = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=31, pattern=r"^[^:\\/?*\[\]]+$")]
# The sheets every report workbook has besides the plan's own tables.
RESERVED_TABS = ("Présentation", "Indicateurs du plan")


class ReportLineSpec(_Strict):
    """A line of a follow-up report: a plan indicator (`indicator`, its value and nothing
    else), a metric (`metric`, computed when the report is built), both when the metric is
    the indicator's own (the loader checks it), or a label alone, which reads « non
    disponible » until a source exists."""

    label: Text
    indicator: Code | None = None
    metric: str = ""
    params: dict[str, str | int | float | bool] = {}
    unit: Unit = Unit.COUNT  # when the line names no indicator


class ReportSectionSpec(_Strict):
    title: Text
    tab: Tab | None = None  # the XLSX sheet; by default the title's first 31 characters
    description: str = ""
    trend: bool = False
    lines: list[ReportLineSpec] = Field(min_length=1)
    total: ReportLineSpec | None = None

    @property
    def tab_name(self):
        return self.tab or re.sub(r"[:\\/?*\[\]]", " ", self.title)[:31].strip()


class ReportSpec(_Strict):
    """What the plan's follow-up reports contain (the Sarthe's sheet 4B)."""

    action: Code | None = None  # the sheet (fiche action) the reports carry out
    quarterly: list[ReportSectionSpec] = []
    annual: list[ReportSectionSpec] = []

    @model_validator(mode="after")
    def has_sections(self):
        if not self.quarterly and not self.annual:
            raise ValueError(
                "la section report déclare au moins un tableau (quarterly ou annual) ; sans elle, le rapport "
                "reprend les indicateurs calculés du plan, fiche par fiche"
            )
        return self


class PlanFile(_Strict):
    format: Literal[1]
    plan: PlanHeader
    territories: list[TerritorySpec] = []
    organisations: list[OrganisationSpec] = Field(min_length=1)
    orientations: list[OrientationSpec] = Field(min_length=1)
    targets: list[TargetSpec] = []
    local_practices: list[LocalPracticeSpec] = []
    report: ReportSpec | None = None
