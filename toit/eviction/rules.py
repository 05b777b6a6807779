"""Legal delays of the eviction procedure, dated: which rule applies depends on the date of
the act (or of the lease), never on today. Every delay Toit computes comes from here; the
texts and their dates are explained in docs/eviction-rules.md.

Delays expressed in months or weeks end as article 641 of the code de procédure civile
says: on the day of the last month bearing the same number as the day of the act (the last
day of the month when there is none), or on the same weekday. The extension to the next
working day (article 642) is not applied: Toit shows the calendar date.
"""

import calendar
import datetime
from dataclasses import dataclass

# Loi n° 2023-668 du 27 juillet 2023 (JO du 28), in force the next day.
LAW_2023_IN_FORCE = datetime.date(2023, 7, 29)
# Ordonnance n° 2011-1895 and décret n° 2012-783: the CPCE replaces the loi de 1991, the
# décret de 1992 and article L. 613-3 of the CCH.
CPCE_IN_FORCE = datetime.date(2012, 6, 1)
# Loi ALUR n° 2014-366 du 24 mars 2014 (JO du 26), in force 27 March 2014.
ALUR_IN_FORCE = datetime.date(2014, 3, 27)


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Delay:
    months: int = 0
    weeks: int = 0

    def expiry(self, start):
        """Last day of the delay running from `start` (article 641 CPC)."""
        return add_months(start, self.months) + datetime.timedelta(weeks=self.weeks)

    def before(self, end):
        """Latest day an act must take place to come at least this long before `end`."""
        return add_months(end, -self.months) - datetime.timedelta(weeks=self.weeks)

    def __str__(self):
        parts = []
        if self.months:
            parts.append(f"{self.months} mois")
        if self.weeks:
            parts.append(f"{self.weeks} semaine{'s' if self.weeks > 1 else ''}")
        return " et ".join(parts) or "aucun délai"


@dataclass(frozen=True)
class Version:
    since: datetime.date
    value: object
    source: str


@dataclass(frozen=True)
class DatedRule:
    code: str
    label: str
    versions: tuple[Version, ...]

    def at(self, day) -> Version:
        """The version in force on `day`."""
        current = self.versions[0]
        for version in self.versions:
            if version.since <= day:
                current = version
        return current


TIME_TO_PAY = DatedRule(
    "time_to_pay",
    "Délai laissé au locataire pour payer après le commandement de payer",
    (
        Version(datetime.date.min, Delay(months=2), "article 24 de la loi n° 89-462 du 6 juillet 1989"),
        Version(
            LAW_2023_IN_FORCE,
            Delay(weeks=6),
            "article 24 de la loi n° 89-462 du 6 juillet 1989, modifié par l'article 10 de la loi "
            "n° 2023-668 du 27 juillet 2023",
        ),
    ),
)

PREFECT_NOTICE = DatedRule(
    "prefect_notice",
    "Notification de l'assignation au préfet avant l'audience",
    (
        Version(
            datetime.date.min,
            Delay(months=2),
            "article 24 III de la loi n° 89-462 du 6 juillet 1989 (rédaction issue de la loi n° 98-657 "
            "du 29 juillet 1998)",
        ),
        Version(
            LAW_2023_IN_FORCE,
            Delay(weeks=6),
            "article 24 III de la loi n° 89-462 du 6 juillet 1989, modifié par la loi n° 2023-668 du 27 juillet 2023",
        ),
    ),
)

ORDER_TO_LEAVE_DELAY = DatedRule(
    "order_to_leave_delay",
    "Délai entre le commandement de quitter les lieux et l'expulsion",
    (
        Version(datetime.date.min, Delay(months=2), "article 62 de la loi n° 91-650 du 9 juillet 1991"),
        Version(CPCE_IN_FORCE, Delay(months=2), "article L. 412-1 du code des procédures civiles d'exécution"),
    ),
)

PREFECT_DECISION_DELAY = DatedRule(
    "prefect_decision_delay",
    "Délai de décision du préfet sur la réquisition de la force publique",
    (
        Version(datetime.date.min, Delay(months=2), "article 50 du décret n° 92-755 du 31 juillet 1992"),
        Version(CPCE_IN_FORCE, Delay(months=2), "article R. 153-1 du code des procédures civiles d'exécution"),
    ),
)


