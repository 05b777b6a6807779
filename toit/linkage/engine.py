"""The linkage engine: Splink's Fellegi-Sunter model over the French identity keys of
toit.linkage.identity, on DuckDB on one machine (SparkAPI past one machine, see
docs/linkage.md).

Two ways to get the model's parameters:
- `trained=False` (what Toit's pages use): the m and u probabilities below, set by hand
  and checked against the generated French set of bench/linkage.py, with a fixed prior
  (FIXED_PRIOR). A run over a few hundred partner records is too small for
  expectation-maximisation to learn anything stable, and the same input must give the
  same links every time.
- `trained=True` (the benchmark, large files): u by random sampling, m by EM on two
  blocking rules, starting from those values.

A person appears at most once in each partner's file, so a record keeps at most one
counterpart per other file: the pair both records rank first (« meilleur mutuel »).
"""

import datetime
import math
import time
from dataclasses import dataclass, field

import splink.comparison_level_library as cll
from splink import Linker, SettingsCreator, block_on
from splink.comparison_library import CustomComparison

from toit.linkage.identity import Identity

DEFAULT_MEMORY_LIMIT = "1GB"
# Probability that two records of two files are the same person before comparing them: about
# one in ten thousand, the size of a département's demand file.
FIXED_PRIOR = 1e-4


@dataclass(frozen=True)
class Thresholds:
    """Links at or above `upper` are accepted, below `lower` rejected, the band between
    goes to a person who sees both records (toit.linkage.review)."""

    # In match weights (log2 of the odds): about -1 and +10. Same name and first name with the
    # same postcode but no birth date scores about +9: a person looks at it.
    lower: float = 0.30
    upper: float = 0.999

    def __post_init__(self):
        if not 0 < self.lower <= self.upper < 1:
            raise ValueError("Les seuils doivent vérifier 0 < seuil bas ≤ seuil haut < 1.")

    def status(self, probability):
        if probability >= self.upper:
            return "accepted"
        if probability >= self.lower:
            return "review"
        return "rejected"


def _level(sql, label, m, u):
    return cll.CustomLevel(sql, label_for_charts=label, base_dialect_str="duckdb").configure(
        m_probability=m, u_probability=u
    )


def _null(*columns):
    sql = " OR ".join(f'"{c}_l" IS NULL OR "{c}_r" IS NULL' for c in columns)
    return cll.CustomLevel(sql, label_for_charts="absent", base_dialect_str="duckdb").configure(is_null_level=True)


def last_name_comparison():
    return CustomComparison(
        output_column_name="last_name",
        comparison_levels=[
            _null("last_key"),
            _level(
                '"last_key_l" = "last_key_r" OR "last_key_l" = "birth_key_r" OR "birth_key_l" = "last_key_r" '
                'OR "birth_key_l" = "birth_key_r"',
                "même nom (d'usage ou de naissance)",
                0.88,
                0.002,
            ),
            _level('"last_core_l" = "last_core_r"', "même nom sans particule", 0.02, 0.0005),
            _level(
                '"last_phon_l" = "last_phon_r" OR "last_phon_l" = "birth_phon_r" OR "birth_phon_l" = "last_phon_r"',
                "même son",
                0.04,
                0.004,
            ),
            cll.JaroWinklerLevel("last_key", 0.92).configure(m_probability=0.03, u_probability=0.005),
            _level('"last_key_l" = "first_key_r"', "nom et prénom inversés", 0.005, 0.0005),
            _level(
                "\"last_key_l\" LIKE '%' || \"last_core_r\" || '%' "
                "OR \"last_key_r\" LIKE '%' || \"last_core_l\" || '%'",
                "nom composé (l'un contient l'autre)",
                0.01,
                0.002,
            ),
            cll.ElseLevel().configure(m_probability=0.015, u_probability=0.986),
        ],
    )


def first_name_comparison():
    return CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            _null("first_key"),
            _level('"first_key_l" = "first_key_r"', "même prénom", 0.88, 0.005),
            _level('"first_head_l" = "first_head_r"', "même premier prénom", 0.03, 0.003),
            _level('"first_phon_l" = "first_phon_r"', "même son", 0.03, 0.006),
            cll.JaroWinklerLevel("first_key", 0.9).configure(m_probability=0.03, u_probability=0.01),
            _level('"first_key_l" = "last_key_r"', "prénom et nom inversés", 0.005, 0.0005),
            cll.ElseLevel().configure(m_probability=0.025, u_probability=0.975),
        ],
    )


