"""French identities, normalised once for every part of Toit that compares people (eviction
intake, the cross-matching of partners' files of sheet 3A, imports).

Partners spell the same person their own way: « NOËL Éric », « Noel eric », « NOEL-DUPONT
Eric », « DUPONT née NOEL », « Eric NOEL » typed in the wrong boxes, 03/12 for 12/03. Each
helper here turns one of these habits into a key; the comparison functions and the Splink
model (toit.linkage.engine) read the keys, never the raw text.
"""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})

# "DUPONT née MARTIN", "MARTIN épouse DUPONT", "MARTIN ép. DUPONT", "DURAND veuve PETIT".
# The name before "née" is the used name; the name after "épouse"/"veuve" is the used name.
_BIRTH_AFTER = re.compile(r"\s+(?:nee|ne)\s+", re.IGNORECASE)
_USED_AFTER = re.compile(r"\s+(?:epouse|ep|veuve|vve|epse)\s+", re.IGNORECASE)

# Particles written or dropped at will: « de La Fontaine », « LAFONTAINE », « Fontaine (de) ».
PARTICLES = frozenset({"de", "du", "des", "d", "le", "la", "les", "l", "van", "von", "der", "den", "di", "da", "del"})


def _fold_once(text):
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LIGATURES)
    # Anything that is not a plain letter or digit (hyphens, apostrophes, dots, other
    # scripts) separates words: "Saint-Jean", "Saint Jean" and "SAINT JEAN" are one key.
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


# Names repeat (a few thousand spellings cover a département): caching the pure helpers makes
# a million-record file cost seconds, not minutes.
@functools.lru_cache(maxsize=1 << 16)
def _normalised(text):
    previous, current = None, text
    # Case folding and decomposition can each expose characters the other changes; a few
    # rounds reach the fixed point, which is what makes the function idempotent.
    while current != previous:
        previous, current = current, _fold_once(current)
    return current


def normalise_text(text):
    """Lower-case ASCII words separated by one space: accents, case, hyphens, apostrophes
    and extra spaces removed. Idempotent."""
    if not text:
        return ""
    return _normalised(str(text))


def split_names(last_name, birth_name=""):
    """(used name, birth name) from a last-name field that may carry "née X" / "épouse Y" /
    "veuve Z", plus the explicit birth-name field, both normalised."""
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


def compact(name):
    """ "le gall" -> "legall", "jean pierre" -> "jeanpierre": spaces and hyphens do not count."""
    return normalise_text(name).replace(" ", "")


def name_tokens(name):
    """The words of a name that carry it: particles dropped, « Martin-Dupont » gives
    ("martin", "dupont"). Falls back to all words when the name is only particles (« Le »)."""
    words = normalise_text(name).split()
    kept = tuple(w for w in words if w not in PARTICLES)
    return kept or tuple(words)


# Particles often glued to the name by a partner's software: « LAFONTAINE », « DELAFONTAINE ».
_GLUED_PARTICLES = ("des", "de", "du", "la", "le", "les")
_MIN_CORE = 4


@functools.lru_cache(maxsize=1 << 16)
def core(name):
    """Compact name without particles, written apart or glued: « de La Fontaine »,
    « DELAFONTAINE » and « Fontaine » meet. A glued particle is only removed when four
    letters at least remain (« Dumas » stays)."""
    key = "".join(name_tokens(name))
    stripped = True
    while stripped:
        stripped = False
        for particle in _GLUED_PARTICLES:
            if key.startswith(particle) and len(key) - len(particle) >= _MIN_CORE:
                key, stripped = key[len(particle) :], True
                break
    return key


def person_key(last_name, first_name):
    """ "dupont|jeanpierre": spaces dropped inside each part so that "Le Gall" / "LEGALL"
    and "Jean-Pierre" / "Jean Pierre" meet. Empty when either part is missing."""
    last, first = compact(last_name), compact(first_name)
    if not last or not first:
        return ""
    return f"{last}|{first}"


def person_keys(last_name, first_name, birth_name=""):
    """Every key a person may be known under: used name and birth name (what the eviction
    files store, HouseholdMember.name_key and birth_name_key)."""
    used, born = split_names(last_name, birth_name)
    return {k for k in (person_key(used, first_name), person_key(born, first_name)) if k}


def person_key_variants(last_name, first_name, birth_name=""):
    """person_keys, plus each name without its particles (glued or not) and the first and
    last names swapped (a form filled in the wrong boxes): the keys to look up a person
    among stored person_keys."""
    used, born = split_names(last_name, birth_name)
    keys = set()
    for last in (used, born):
        if not last:
            continue
        for variant in (compact(last), core(last)):
            keys.add(person_key(variant, first_name))
            keys.add(person_key(first_name, variant))
    keys.discard("")
    return keys


def swapped_day_month(day):
    """The date with day and month swapped (12/03 typed for 03/12), or None when that is
    not a date or is the same date."""
    if day is None or day.day > 12 or day.day == day.month:
        return None
    return datetime.date(day.year, day.day, day.month)


def birth_date_variants(day):
    """The birth dates a partner may have recorded for `day`: itself and day/month swapped."""
    if day is None:
        return set()
    swapped = swapped_day_month(day)
    return {day} | ({swapped} if swapped else set())


@dataclass(frozen=True)
class Identity:
    """A person as one partner's file records them. `source` names the file (« dalo »,
    « demande », « fsl »…), `record_id` the row in it; both are opaque to the engine."""

    source: str
    record_id: str
    last_name: str
    first_name: str
    birth_name: str = ""
    birth_date: datetime.date | None = None
    postcode: str = ""
    commune: str = ""
    street: str = ""

    def row(self):
        """The flat, normalised row the Splink model reads (toit.linkage.engine)."""
        from toit.linkage.phonetic import phonetic_key

        used, born = split_names(self.last_name, self.birth_name)
        first = normalise_text(self.first_name)
        first_tokens = first.split()
        swapped = swapped_day_month(self.birth_date)
        return {
            "unique_id": f"{self.source}:{self.record_id}",
            "source_dataset": self.source,
            "last_key": compact(used) or None,
            "last_core": core(used) or None,
            "last_phon": phonetic_key(core(used)) or None,
            "birth_key": compact(born) or None,
            "birth_phon": phonetic_key(core(born)) or None,
            "first_key": compact(first) or None,
            # The first of several first names: « Jean-Pierre » is often recorded « Jean ».
            "first_head": first_tokens[0] if first_tokens else None,
            "first_phon": phonetic_key(first) or None,
            "dob": self.birth_date.isoformat() if self.birth_date else None,
            "dob_swapped": swapped.isoformat() if swapped else None,
            "dob_year": self.birth_date.year if self.birth_date else None,
            "postcode": (self.postcode or "").strip() or None,
            "commune": normalise_text(self.commune) or None,
            "street": normalise_text(self.street) or None,
        }