@dataclass(frozen=True)
class TruceDates:
    start: tuple[int, int]  # (month, day) in the first year
    end: tuple[int, int]  # (month, day) in the next year, inclusive


WINTER_TRUCE = DatedRule(
    "winter_truce",
    "Trêve hivernale : aucune expulsion n'est exécutée",
    (
        Version(
            datetime.date.min,
            TruceDates((11, 1), (3, 15)),
            "article L. 613-3 du code de la construction et de l'habitation",
        ),
        Version(
            CPCE_IN_FORCE, TruceDates((11, 1), (3, 15)), "article L. 412-6 du code des procédures civiles d'exécution"
        ),
        Version(
            ALUR_IN_FORCE,
            TruceDates((11, 1), (3, 31)),
            "article L. 412-6 du code des procédures civiles d'exécution, modifié par la loi n° 2014-366 "
            "du 24 mars 2014 (ALUR)",
        ),
    ),
)

# Rules of the plan and of the charte de prévention, not of the law.
DIAGNOSIS_BEFORE_HEARING = Delay(weeks=6)  # fiche 1B: a diagnosis before the hearing
CONTACT_AFTER_SUMMONS_DAYS = 15  # fiche 1B: a contact established soon after the assignation


def time_to_pay(order_date, lease_signed_on=None) -> Version:
    """The rule for a commandement de payer. The Cour de cassation (avis du 13 juin 2024,
    n° 24-70.002) holds that the 2023 law does not change leases running on 29 July 2023:
    when the lease date is known, the rule in force when it was signed applies."""
    return TIME_TO_PAY.at(lease_signed_on or order_date)


def time_to_pay_expiry(order_date, lease_signed_on=None):
    return time_to_pay(order_date, lease_signed_on).value.expiry(order_date)


def prefect_notice_deadline(summons_date, hearing_date):
    """Last day the assignation may reach the préfet (rule in force at the assignation)."""
    return PREFECT_NOTICE.at(summons_date).value.before(hearing_date)


def order_to_leave_expiry(order_date):
    """Last day of the delay: the eviction may take place from the next day."""
    return ORDER_TO_LEAVE_DELAY.at(order_date).value.expiry(order_date)


def prefect_decision_expiry(requisition_date):
    """Last day of the préfet's delay; his silence then amounts to a refusal and the State
    owes the landlord compensation from the next day."""
    return PREFECT_DECISION_DELAY.at(requisition_date).value.expiry(requisition_date)


def truce_window(day):
    """(first day, last day) of the winter truce around `day`'s winter: the one that
    contains it, or for a day between April and October the next one. The version in force
    on the last possible day (31 March) decides, so the winter 2013-2014 ends on 31 March
    2014 as the ministers' instruction of 11 March 2014 anticipated the loi ALUR."""
    end_year = day.year + 1 if day.month >= 11 or day > datetime.date(day.year, 3, 31) else day.year
    dates = WINTER_TRUCE.at(datetime.date(end_year, 3, 31)).value
    start = datetime.date(end_year - 1, *dates.start)
    end = datetime.date(end_year, *dates.end)
    return start, end


def in_truce(day):
    start, end = truce_window(day)
    return start <= day <= end


def truce_source(day):
    _, end = truce_window(day)
    return WINTER_TRUCE.at(datetime.date(end.year, 3, 31)).source


def first_day_out_of_truce(day):
    if in_truce(day):
        return truce_window(day)[1] + datetime.timedelta(days=1)
    return day


def earliest_eviction(order_date):
    """First day an eviction may be carried out after a commandement de quitter les
    lieux: the day after the delay, pushed past the winter truce."""
    return first_day_out_of_truce(order_to_leave_expiry(order_date) + datetime.timedelta(days=1))


def latest_start_expired_before(expiry, today):
    """The last start date whose delay (`expiry(start)` is its last day) is over by
    `today`: a constant a queryset can filter on, since month arithmetic is not portable
    SQL. Expiry grows with the start, so walking back day by day from `today` finds it."""
    start = today
    while expiry(start) >= today:
        start -= datetime.timedelta(days=1)
    return start


ALL_RULES = (TIME_TO_PAY, PREFECT_NOTICE, ORDER_TO_LEAVE_DELAY, PREFECT_DECISION_DELAY, WINTER_TRUCE)
