import pytest
from hypothesis import given
from hypothesis import strategies as st

from toit.eviction.normalise import address_key, normalise_text, person_key, person_keys, split_names

ACCENTED = {
    "a": "àâä",
    "e": "éèêë",
    "i": "îï",
    "o": "ôö",
    "u": "ùûü",
    "c": "ç",
    "y": "ÿ",
}
# Names made of plain letters and separators, as the variants below are built from them.
plain_names = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10), min_size=1, max_size=3)


def variant(words, rng):
    """The same name as another partner would type it: other case, accents, hyphens or
    apostrophes between words, extra spaces."""
    out = []
    for word in words:
        letters = []
        for letter in word:
            if letter in ACCENTED and rng.random() < 0.5:
                letter = rng.choice(ACCENTED[letter])
            letters.append(letter.upper() if rng.random() < 0.5 else letter)
        out.append("".join(letters))
    separator = rng.choice([" ", "  ", "-", " - ", "'", "’", " '"])
    return rng.choice(["", " ", "  "]) + separator.join(out) + rng.choice(["", " ", "\t"])


@given(st.text())
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@given(st.text())
def test_normalise_text_yields_plain_words(text):
    result = normalise_text(text)
    assert result == result.strip()
    assert "  " not in result
    assert all(c.isascii() and (c.isalnum() or c == " ") for c in result)
    assert result == result.lower()


@given(st.text())
def test_address_key_is_idempotent(text):
    once = address_key(text)
    assert address_key(once) == once


@given(plain_names, st.randoms(use_true_random=False))
def test_accent_case_and_separator_variants_give_the_same_text(words, rng):
    assert normalise_text(variant(words, rng)) == normalise_text(" ".join(words))


@given(plain_names, plain_names, st.randoms(use_true_random=False))
def test_variants_give_the_same_person_key(last, first, rng):
    assert person_key(variant(last, rng), variant(first, rng)) == person_key(" ".join(last), " ".join(first))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Élodie  LE-GALL", "elodie le gall"),
        ("d’Aubigné", "d aubigne"),
        ("CŒUR", "coeur"),
        ("  Saint-Jean-d'Assé ", "saint jean d asse"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_text_examples(typed, expected):
    assert normalise_text(typed) == expected


def test_person_key_ignores_spaces_inside_names():
    assert person_key("Le Gall", "Jean-Pierre") == person_key("LEGALL", "jean pierre") == "legall|jeanpierre"
    assert person_key("", "Jean") == ""


@pytest.mark.parametrize(
    ("last", "birth", "expected"),
    [
        ("DUPONT née MARTIN", "", ("dupont", "martin")),
        ("Dupont nee Martin", "", ("dupont", "martin")),
        ("MARTIN épouse DUPONT", "", ("dupont", "martin")),
        ("MARTIN ép. DUPONT", "", ("dupont", "martin")),
        ("Martin veuve Dupont", "", ("dupont", "martin")),
        ("Dupont", "Martin", ("dupont", "martin")),
        ("Dupont", "", ("dupont", "")),
        # An explicit birth-name field wins over the one parsed from the last name.
        ("Dupont née Martin", "Petit", ("dupont", "petit")),
    ],
)
def test_split_names_understands_maiden_names(last, birth, expected):
    assert split_names(last, birth) == expected


def test_person_keys_cover_used_and_birth_names():
    assert person_keys("DUPONT née MARTIN", "Sylvie") == {"dupont|sylvie", "martin|sylvie"}
    assert person_keys("Dupont", "Sylvie", "Dupont") == {"dupont|sylvie"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12 bis, r. de la Gare", "12 bis rue de la gare"),
        ("12B RUE DE LA GARE", "12 bis rue de la gare"),
        ("12 b rue de la gare", "12 bis rue de la gare"),
        ("3 av. du Général-de-Gaulle", "3 avenue du general de gaulle"),
        ("5 bd Paixhans", "5 boulevard paixhans"),
        ("Résidence les Pins bât B", "residence les pins bat b"),
        ("7 pl. St-Nicolas", "7 place saint nicolas"),
    ],
)
def test_address_key_examples(typed, expected):
    assert address_key(typed) == expected
