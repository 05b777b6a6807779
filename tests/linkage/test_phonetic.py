import pytest

from toit.linkage.phonetic import phonetic_key

ALIKE = [
    ("Noël", "NOEL"),
    ("Dupont", "Dupond"),
    ("Lefèbvre", "Lefèvre"),
    ("Gauthier", "Gautier"),
    ("Philippe", "Filipe"),
    ("Rousseau", "Roussot"),
    ("Cédric", "Sédric"),
    ("Mathieu", "Matthieu"),
    ("Christophe", "Kristof"),
    ("Laurent", "Laurant"),
    ("Thomas", "Tomas"),
    ("Françoise", "Francoise"),
    ("Jacques", "Jaques"),
    ("Martin", "Martain"),
    ("Renaud", "Renault"),
    ("Bertrand", "Bertran"),
    ("Chevalier", "Chevallier"),
    ("Stéphane", "Stefane"),
    ("Dubois", "Duboy"),
    ("Rozier", "Rosier"),
]
APART = [
    ("Martin", "Marin"),
    ("Petit", "Pottier"),
    ("Bernard", "Renard"),
    ("Durand", "Dupont"),
    ("Moreau", "Mercier"),
    ("Paul", "Pau"),
    ("Girard", "Guirard"),
]


@pytest.mark.parametrize(("a", "b"), ALIKE)
def test_names_french_pronounces_alike_share_a_key(a, b):
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(("a", "b"), APART)
def test_names_that_sound_different_do_not(a, b):
    assert phonetic_key(a) != phonetic_key(b)


def test_several_words_and_empty():
    assert phonetic_key("Jean-Pierre") == phonetic_key("jean pierre") == "JE1 PIER"
    assert phonetic_key("") == ""
    assert phonetic_key("123") == ""
