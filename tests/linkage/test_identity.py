import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toit.linkage.identity import (
    Identity,
    birth_date_variants,
    compact,
    core,
    normalise_text,
    person_key_variants,
    person_keys,
    split_names,
    swapped_day_month,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NOËL Éric", "noel eric"),
        ("  Le   Gall ", "le gall"),
        ("Jean-Pierre", "jean pierre"),
        ("D'ARTAGNAN", "d artagnan"),
        ("Lœtitia", "loetitia"),
        ("", ""),
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


@given(st.text())
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@pytest.mark.parametrize(
    ("last", "birth", "expected"),
    [
        ("DUPONT née MARTIN", "", ("dupont", "martin")),
        ("MARTIN épouse DUPONT", "", ("dupont", "martin")),
        ("Martin ep. Dupont", "", ("dupont", "martin")),
        ("DURAND veuve PETIT", "", ("petit", "durand")),
        ("DUPONT", "Martin", ("dupont", "martin")),
        ("DUPONT", "", ("dupont", "")),
    ],
)
def test_split_names(last, birth, expected):
    assert split_names(last, birth) == expected


def test_particles_written_apart_or_glued_meet():
    assert core("de La Fontaine") == core("DELAFONTAINE") == core("Lafontaine") == "fontaine"
    assert compact("Le Gall") == compact("LEGALL")
    # Four letters at least must remain: « Dumas » is not « mas ».
    assert core("Dumas") == "dumas"


def test_person_keys_know_birth_name_and_swapped_boxes():
    assert person_keys("DUPONT née MARTIN", "Sophie") == {"dupont|sophie", "martin|sophie"}
    keys = person_key_variants("DUPONT née MARTIN", "Sophie")
    assert {"dupont|sophie", "martin|sophie", "sophie|dupont"} <= keys
    assert person_key_variants("Eric", "NOËL") & person_keys("Noel", "eric")
    assert "fontaine|marie" in person_key_variants("de La Fontaine", "Marie")


def test_day_and_month_swapped():
    assert swapped_day_month(datetime.date(1975, 3, 12)) == datetime.date(1975, 12, 3)
    assert swapped_day_month(datetime.date(1975, 3, 13)) is None  # no 13th month
    assert swapped_day_month(datetime.date(1975, 5, 5)) is None
    assert birth_date_variants(None) == set()


def test_identity_row_carries_every_key():
    row = Identity("dalo", "7", "NOËL épouse MARTIN-DUPONT", "Éric", birth_date=datetime.date(1975, 3, 12)).row()
    assert row["unique_id"] == "dalo:7"
    assert row["last_key"] == "martindupont"
    assert row["birth_key"] == "noel"
    assert row["dob_swapped"] == "1975-12-03"
    assert row["first_key"] == "eric"
    missing = Identity("dalo", "8", "X", "Y").row()
    assert missing["dob"] is None and missing["dob_year"] is None
