"""Place-days in SQL. A period [S, E] (both included) is read as the nights from S to E;
a capacity row or a stay is a half-open interval [from, until) and contributes the length
of its intersection with [S, E + 1). Summing these over rows counts, for each day of the
period, the places open and the places occupied on that day, without one row per day:
the occupancy rate is one aggregate for the whole département, whatever the volume.

SQLite has no date subtraction: julianday there, integer date arithmetic on PostgreSQL."""

import datetime

from django.db.models import DateField, ExpressionWrapper, F, Func, IntegerField, Q, Value
from django.db.models.functions import Coalesce, Greatest, Least


class DaysBetween(Func):
    """DaysBetween(end, start): whole days from start to end (end − start), 0 or less for
    an empty interval."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _date(value):
    return Value(value, output_field=DateField())


def bounds(period):
    """(first day, day after the last) of the period."""
    return period.start, period.end + datetime.timedelta(days=1)


def overlap_days(start_field, until_field, period, *more):
    """Expression: days of [start_field, until_field or open) inside the period. `more`
    adds (start, until) pairs of other intervals to intersect with (a funding row)."""
    first, after = bounds(period)
    starts = [F(start_field), _date(first)]
    untils = [Coalesce(F(until_field), _date(after)), _date(after)]
    for other_start, other_until in more:
        starts.append(F(other_start))
        untils.append(Coalesce(F(other_until), _date(after)))
    return Greatest(DaysBetween(Least(*untils), Greatest(*starts)), Value(0))


def overlapping(start_field, until_field, period):
    """Q: the interval [start, until) meets the period."""
    first, after = bounds(period)
    return Q(**{f"{start_field}__lt": after}) & (
        Q(**{f"{until_field}__isnull": True}) | Q(**{f"{until_field}__gt": first})
    )


def available_place_days(period):
    """Expression on CapacityPeriod: places × days open in the period."""
    return ExpressionWrapper(F("places") * overlap_days("valid_from", "valid_until", period), IntegerField())


def occupied_place_days(period):
    """Expression on Stay: nights spent in the period (the exit day is not a night)."""
    return overlap_days("entry_on", "exit_on", period)