def birth_date_comparison():
    return CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            _null("dob"),
            _level('"dob_l" = "dob_r"', "même date de naissance", 0.9, 0.0001),
            _level('"dob_l" = "dob_swapped_r"', "jour et mois inversés", 0.02, 0.00001),
            cll.DamerauLevenshteinLevel("dob", 1).configure(m_probability=0.05, u_probability=0.003),
            _level('"dob_year_l" = "dob_year_r"', "même année", 0.01, 0.012),
            cll.ElseLevel().configure(m_probability=0.02, u_probability=0.985),
        ],
    )


def _place_comparison(column, label, m_exact, u_exact):
    levels = [_null(column), _level(f'"{column}_l" = "{column}_r"', label, m_exact, u_exact)]
    if column != "postcode":
        levels.append(cll.JaroWinklerLevel(column, 0.9).configure(m_probability=0.1, u_probability=0.002))
    levels.append(cll.ElseLevel().configure(m_probability=1 - m_exact - 0.1, u_probability=1 - u_exact - 0.002))
    return CustomComparison(output_column_name=column, comparison_levels=levels)


# Every rule pairs two attributes, so that no common value makes a giant block (« tous les
# Martin ensemble »): a name with a year or a first name, a date with a place.
BLOCKING_RULES = (
    block_on("last_phon", "dob_year"),
    block_on("first_phon", "dob"),
    block_on("last_phon", "first_phon"),
    block_on("dob", "postcode"),
    block_on("street", "postcode"),
    block_on("dob", "commune"),
    block_on("street", "commune"),
    "l.last_key = r.first_key AND l.first_key = r.last_key",
    "l.dob = r.dob_swapped AND l.last_phon = r.last_phon",
    "l.birth_key = r.last_key AND l.first_phon = r.first_phon",
    "l.last_key = r.birth_key AND l.first_phon = r.first_phon",
)
TRAINING_RULES = (block_on("dob"), block_on("last_phon", "first_phon"))


def settings(link_type="link_only", *, prior=1e-4, with_address=False):
    comparisons = [last_name_comparison(), first_name_comparison(), birth_date_comparison()]
    comparisons.append(_place_comparison("postcode", "même code postal", 0.6, 0.01))
    if with_address:
        comparisons.append(_place_comparison("street", "même adresse", 0.6, 0.0005))
        comparisons.append(_place_comparison("commune", "même commune", 0.6, 0.01))
    return SettingsCreator(
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=list(BLOCKING_RULES),
        probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


@dataclass(frozen=True)
class ScoredPair:
    left: str
    right: str
    probability: float
    status: str


@dataclass
class LinkResult:
    pairs: list[ScoredPair]
    seconds: float
    candidate_pairs: int
    thresholds: Thresholds = field(default_factory=Thresholds)


def _duckdb_api(memory_limit):
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect()
    # DuckDB takes 80 % of RAM unless told otherwise, on a machine it shares.
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    connection.execute("SET threads = 2")
    return DuckDBAPI(connection=connection)


def link_tables(
    db_api,
    table_names,
    *,
    thresholds=None,
    trained=False,
    with_address=False,
    prior=None,
    one_to_one=True,
):
    """Link tables already in the backend (rows shaped like Identity.row()). Returns the
    pairs at or above the lower threshold."""
    thresholds = thresholds or Thresholds()
    started = time.perf_counter()
    inputs = [db_api.register(name, table_name=f"src_{i}") for i, name in enumerate(table_names)]
    if prior is None and not trained:
        prior = FIXED_PRIOR
    if prior is None:
        largest = max(_count(db_api, name) for name in table_names) or 1
        prior = min(0.5, 1 / largest)
    link_type = "link_only" if len(table_names) > 1 else "dedupe_only"
    linker = Linker(inputs, settings(link_type, prior=prior, with_address=with_address), log_level="ERROR")
    if trained:
        linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=1)
        for rule in TRAINING_RULES:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
    predictions = linker.inference.predict(threshold_match_probability=thresholds.lower)
    table = predictions.physical_name
    candidate_pairs = _scalar(db_api, f"SELECT count(*) FROM {table}")  # noqa: S608
    if one_to_one:
        sql = f"""
            WITH ranked AS (
                SELECT unique_id_l, unique_id_r, match_probability,
                    row_number() OVER (PARTITION BY source_dataset_l, unique_id_l, source_dataset_r
                                       ORDER BY match_weight DESC, unique_id_r) AS rank_l,
                    row_number() OVER (PARTITION BY source_dataset_r, unique_id_r, source_dataset_l
                                       ORDER BY match_weight DESC, unique_id_l) AS rank_r
                FROM {table})
            SELECT unique_id_l, unique_id_r, match_probability FROM ranked WHERE rank_l = 1 AND rank_r = 1
        """  # noqa: S608
    else:
        sql = f"SELECT unique_id_l, unique_id_r, match_probability FROM {table}"  # noqa: S608
    rows = _rows(db_api, sql)
    pairs = [ScoredPair(left, right, float(p), thresholds.status(float(p))) for left, right, p in rows]
    pairs.sort(key=lambda pair: (pair.left, pair.right))
    return LinkResult(pairs, time.perf_counter() - started, candidate_pairs, thresholds)


