"""The engine on the French habits partners have, with the fixed model Toit's pages use."""

import datetime
import gc
from pathlib import Path

import pytest

from toit.linkage import engine
from toit.linkage.engine import BLOCKING_RULES, Thresholds, link_identities
from toit.linkage.identity import Identity

D = datetime.date


def _pairs(identities, thresholds=None):
    return {(p.left, p.right): p for p in link_identities(identities, thresholds=thresholds).pairs}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("NOËL", "Éric", "", D(1975, 3, 12)), ("NOEL", "Eric", "", D(1975, 3, 12))),
        (("NOËL", "Éric", "", D(1975, 3, 12)), ("Noel", "eric", "", D(1975, 12, 3))),  # day/month swapped
        (("MARTIN", "Jean", "", D(1980, 1, 1)), ("Jean", "MARTIN", "", D(1980, 1, 1))),  # boxes swapped
        (("de La Fontaine", "Marie-Claire", "", D(1968, 5, 4)), ("LAFONTAINE", "Marie Claire", "", None)),
        (("DUPONT née MARTIN", "Sophie", "", D(1970, 7, 8)), ("MARTIN", "Sophie", "", D(1970, 7, 8))),
        (("Lefèbvre", "Stéphane", "", D(1962, 11, 30)), ("LEFEVRE", "Stephane", "", D(1962, 11, 30))),
    ],
)
def test_same_person_spelled_two_ways_is_linked(left, right):
    people = [
        Identity("dalo", "1", *left[:3], birth_date=left[3], postcode="72000"),
        Identity("demande", "2", *right[:3], birth_date=right[3], postcode="72000"),
        # Someone else in the files, so that the pair is not linked by elimination.
        Identity("demande", "3", "PETIT", "Lucie", birth_date=D(1990, 6, 6), postcode="72100"),
    ]
    pairs = _pairs(people)
    assert ("dalo:1", "demande:2") in pairs
    assert pairs[("dalo:1", "demande:2")].status in {"accepted", "review"}
    assert ("dalo:1", "demande:3") not in pairs


def test_namesakes_born_on_different_days_are_not_linked():
    people = [
        Identity("dalo", "1", "MARTIN", "Jean", birth_date=D(1980, 1, 1), postcode="72000"),
        Identity("demande", "2", "MARTIN", "Jean", birth_date=D(1956, 9, 23), postcode="72300"),
    ]
    assert _pairs(people) == {}


def test_same_name_without_birth_date_goes_to_review_not_accepted():
    people = [
        Identity("dalo", "1", "GUERIN", "Nadia", birth_date=D(1980, 1, 1), postcode="72000"),
        Identity("demande", "2", "GUERIN", "Nadia", postcode="72000"),
    ]
    pair = _pairs(people)[("dalo:1", "demande:2")]
    assert pair.status == "review"


def test_a_record_keeps_one_counterpart_per_file():
    people = [
        Identity("dalo", "1", "NOEL", "Eric", birth_date=D(1975, 3, 12), postcode="72000"),
        Identity("demande", "2", "NOEL", "Eric", birth_date=D(1975, 3, 12), postcode="72000"),
        Identity("demande", "3", "NOEL", "Eric", birth_date=D(1975, 12, 3), postcode="72100"),
    ]
    assert set(_pairs(people)) == {("dalo:1", "demande:2")}


def test_records_of_one_file_are_never_paired():
    people = [
        Identity("dalo", "1", "NOEL", "Eric", birth_date=D(1975, 3, 12)),
        Identity("dalo", "2", "NOEL", "Eric", birth_date=D(1975, 3, 12)),
    ]
    assert _pairs(people) == {}


def test_thresholds_sort_links():
    thresholds = Thresholds(lower=0.5, upper=0.9)
    assert thresholds.status(0.95) == "accepted"
    assert thresholds.status(0.7) == "review"
    assert thresholds.status(0.2) == "rejected"
    with pytest.raises(ValueError, match="seuil"):
        Thresholds(lower=0.9, upper=0.5)


def test_every_blocking_rule_pairs_two_attributes():
    # A rule on one attribute alone puts every Martin (or every 1er janvier) in one block.
    for rule in BLOCKING_RULES:
        sql = rule.sql()
        assert sql.count("=") + sql.count("IS NULL") >= 2, sql


def test_skewed_surname_does_not_explode_comparisons():
    # A third of each file is called Martin: blocking on the name alone would compare
    # 300 × 300 = 90 000 pairs; name with year or first name keeps it small.
    people = []
    for source in ("dalo", "demande"):
        for i in range(300):
            people.append(
                Identity(
                    source,
                    str(i),
                    "MARTIN",
                    f"Prenom{i}",
                    birth_date=D(1940 + i % 60, 1 + i % 12, 1 + i % 28),
                    postcode=f"72{i % 90:03d}",
                )
            )
    result = link_identities(people)
    assert result.candidate_pairs < 3_000
    assert len(result.pairs) == 300


def _ranked_people():
    # Namesakes and near-namesakes: several candidates per record, so that the one-to-one step
    # has choices to make.
    people = []
    for source in ("dalo", "demande"):
        for i in range(40):
            people.append(
                Identity(
                    source,
                    str(i),
                    ("MARTIN", "MARTINS", "BERNARD")[i % 3],
                    ("Jean", "Jeanne")[i % 2],
                    birth_date=D(1970 + i % 4, 1 + i % 12, 1 + (i if source == "dalo" else i + i % 5) % 28),
                    postcode="72000",
                )
            )
    return people


def test_pairs_read_in_batches_are_the_pairs_read_at_once(monkeypatch):
    at_once = link_identities(_ranked_people()).pairs
    monkeypatch.setattr(engine, "FETCH_BATCH", 3)
    in_batches = link_identities(_ranked_people()).pairs
    assert len(at_once) > 3 * 2
    assert in_batches == at_once


def test_duckdb_gets_its_share_of_the_memory_limit_and_a_temporary_directory_removed_after():
    db_api = engine._duckdb_api("2GB")
    connection = db_api._con
    setting = connection.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    connection.execute("SET memory_limit = '1400MB'")
    assert setting == connection.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    directory = Path(connection.execute("SELECT current_setting('temp_directory')").fetchone()[0])
    assert directory.is_dir()
    assert directory.resolve() != (Path.cwd() / ".tmp").resolve()
    del db_api, connection
    gc.collect()
    assert not directory.exists()


@pytest.mark.parametrize(("limit", "share"), [("2GB", "1400MB"), ("800 MB", "560MB"), ("1GiB", "751MB")])
def test_memory_limit_is_read_as_duckdb_reads_it(limit, share):
    assert engine.duckdb_memory_limit(limit) == share


def test_unreadable_memory_limit_says_how_to_write_it():
    with pytest.raises(ValueError, match="2GB"):
        engine.duckdb_memory_limit("deux gigas")
