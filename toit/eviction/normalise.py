"""Normalised keys for matching reports to existing files (sheet 1A: pooling the detection
of unpaid rent between the CAF, the FSL, Action Logement and the commission de
surendettement, who each spell names and addresses their own way).

Keys are stored on the rows (HouseholdMember.name_key, Household.address_key…) so that a
match is an indexed equality in SQL, never a Python scan of the files.
"""

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})

# "DUPONT née MARTIN", "MARTIN épouse DUPONT", "MARTIN ép. DUPONT", "DURAND veuve PETIT".
# The name before "née" is the used name; the name after "épouse"/"veuve" is the used name.
_BIRTH_AFTER = re.compile(r"\s+(?:nee|ne)\s+", re.IGNORECASE)
_USED_AFTER = re.compile(r"\s+(?:epouse|ep|veuve|vve|epse)\s+", re.IGNORECASE)

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


def _fold_once(text):
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LIGATURES)
    # Anything that is not a plain letter or digit (hyphens, apostrophes, dots, other
    # scripts) separates words: "Saint-Jean", "Saint Jean" and "SAINT JEAN" are one key.
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


def normalise_text(text):
    """Lower-case ASCII words separated by one space: accents, case, hyphens, apostrophes
    and extra spaces removed. Idempotent."""
    if not text:
        return ""
    previous, current = None, str(text)
    # Case folding and decomposition can each expose characters the other changes; a few
    # rounds reach the fixed point, which is what makes the function idempotent.
    while current != previous:
        previous, current = current, _fold_once(current)
    return current


def split_names(last_name, birth_name=""):
    """(used name, birth name) from a last-name field that may carry "née X" / "épouse Y",
    plus the explicit birth-name field, both normalised."""
    last = normalise_text(last_name)
    birth = normalise_text(birth_name)
    padded = f" {last} "
    if m := _BIRTH_AFTER.search(padded):
        used, born = padded[: m.start()], padded[m.end() :]
        return used.strip(), birth or born.strip()
    if m := _USED_AFTER.search(padded):
        born, used = padded[: m.start()], padded[m.end() :]
        return used.strip(), birth or born.strip()
    return last, birth


def person_key(last_name, first_name):
    """ "dupont|jeanpierre": spaces dropped inside each part so that "Le Gall" / "LEGALL"
    and "Jean-Pierre" / "Jean Pierre" meet. Empty when either part is missing."""
    last = normalise_text(last_name).replace(" ", "")
    first = normalise_text(first_name).replace(" ", "")
    if not last or not first:
        return ""
    return f"{last}|{first}"


def person_keys(last_name, first_name, birth_name=""):
    """Every key a person may be known under: used name and birth name."""
    used, born = split_names(last_name, birth_name)
    return {k for k in (person_key(used, first_name), person_key(born, first_name)) if k}


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
