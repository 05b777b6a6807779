"""A structure's occupancy month by month: available and occupied place-days, rate,
entries and exits, stays in progress. Three aggregates whatever the number of months (the
dated capacity, the stays, the monthly summaries), as the structure's yearly figures: the
same place-day convention as the metrics (toit.accommodation.occupancy), so that the twelve
months of a year add up to the year. A month with no stay is read from the structure's
monthly summary when it sent one (OccupancySummary): from the stays or from the summary,
never both, as the metrics."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from toit.accommodation.models import CapacityPeriod, OccupancySummary, Stay
from toit.accommodation.occupancy import available_place_days, occupied_place_days, overlapping
from toit.metrics.periods import Period

MAX_MONTHS = 60
SOURCE_STAYS, SOURCE_SUMMARY, SOURCE_NONE = "sejours", "synthese", "aucune"
SOURCES = {
    SOURCE_STAYS: "les séjours (liste nominative)",
    SOURCE_SUMMARY: "la synthèse mensuelle de la structure",
    SOURCE_NONE: "aucun séjour ni synthèse",
}
# Months a request may name: every month around them is still a date.
FIRST_YEAR, LAST_YEAR = 1900, 2999


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text):
        """« AAAA-MM » → Month; ValueError with a French message otherwise."""
        try:
            year, month = (int(part) for part in str(text).split("-"))
            datetime.date(year, month, 1)
        except ValueError:
            raise ValueError(f"« {str(text)[:20]} » : attendu un mois au format AAAA-MM (ex. « 2010-03 »).") from None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"« {str(text)[:20]} » : attendu un mois des années {FIRST_YEAR} à {LAST_YEAR}.")
        return cls(year, month)

    @classmethod
    def of(cls, day):
        return cls(day.year, day.month)

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def index(self):
        return self.year * 12 + self.month - 1

    def plus(self, months):
        index = self.index + months
        return Month(index // 12, index % 12 + 1)

    @property
    def period(self):
        start = datetime.date(self.year, self.month, 1)
        following = self.plus(1)
        return Period.between(start, datetime.date(following.year, following.month, 1) - datetime.timedelta(days=1))


def months_between(first, last):
    """The months from `first` to `last`, both included."""
    return [first.plus(n) for n in range(last.index - first.index + 1)]


def _rate(occupied, available):
    if not available:
        return None
    return (Decimal(occupied) * 100 / Decimal(available)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def month_capacity_days(structure, month_start):
    """Place-days open in the structure in the month starting on `month_start`."""
    period = Month.of(month_start).period
    return CapacityPeriod.objects.filter(structure=structure).aggregate(n=Sum(available_place_days(period)))["n"] or 0


def monthly_figures(structure, first, last):
    """One dict per month from `first` to `last` (Month, both included; at most MAX_MONTHS)."""
    months = months_between(first, last)
    if not months or len(months) > MAX_MONTHS:
        raise ValueError(f"De 1 à {MAX_MONTHS} mois, du premier au dernier.")
    periods = {str(m).replace("-", ""): m.period for m in months}
    available = CapacityPeriod.objects.filter(structure=structure).aggregate(
        **{f"a{k}": Sum(available_place_days(p)) for k, p in periods.items()}
    )
    stays = Stay.objects.filter(structure=structure).aggregate(
        **{f"o{k}": Sum(occupied_place_days(p)) for k, p in periods.items()},
        **{f"s{k}": Count("pk", filter=overlapping("entry_on", "exit_on", p)) for k, p in periods.items()},
        **{f"e{k}": Count("pk", filter=Q(entry_on__gte=p.start, entry_on__lte=p.end)) for k, p in periods.items()},
        **{f"x{k}": Count("pk", filter=Q(exit_on__gte=p.start, exit_on__lte=p.end)) for k, p in periods.items()},
    )
    summaries = {
        s.month: s
        for s in OccupancySummary.objects.filter(
            structure=structure, month__gte=months[0].period.start, month__lte=months[-1].period.start
        )
    }
    rows = []
    for key, period in periods.items():
        avail = available[f"a{key}"] or 0
        row = {
            "month": f"{key[:4]}-{key[4:]}",
            "start": period.start,
            "end": period.end,
            "available_place_days": avail,
            "occupied_place_days": stays[f"o{key}"] or 0,
            "stays": stays[f"s{key}"],
            "entries": stays[f"e{key}"],
            "exits": stays[f"x{key}"],
            "source": SOURCE_STAYS if stays[f"s{key}"] else SOURCE_NONE,
        }
        summary = summaries.get(period.start)
        if summary is not None and not row["stays"]:
            row.update(
                occupied_place_days=summary.occupied_place_days,
                entries=summary.entries,
                exits=summary.exits,
                stays=None,  # a summary counts no person
                source=SOURCE_SUMMARY,
            )
        row["occupancy_rate"] = _rate(row["occupied_place_days"], avail)
        rows.append(row)
    return rows
