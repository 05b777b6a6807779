"""Reporting periods: a quarter ("2010T3"), a year ("2010") or a span of years such as a
whole plan ("2008-2012"). Codes are what users type and what files and URLs carry."""

import datetime
import re
from dataclasses import dataclass

from toit.metrics.enums import Periodicity

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[TtQq]\s*([1-4])\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_SPAN = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*$")
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
    def parse(cls, code):
        text = str(code)
        if m := _QUARTER.match(text):
            return cls.quarter(int(m[1]), int(m[2]))
        if m := _YEAR.match(text):
            return cls.year(int(m[1]))
        if m := _SPAN.match(text):
            return cls.span(int(m[1]), int(m[2]))
        raise PeriodError(
            f"Période « {text} » non reconnue : attendu une année (2010), un trimestre (2010T3) "
            "ou une suite d'années (2008-2012)."
        )

    @classmethod
    def from_bounds(cls, start, end, kind):
        kind = Periodicity(kind)
        if kind == Periodicity.QUARTER:
            return cls.quarter(start.year, (start.month - 1) // 3 + 1)
        if kind == Periodicity.YEAR:
            return cls.year(start.year)
        return cls.span(start.year, end.year)

    @property
    def code(self):
        match self.kind:
            case Periodicity.QUARTER:
                return f"{self.start.year}T{(self.start.month - 1) // 3 + 1}"
            case Periodicity.YEAR:
                return str(self.start.year)
        return f"{self.start.year}-{self.end.year}"

    @property
    def label(self):
        match self.kind:
            case Periodicity.QUARTER:
                number = (self.start.month - 1) // 3 + 1
                return f"{_ORDINALS[number]} trimestre {self.start.year}"
            case Periodicity.YEAR:
                return f"Année {self.start.year}"
        return f"{self.start.year}-{self.end.year}"

    def __str__(self):
        return self.code

    def contains(self, other):
        return self.start <= other.start and other.end <= self.end

    def years(self):
        return [Period.year(y) for y in range(self.start.year, self.end.year + 1)]

    def quarters(self):
        return [Period.quarter(y, q) for y in range(self.start.year, self.end.year + 1) for q in range(1, 5)]

    def subperiods(self, periodicity):
        periodicity = Periodicity(periodicity)
        if periodicity == Periodicity.QUARTER:
            return self.quarters()
        if periodicity == Periodicity.YEAR:
            return self.years()
        return [self]