def _connection(db_api):
    return db_api._con


def _is_spark(db_api):
    return hasattr(db_api, "spark")


def _rows(db_api, sql):
    if _is_spark(db_api):
        return [tuple(row) for row in db_api.spark.sql(sql).collect()]
    # With DuckDB 2, read results fully when the connection is shared with Splink.
    return _connection(db_api).execute(sql).fetchall()


def _scalar(db_api, sql):
    return _rows(db_api, sql)[0][0]


def _count(db_api, name):
    return _scalar(db_api, f"SELECT count(*) FROM {name}")  # noqa: S608


ROW_COLUMNS = (
    "unique_id",
    "source_dataset",
    "last_key",
    "last_core",
    "last_phon",
    "birth_key",
    "birth_phon",
    "first_key",
    "first_head",
    "first_phon",
    "dob",
    "dob_swapped",
    "dob_year",
    "postcode",
    "commune",
    "street",
)


def load_rows(db_api, name, rows):
    """Create table `name` in the backend (DuckDB, or Spark: a temporary view) from
    Identity rows (dicts)."""
    if _is_spark(db_api):
        from pyspark.sql.types import IntegerType, StringType, StructField, StructType

        schema = StructType(
            [StructField(c, IntegerType() if c == "dob_year" else StringType(), True) for c in ROW_COLUMNS]
        )
        frame = db_api.spark.createDataFrame([tuple(row.get(c) for c in ROW_COLUMNS) for row in rows], schema)
        frame.createOrReplaceTempView(name)
        return
    connection = _connection(db_api)
    connection.execute(
        f"CREATE OR REPLACE TABLE {name} ("
        + ", ".join(f"{c} {'INTEGER' if c == 'dob_year' else 'VARCHAR'}" for c in ROW_COLUMNS)
        + ")"
    )
    batch = [tuple(row.get(c) for c in ROW_COLUMNS) for row in rows]
    if batch:
        connection.executemany(
            f"INSERT INTO {name} VALUES ({', '.join('?' for _ in ROW_COLUMNS)})",  # noqa: S608
            batch,
        )


def link_identities(identities, *, thresholds=None, memory_limit=DEFAULT_MEMORY_LIMIT):
    """Link partners' records (Identity, several sources) in a fresh in-memory DuckDB.
    Records of the same source are never paired with each other."""
    by_source = {}
    for identity in identities:
        by_source.setdefault(identity.source, []).append(identity.row())
    if len(by_source) < 2:
        return LinkResult([], 0.0, 0, thresholds or Thresholds())
    db_api = _duckdb_api(memory_limit)
    names = []
    for index, (_source, rows) in enumerate(sorted(by_source.items())):
        name = f"identities_{index}"
        load_rows(db_api, name, rows)
        names.append(name)
    return link_tables(db_api, names, thresholds=thresholds)


def probability_from_weight(weight):
    return 1 / (1 + math.pow(2, -weight))


__all__ = ["Identity", "LinkResult", "ScoredPair", "Thresholds", "datetime", "link_identities", "link_tables"]
