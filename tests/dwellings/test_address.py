import pytest
from hypothesis import given
from hypothesis import strategies as st

from toit.dwellings.address import address_key, normalise_suffix, parse


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("12 BIS, Bd du Général Leclerc", "12bis boulevard General-Leclerc"),
        ("12 b bd Gal Leclerc", "12 bis, boulevard du général Leclerc"),
        ("3 av. de la République", "3 AVENUE REPUBLIQUE"),
        ("5 r. St-Jean", "5 rue Saint Jean"),
        ("7 rue du 1er Mai", "7 rue du Premier Mai"),
        ("7 rue du 1er Mai", "7 rue du 1ᵉʳ mai"),
        ("2 place du 8e Régiment", "2 pl. du huitième régiment"),
        ("9 Ld la Croix", "9 lieu-dit La Croix"),
        ("  14   Rue  Nationale ", "14 rue nationale"),
        ("008 rue Chanzy", "8 rue Chanzy"),
    ],
)
def test_two_spellings_of_one_address_share_a_key(a, b):
    assert address_key(a) == address_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("12 rue Leclerc", "12 bis rue Leclerc"),  # bis is another dwelling
        ("12 bis rue Leclerc", "12 ter rue Leclerc"),
        ("12 rue Leclerc", "14 rue Leclerc"),
        ("3 rue Saint-Jean", "3 avenue Saint-Jean"),
        ("7 rue du 1er Mai", "7 rue du 8 Mai"),
    ],
)
def test_different_addresses_keep_different_keys(a, b):
    assert address_key(a) != address_key(b)


def test_parts_of_an_address():
    address = parse("12 BIS, Bd du Général Leclerc")
    assert (address.number, address.suffix, address.street) == ("12", "bis", "boulevard general leclerc")
    assert address.key == "12|bis|boulevard general leclerc"


def test_number_and_suffix_given_apart_win_over_the_street():
    assert parse("rue Chanzy", "12", "B").key == "12|bis|rue chanzy"
    assert parse("boulevard Leclerc").number == ""
    assert parse("bd Leclerc", "12B").key == parse("bd Leclerc", "12 bis").key == "12|bis|boulevard leclerc"


def test_an_unknown_repetition_index_is_refused_in_french():
    with pytest.raises(ValueError, match="bis, ter ou quater"):
        normalise_suffix("quinquies")


def test_a_building_letter_is_not_taken_for_bis():
    assert parse("rue Chanzy bâtiment B").street == "rue chanzy batiment b"


def test_a_number_behind_dropped_words_is_the_number():
    # Found by hypothesis: « d' » is dropped, the « 0 » left behind is a number.
    assert parse("D:0") == parse("0") == parse(" 0 ")


@given(st.text(max_size=60))
def test_normalising_is_idempotent(text):
    address = parse(text)
    again = parse(f"{address.number} {address.suffix} {address.street}")
    assert again == address
