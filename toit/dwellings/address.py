"""A French postal address reduced to a comparison key, for the dwelling register (sheet 2B):
one dwelling is reported many times, by a tenant, the CAF, a mayor, a social worker, each
spelling its address their own way. The key is what two spellings of one address share;
it is stored on the dwelling (Dwelling.address_key) so that a duplicate is an indexed
equality in SQL.

Written here rather than taken from a library: the BAN's geocoder is a web service (no
network in production here) and libpostal is a 2 GB model for a job that is a few tables.
Builds on toit.eviction.normalise.normalise_text (case, accents, punctuation).

    « 12 BIS, Bd du Général Leclerc » → number 12, suffix « bis », street « boulevard general leclerc »
"""

import re
from dataclasses import dataclass

from toit.eviction.normalise import normalise_text

# Street types and titles as abbreviated in French addresses (La Poste, BAN and what
# partners type). "st"/"ste" are always saint/sainte in a street name.
STREET_WORDS = {
    "r": "rue",
    "av": "avenue",
    "ave": "avenue",
    "avn": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "boul": "boulevard",
    "bvd": "boulevard",
    "pl": "place",
    "imp": "impasse",
    "all": "allee",
    "ch": "chemin",
    "chem": "chemin",
    "che": "chemin",
    "rte": "route",
    "fg": "faubourg",
    "fbg": "faubourg",
    "sq": "square",
    "res": "residence",
    "resid": "residence",
    "qu": "quai",
    "crs": "cours",
    "lot": "lotissement",
    "ham": "hameau",
    "ld": "lieudit",
    "pass": "passage",
    "prom": "promenade",
    "sen": "sentier",
    "st": "saint",
    "ste": "sainte",
    "gal": "general",
    "gen": "general",
    "mal": "marechal",
    "pdt": "president",
    "pr": "professeur",
    "dr": "docteur",
    "cdt": "commandant",
    "lt": "lieutenant",
    "mgr": "monseigneur",
}
# Two-word street types that one key must see as one word.
_PAIRS = {("lieu", "dit"): "lieudit"}

# Ordinals, in words or figures (« 1er », « 1re », « 2e », « 2ème », « IIe » is left alone),
# all become the figure and « e »: « rue du Premier Mai » and « rue du 1er Mai » are one
# street (« 1e mai »). Not the bare figure, which would read as a street number.
_ORDINAL_WORDS = {
    "premier": "1e",
    "premiere": "1e",
    "deuxieme": "2e",
    "second": "2e",
    "seconde": "2e",
    "troisieme": "3e",
    "quatrieme": "4e",
    "cinquieme": "5e",
    "sixieme": "6e",
    "septieme": "7e",
    "huitieme": "8e",
    "neuvieme": "9e",
    "dixieme": "10e",
}
_ORDINAL_FIGURE = re.compile(r"^(\d+)(?:er|ere|re|e|eme|em|nd|nde|d)$")

# Articles and prepositions: « rue de la Gare » and « rue Gare » are written for one street.
_SMALL_WORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "a", "au", "aux", "et", "en"})

# Repetition indices after the number: 12 bis, 12B, 12 ter, 12 quater.
SUFFIXES = {"b": "bis", "bis": "bis", "t": "ter", "ter": "ter", "q": "quater", "qua": "quater", "quater": "quater"}
_LEADING_NUMBER = re.compile(r"^(\d{1,5})\s*(bis|ter|quater|qua|b|t|q)?\b\s*(.*)$")


@dataclass(frozen=True)
class Address:
    number: str  # "12" or ""
    suffix: str  # "bis", "ter", "quater" or ""
    street: str  # normalised street words: "boulevard general leclerc"

    @property
    def key(self):
        """The comparison key: « 12|bis|boulevard general leclerc »."""
        return f"{self.number}|{self.suffix}|{self.street}"


def _street_words(text):
    words = normalise_text(text).split()
    out = []
    index = 0
    while index < len(words):
        word = words[index]
        pair = tuple(words[index : index + 2])
        if pair in _PAIRS:
            out.append(_PAIRS[pair])
            index += 2
            continue
        if (m := _ORDINAL_FIGURE.match(word)) is not None:
            word = f"{int(m[1])}e"
        word = _ORDINAL_WORDS.get(word, word)
        word = STREET_WORDS.get(word, word)
        if word not in _SMALL_WORDS:
            out.append(word)
        index += 1
    return " ".join(out)


def normalise_suffix(text):
    """« B », « bis », « Bis » → « bis »; anything else is refused (ValueError)."""
    cleaned = normalise_text(text)
    if not cleaned:
        return ""
    if cleaned not in SUFFIXES:
        raise ValueError(f"Indice de répétition « {text} » inconnu : attendu bis, ter ou quater.")
    return SUFFIXES[cleaned]


def parse(street, number="", suffix=""):
    """The address of `street` (which may start with its number: « 12bis rue… »); a number
    and suffix given apart take precedence. Idempotent: parse(a.street, a.number, a.suffix)
    gives `a` back."""
    text = normalise_text(street)
    found_number, found_suffix = "", ""
    if (m := _LEADING_NUMBER.match(text)) is not None:
        found_number, found_suffix, text = m[1], SUFFIXES.get(m[2] or "", ""), m[3]
    given = normalise_text(number)
    if given and (m := _LEADING_NUMBER.match(given)) is not None and not m[3]:
        # « 12 bis », « 12B » typed in the number column.
        given, found_suffix = m[1], SUFFIXES.get(m[2] or "", "") or found_suffix
    number = given or found_number
    number = str(int(number)) if number.isdigit() else number  # « 012 » is 12
    suffix = normalise_suffix(suffix) if suffix else found_suffix
    words = _street_words(text)
    if not number and _LEADING_NUMBER.match(words):
        # A number behind dropped words (« D:0 », « l' 12 rue… ») is the number: parse what
        # is left, so that parsing the result again gives the same address.
        return parse(words, "", suffix)
    return Address(number=number, suffix=suffix, street=words)


def address_key(street, number="", suffix=""):
    return parse(street, number, suffix).key
