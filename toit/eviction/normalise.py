"""Normalised keys for matching reports to existing files (sheet 1A: pooling the detection
of unpaid rent between the CAF, the FSL, Action Logement and the commission de
surendettement, who each spell names and addresses their own way).

Keys are stored on the rows (HouseholdMember.name_key, Household.address_key…) so that a
match is an indexed equality in SQL, never a Python scan of the files.
"""

import re

# Names are folded and split by the one module that handles French identities for all of
# Toit (toit.linkage.identity); addresses and landlords are this module's business.
from toit.linkage.identity import normalise_text, person_key, person_keys, split_names

__all__ = ["address_key", "landlord_key", "normalise_text", "person_key", "person_keys", "split_names"]

# Street-type abbreviations as written by the CAF, landlords and social workers.
_STREET_WORDS = {
    "r": "rue",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "boul": "boulevard",
    "pl": "place",
    "imp": "impasse",
    "all": "allee",
    "ch": "chemin",
    "chem": "chemin",
    "rte": "route",
    "fg": "faubourg",
    "fbg": "faubourg",
    "sq": "square",
    "res": "residence",
    "resid": "residence",
    "qu": "quai",
    "crs": "cours",
    "st": "saint",
    "ste": "sainte",
}
# "12 b" is "12 bis", but "bâtiment B" stays a building letter.
_AFTER_NUMBER = {"b": "bis", "t": "ter", "q": "quater"}
_NUMBER_SUFFIX = re.compile(r"\b(\d+)(bis|ter|quater|b|t|q)\b")


def address_key(street):
    """ "12 bis rue de la gare": street-type abbreviations expanded, "12bis" split."""
    text = normalise_text(street)
    if not text:
        return ""
    words = _NUMBER_SUFFIX.sub(r"\1 \2", text).split()
    expanded = []
    for position, word in enumerate(words):
        if position and words[position - 1].isdigit() and word in _AFTER_NUMBER:
            expanded.append(_AFTER_NUMBER[word])
        else:
            expanded.append(_STREET_WORDS.get(word, word))
    return " ".join(expanded)


def landlord_key(name):
    return normalise_text(name)
