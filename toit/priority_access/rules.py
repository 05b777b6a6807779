"""Legal delays of the DALO procedure, dated like the eviction rules (toit.eviction.rules):
the version in force on the day the appeal was filed (or the decision taken) applies,
never today's. Explained in docs/priority-access.md.

Two facts vary by département and over time, so they are dated settings of the
département, not constants (toit.priority_access.models.settings):
- whether it has an agglomeration of more than 300 000 inhabitants (DaloAgglomeration):
  the commission and the préfet then have six months instead of three;
- the « délai anormalement long » of the social housing demand, set by prefectoral order
  (AbnormalDelay).
"""

import datetime

from toit.eviction.rules import DatedRule, Delay, Version, add_months, latest_start_expired_before

# Loi n° 2007-290 du 5 mars 2007 (DALO): the commissions de médiation receive appeals
# from 1 January 2008 (article L. 441-2-3 of the CCH).
DALO_IN_FORCE = datetime.date(2008, 1, 1)

_COMMISSION_SOURCE = (
    "article R. 441-15 du code de la construction et de l'habitation (décret n° 2007-1677 du 28 novembre 2007)"
)
_PREFECT_SOURCE = (
    "article R. 441-16-1 du code de la construction et de l'habitation (décret n° 2007-1677 du 28 novembre 2007)"
)

COMMISSION_DELAY = DatedRule(
    "dalo_commission_delay",
    "Délai de décision de la commission de médiation, à compter du dépôt du recours",
    (Version(DALO_IN_FORCE, Delay(months=3), _COMMISSION_SOURCE),),
)
COMMISSION_DELAY_LARGE = DatedRule(
    "dalo_commission_delay_large",
    "Délai de décision de la commission de médiation dans un département comportant une agglomération de plus "
    "de 300 000 habitants",
    (Version(DALO_IN_FORCE, Delay(months=6), _COMMISSION_SOURCE),),
)
PREFECT_DELAY = DatedRule(
    "dalo_prefect_delay",
    "Délai laissé au préfet pour faire proposer un logement au ménage reconnu prioritaire, à compter de la décision",
    (Version(DALO_IN_FORCE, Delay(months=3), _PREFECT_SOURCE),),
)
PREFECT_DELAY_LARGE = DatedRule(
    "dalo_prefect_delay_large",
    "Délai laissé au préfet dans un département comportant une agglomération de plus de 300 000 habitants",
    (Version(DALO_IN_FORCE, Delay(months=6), _PREFECT_SOURCE),),
)


def commission_rule(filed_on, large_agglomeration):
    return (COMMISSION_DELAY_LARGE if large_agglomeration else COMMISSION_DELAY).at(filed_on)


def prefect_rule(decided_on, large_agglomeration):
    return (PREFECT_DELAY_LARGE if large_agglomeration else PREFECT_DELAY).at(decided_on)


def commission_deadline(filed_on, large_agglomeration):
    """Last day for the commission to decide on an appeal filed on `filed_on`."""
    return commission_rule(filed_on, large_agglomeration).value.expiry(filed_on)


def rehousing_deadline(decided_on, large_agglomeration):
    """Last day for the préfet to have housing proposed to a household the commission
    declared priority on `decided_on`; from the next day the household may go to the
    administrative court (recours contentieux DALO, article L. 441-2-3-1 of the CCH)."""
    return prefect_rule(decided_on, large_agglomeration).value.expiry(decided_on)


def abnormally_long(filed_on, months, today):
    """Whether a demand filed on `filed_on` has waited longer than `months` by `today`."""
    return months is not None and add_months(filed_on, months) < today


ALL_RULES = (COMMISSION_DELAY, COMMISSION_DELAY_LARGE, PREFECT_DELAY, PREFECT_DELAY_LARGE)

__all__ = [
    "ALL_RULES",
    "abnormally_long",
    "commission_deadline",
    "latest_start_expired_before",
    "rehousing_deadline",
]
