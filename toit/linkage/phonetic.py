"""A French phonetic key for names, written here because the keys on PyPI are English
(soundex, metaphone, double-metaphone) or unmaintained (phonex). It follows the idea of
Phonex (F. Brouard, 1998): rewrite the spellings French pronounces alike into one form,
then drop what is not heard. It is a key for blocking and for one comparison level, not a
pronunciation: two names with the same key sound alike to a French reader, the reverse is
not promised.

« Noël » / « NOEL », « Dupont » / « Dupond », « Lefèbvre » / « Lefèvre », « Gauthier » /
« Gautier », « Philippe » / « Filipe », « Rousseau » / « Roussot », « Cédric » / « Sédric »
share a key (see tests/linkage/test_phonetic.py).
"""

import functools
import re

from toit.linkage.identity import normalise_text

_VOWELS = "aeiouy"

# Rewrites applied in order on a lower-case ASCII word. Upper-case letters in the output
# are sound classes, so that a later rule cannot read them as letters again.
_RULES = (
    # Letters and groups that are one sound.
    (r"ph", "f"),
    (r"sch", "S"),
    (r"ch(?=[rl])", "k"),  # Christophe, Chloé
    (r"ch", "S"),
    (r"sh", "S"),
    (r"th", "t"),
    (r"gh", "g"),
    (r"h", ""),
    (r"y", "i"),
    (r"w", "v"),
    (r"qu", "k"),
    (r"q", "k"),
    (r"ck", "k"),
    (r"cc(?=[ei])", "ks"),
    (r"c(?=[ei])", "s"),
    (r"c", "k"),
    (r"gu(?=[ei])", "G"),  # hard g: Guillaume, Guérin
    (r"ge(?=[aou])", "j"),
    (r"g(?=[ei])", "j"),
    (r"x", "ks"),
    (r"z", "s"),
    (r"b(?=v)", ""),  # Lefebvre
    (r"(?<=[aeiou])s(?=[aeiou])", "z"),  # Rosier / Rozier
    # Vowel groups.
    (r"eau", "O"),
    (r"au", "O"),
    (r"oi", "Wa"),
    (r"ou", "U"),
    (r"eu", "E"),
    (r"oe", "E"),
    (r"(?:ai|ei)[mn](?![aeiouEOU]|[mn])", "4"),  # Martain / Martin
    (r"ai", "e"),
    (r"ei", "e"),
    (r"e(?=(?:r|z|t)$)", "e"),
    # Nasals: a vowel and m/n not followed by a vowel.
    (r"[ae][mn](?![aeiouEOU]|[mn])", "1"),
    (r"[iu][mn](?![aeiouEOU]|[mn])", "4"),
    (r"e[mn](?![aeiouEOU]|[mn])", "1"),
    (r"o[mn](?![aeiouEOU]|[mn])", "3"),
    (r"o", "O"),
    (r"u", "U"),
)
_COMPILED = tuple((re.compile(pattern), repl) for pattern, repl in _RULES)
# Final letters French does not pronounce: Dupont(d), Thomas, Renaud, Roux, Gautier(r after é).
_SILENT_END = re.compile(r"(?:[sxtdpz]|(?<=[eE])r)+$")
# Renault, Perrault, Thibault: the « l » is not heard (but Paul keeps his).
_AULT = re.compile(r"aul[td]$")
_DOUBLE = re.compile(r"(.)\1+")


def _word_key(word):
    if not word:
        return ""
    key = word
    # A final mute « e » (Philippe, Lefèvre) first, so the consonant before it stays.
    if len(key) > 2 and key.endswith("e") and key[-2] not in _VOWELS:
        key = key[:-1]
    key = _AULT.sub("au", key)
    key = _SILENT_END.sub("", key) or key
    for pattern, repl in _COMPILED:
        key = pattern.sub(repl, key)
    key = _SILENT_END.sub("", key) or key
    key = _DOUBLE.sub(r"\1", key)
    # « é », « è », « e » before a consonant sound alike in names; a trailing « e » is mute.
    key = key.rstrip("e") or key
    return key.upper()


@functools.lru_cache(maxsize=1 << 16)
def phonetic_key(name):
    """The French phonetic key of a name (several words keyed one by one, joined by a
    space; empty for an empty name)."""
    words = normalise_text(name).split()
    return " ".join(k for k in (_word_key(w) for w in words if not w.isdigit()) if k)
