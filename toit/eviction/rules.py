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
# Loi n° 98-657 du 29 juillet 1998 (JO du 31), in force 1 August 1998: the préfet, notified
# of the assignation, has a social inquiry made (« enquête sociale »).
LAW_1998_IN_FORCE = datetime.date(1998, 8, 1)
# Loi n° 2009-323 du 25 mars 2009 (JO du 27), in force 28 March 2009: « enquête financière
# et sociale ».
LAW_2009_IN_FORCE = datetime.date(2009, 3, 28)
# Décret n° 2021-8 du 5 janvier 2021 (JO du 6), in force 7 January 2021: the diagnostic
# social et financier's interview and transmission delays.
DECREE_2021_8_IN_FORCE = datetime.date(2021, 1, 7)
# Article 24 II of loi 89-462 as written by the loi ALUR: from 1 January 2015 a landlord that
# is a legal person (other than a family SCI) refers the tenant to the CCAPEX two months
# before assigning.
CCAPEX_REFERRAL_FROM = datetime.date(2015, 1, 1)
# Décret n° 2015-1384 du 30 octobre 2015 (JO du 31), in force 1 November 2015: the
# commissaire de justice signals a commandement de payer to the CCAPEX above the thresholds
# of the prefectoral order.
DECREE_2015_1384_IN_FORCE = datetime.date(2015, 11, 1)


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def easter(year):
    """Easter Sunday (Gregorian computus, anonymous algorithm of Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def public_holidays(year):
    """The eleven public holidays of metropolitan France (article L. 3133-1 du code du
    travail). Alsace-Moselle's two extra days are not counted."""
    sunday = easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [sunday + datetime.timedelta(days=n) for n in (1, 39, 50)]  # lundi de Pâques, Ascension, Pentecôte
    return {datetime.date(year, m, d) for m, d in fixed} | set(movable)


