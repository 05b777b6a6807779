"""Reporting periods: a quarter ("2010T3"), a year ("2010") or a plan's whole period, a span
of years ("2008-2012") or, for a plan that does not start on 1 January or end on 31 December,
its exact dates ("2024-07-01/2029-06-30", ISO 8601 interval). Codes are what users type and
what files and URLs carry."""

import datetime
import functools
import re
from dataclasses import dataclass

from toit.metrics.enums import Periodicity

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[TtQq]\s*([1-4])\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_SPAN = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*$")
_DATES = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*/\s*(\d{4}-\d{2}-\d{2})\s*$")
_ORDINALS = {1: "1er", 2: "2e", 3: "3e", 4: "4e"}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    kind: Periodicity

    @classmethod
    def quarter(cls, year, number):
        start = datetime.date(year, 3 * (number - 1) + 1, 1)
        end_month = 3 * number
        end = (datetime.date(year + (end_month == 12), end_month % 12 + 1, 1)) - datetime.timedelta(days=1)
        return cls(start, end, Periodicity.QUARTER)

    @classmethod
    def year(cls, year):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), Periodicity.YEAR)

    @classmethod
    def span(cls, first_year, last_year):
        if last_year < first_year:
            raise PeriodError(f"La période {first_year}-{last_year} se termine avant de commencer.")
        return cls(datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31), Periodicity.PLAN)

    @classmethod
    def between(cls, start, end):
        """A plan's period from its exact first and last days (inclusive)."""
        if end < start:
            raise PeriodError(f"La période du {start:%d/%m/%Y} au {end:%d/%m/%Y} se termine avant de commencer.")
        return cls(start, end, Periodicity.PLAN)

    @classmethod
    def parse(cls, code):
        text = str(code)
        if m := _QUARTER.match(text):
            return cls.quarter(int(m[1]), int(m[2]))
        if m := _YEAR.match(text):
            return cls.year(int(m[1]))
        if m := _SPAN.match(text):
            return cls.span(int(m[1]), int(m[2]))
        if m := _DATES.match(text):
            try:
                start, end = datetime.date.fromisoformat(m[1]), datetime.date.fromisoformat(m[2])
            except ValueError:
                pass  # an impossible date (2024-02-30): the message below says what is expected
            else:
                return cls.between(start, end)
        raise PeriodError(
            f"Période « {text} » non reconnue : attendu une année (2010), un trimestre (2010T3), "
            "une suite d'années (2008-2012) ou deux dates (2024-07-01/2029-06-30)."
        )

    @classmethod
    # Periods are immutable, and a page reads thousands of stored values over a few dozen
    # periods: each is built once (toit.observatory.values, toit.plans.progress).
    @functools.lru_cache(maxsize=1024)
    def from_bounds(cls, start, end, kind):
        kind = Periodicity(kind)
        if kind == Periodicity.QUARTER:
            return cls.quarter(start.year, (start.month - 1) // 3 + 1)
        if kind == Periodicity.YEAR:
            return cls.year(start.year)
        return cls.between(start, end)

    @property
    def code(self):
        match self.kind:
            case Periodicity.QUARTER:
                return f"{self.start.year}T{(self.start.month - 1) // 3 + 1}"
            case Periodicity.YEAR:
                return str(self.start.year)
        if self.whole_years:
            return f"{self.start.year}-{self.end.year}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def label(self):
        match self.kind:
            case Periodicity.QUARTER:
                number = (self.start.month - 1) // 3 + 1
                return f"{_ORDINALS[number]} trimestre {self.start.year}"
            case Periodicity.YEAR:
                return f"Année {self.start.year}"
        if self.whole_years:
            return f"{self.start.year}-{self.end.year}"
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    @property
    def whole_years(self):
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)

    def __str__(self):
        return self.code

    def contains(self, other):
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other):
        return self.start <= other.end and other.start <= self.end

    def covers(self, other):
        """Whether `other` is one of this period's own quarters, years or whole span: a plan
        from 1 July 2024 follows the year 2024 and its 3rd quarter, not its 2nd quarter."""
        if other.kind == Periodicity.PLAN:
            return self.contains(other)
        return self.overlaps(other)

    # The quarters and years a period overlaps: those of a plan that starts or ends within a
    # year or a quarter include it (its figures are those of the whole calendar period).
    def years(self):
        return [Period.year(y) for y in range(self.start.year, self.end.year + 1)]

    def quarters(self):
        return [
            q
            for y in range(self.start.year, self.end.year + 1)
            for q in (Period.quarter(y, n) for n in range(1, 5))
            if self.overlaps(q)
        ]

    def subperiods(self, periodicity):
        periodicity = Periodicity(periodicity)
        if periodicity == Periodicity.QUARTER:
            return self.quarters()
        if periodicity == Periodicity.YEAR:
            return self.years()
        return [self]