def is_working_day(day):
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(day, count):
    """The `count`-th working day (jour ouvré: Monday to Friday, public holidays excepted)
    after `day`, or before it when `count` is negative."""
    step = datetime.timedelta(days=1 if count > 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


@dataclass(frozen=True)
class Delay:
    months: int = 0
    weeks: int = 0
    working_days: int = 0

    def expiry(self, start):
        """Last day of the delay running from `start` (article 641 CPC)."""
        if self.working_days:
            return add_working_days(start, self.working_days)
        return add_months(start, self.months) + datetime.timedelta(weeks=self.weeks)

    def before(self, end):
        """Latest day an act must take place to come at least this long before `end`."""
        if self.working_days:
            return add_working_days(end, -self.working_days)
        return add_months(end, -self.months) - datetime.timedelta(weeks=self.weeks)

    def __str__(self):
        parts = []
        if self.working_days:
            return f"{self.working_days} jours ouvrés"
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
    "Trêve hivernale : il est sursis à toute mesure d'expulsion non exécutée, à moins que le relogement des "
    "intéressés soit assuré dans des conditions suffisantes respectant l'unité et les besoins de la famille",
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


# Local practices (a hearing approaching without a diagnosis, an assignation without
# contact) are not law: each département declares them in its plan file
# (toit.plans.settings.local_practice).


def time_to_pay(order_date, lease_signed_on=None) -> Version:
    """The rule for a commandement de payer. The Cour de cassation (avis du 13 juin 2024,
    n° 24-70.002) holds that the 2023 law does not change leases running on 29 July 2023:
    when the lease date is known, the rule in force when it was signed applies. When it is
    not, most leases then running being older, the two months apply and the deadline is
    marked « date du bail à vérifier » (lease_date_to_verify): six weeks by default would
    show a deadline two and a half weeks early, against the tenant."""
    if lease_signed_on is None:
        return TIME_TO_PAY.at(min(order_date, LAW_2023_IN_FORCE - datetime.timedelta(days=1)))
    return TIME_TO_PAY.at(lease_signed_on)


LEASE_DATE_TO_VERIFY = "date du bail à vérifier"


def lease_date_to_verify(order_date, lease_signed_on=None):
    """True when the delay of a commandement de payer depends on a lease date Toit lacks."""
    return lease_signed_on is None and order_date >= LAW_2023_IN_FORCE


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


@dataclass(frozen=True)
class TruceExtension:
    """A winter truce prolonged by a later text: from `in_force` on, the winter ending in
    `winter_end_year` lasts until `end` (inclusive)."""

    winter_end_year: int
    end: datetime.date
    in_force: datetime.date
    source: str


# The COVID-19 extensions. Each applies from its publication in the Journal officiel (the
# texts took effect at once); before it, the truce was to end on 31 March.
TRUCE_EXTENSIONS = (
    TruceExtension(
        2020,
        datetime.date(2020, 5, 31),
        datetime.date(2020, 3, 26),
        "ordonnance n° 2020-331 du 25 mars 2020 (JO du 26 mars 2020), article 2",
    ),
    TruceExtension(
        2020,
        datetime.date(2020, 7, 10),
        datetime.date(2020, 5, 12),
        "article 10 de la loi n° 2020-546 du 11 mai 2020 (JO du 12 mai 2020)",
    ),
    TruceExtension(
        2021,
        datetime.date(2021, 5, 31),
        datetime.date(2021, 2, 11),
        "ordonnance n° 2021-141 du 10 février 2021 (JO du 11 février 2021)",
    ),
)


@dataclass(frozen=True)
class Winter:
    start: datetime.date
    end: datetime.date
    source: str


def winter(end_year, known_on):
    """The truce of the winter ending in `end_year`, as the texts in force on `known_on`
    define it. The base dates are those in force on 31 March of `end_year`, so the winter
    2013-2014 ends on 31 March 2014 as the ministers' instruction of 11 March 2014
    anticipated the loi ALUR; an extension counts once its text is in force."""
    version = WINTER_TRUCE.at(datetime.date(end_year, 3, 31))
    start = datetime.date(end_year - 1, *version.value.start)
    end, source = datetime.date(end_year, *version.value.end), version.source
    for extension in TRUCE_EXTENSIONS:
        if extension.winter_end_year == end_year and extension.in_force <= known_on and extension.end > end:
            end, source = (
                extension.end,
                f"{version.source}, prolongée jusqu'au {extension.end:%d/%m/%Y} par l'{extension.source}",
            )
    return Winter(start, end, source)


def _winter_of(day):
    end_year = day.year + 1 if day.month >= 11 else day.year
    found = winter(end_year, day)
    if day > found.end:
        found = winter(end_year + 1, day)
    return found


def truce_window(day):
    """(first day, last day) of the winter truce around `day`'s winter, as the law in force
    on `day` sets it: the one that contains it, or for a day after its end the next one."""
    found = _winter_of(day)
    return found.start, found.end


def in_truce(day):
    start, end = truce_window(day)
    return start <= day <= end


def truce_source(day):
    return _winter_of(day).source


# Who the truce does not protect. The eviction is then executed during it, and the ground
# is recorded with the eviction.
TRUCE_EXCEPTIONS = {
    "relogement_assure": "le relogement des intéressés est assuré dans des conditions suffisantes respectant "
    "l'unité et les besoins de la famille (article L. 613-3 du CCH, puis article L. 412-6 du CPCE)",
    "voie_de_fait": "les occupants sont entrés dans les locaux par voie de fait : le juge peut supprimer le "
    "bénéfice du sursis (article L. 613-3, alinéa 2, du CCH, puis article L. 412-6, alinéa 2, du CPCE)",
}


def first_day_out_of_truce(day):
    """The first day from `day` on that the law in force that day leaves out of the truce:
    a truce extended while it ran (2020) pushes the day again."""
    while in_truce(day):
        day = truce_window(day)[1] + datetime.timedelta(days=1)
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


@dataclass(frozen=True)
class DiagnosisRule:
    """What the social inquiry ordered after an assignation is called, and its delays when
    a text sets them."""

    label: str
    interview_after_referral: Delay | None = None
    sent_before_hearing: Delay | None = None


SOCIAL_DIAGNOSIS = DatedRule(
    "social_diagnosis",
    "Enquête ou diagnostic social et financier demandé par le préfet après l'assignation",
    (
        Version(
            LAW_1998_IN_FORCE,
            DiagnosisRule("enquête sociale"),
            "article 24 III de la loi n° 89-462 du 6 juillet 1989, issu de l'article 114 de la loi n° 98-657 du "
            "29 juillet 1998, et sa circulaire d'application",
        ),
        Version(
            LAW_2009_IN_FORCE,
            DiagnosisRule("enquête financière et sociale"),
            "article 24 III de la loi n° 89-462 du 6 juillet 1989, modifié par la loi n° 2009-323 du 25 mars 2009",
        ),
        Version(
            ALUR_IN_FORCE,
            DiagnosisRule("diagnostic social et financier"),
            "article 24 III de la loi n° 89-462 du 6 juillet 1989, modifié par la loi n° 2014-366 du 24 mars 2014 "
            "(ALUR)",
        ),
        Version(
            DECREE_2021_8_IN_FORCE,
            DiagnosisRule(
                "diagnostic social et financier",
                interview_after_referral=Delay(working_days=15),
                sent_before_hearing=Delay(working_days=5),
            ),
            "décret n° 2021-8 du 5 janvier 2021 relatif à la prévention des expulsions locatives",
        ),
    ),
)


def diagnosis_rule(day) -> Version:
    return SOCIAL_DIAGNOSIS.at(day)


def diagnosis_label(day):
    """« enquête sociale », « enquête financière et sociale » or « diagnostic social et
    financier »: what the instrument was called on `day`."""
    return SOCIAL_DIAGNOSIS.at(day).value.label


def diagnosis_interview_deadline(referral_date):
    """Last day to offer the household an interview after the préfet's referral (None
    before the décret n° 2021-8)."""
    delay = SOCIAL_DIAGNOSIS.at(referral_date).value.interview_after_referral
    return delay.expiry(referral_date) if delay else None


def diagnosis_transmission_deadline(summons_date, hearing_date):
    """Last day the diagnosis reaches the judge and the CCAPEX before the hearing (None
    before the décret n° 2021-8; the rule in force at the assignation applies)."""
    delay = SOCIAL_DIAGNOSIS.at(summons_date).value.sent_before_hearing
    return delay.before(hearing_date) if delay else None


CCAPEX_BEFORE_SUMMONS = DatedRule(
    "ccapex_before_summons",
    "Saisine de la CCAPEX avant l'assignation par un bailleur personne morale (hors SCI familiale)",
    (
        Version(datetime.date.min, None, "aucun délai avant le 1er janvier 2015"),
        Version(
            CCAPEX_REFERRAL_FROM,
            Delay(months=2),
            "article 24 II de la loi n° 89-462 du 6 juillet 1989, issu de l'article 27 de la loi n° 2014-366 du "
            "24 mars 2014 (ALUR), applicable à compter du 1er janvier 2015",
        ),
    ),
)


def earliest_summons_after_ccapex(referral_date, summons_date):
    """First day a legal-person landlord may assign after referring the tenant to the
    CCAPEX on `referral_date`; None when no rule applies to an assignation on
    `summons_date`."""
    delay = CCAPEX_BEFORE_SUMMONS.at(summons_date).value
    if delay is None:
        return None
    return delay.expiry(referral_date) + datetime.timedelta(days=1)


CCAPEX_SIGNAL = DatedRule(
    "ccapex_signal",
    "Signalement du commandement de payer à la CCAPEX par le commissaire de justice au-delà des seuils fixés par "
    "arrêté préfectoral",
    (
        Version(datetime.date.min, False, "aucun signalement avant le décret n° 2015-1384"),
        Version(
            DECREE_2015_1384_IN_FORCE,
            True,
            "article 24 I de la loi n° 89-462 du 6 juillet 1989 et décret n° 2015-1384 du 30 octobre 2015 relatif à "
            "la commission de coordination des actions de prévention des expulsions locatives",
        ),
    ),
)


ALL_RULES = (
    TIME_TO_PAY,
    PREFECT_NOTICE,
    ORDER_TO_LEAVE_DELAY,
    PREFECT_DECISION_DELAY,
    WINTER_TRUCE,
    SOCIAL_DIAGNOSIS,
    CCAPEX_BEFORE_SUMMONS,
    CCAPEX_SIGNAL,
)
