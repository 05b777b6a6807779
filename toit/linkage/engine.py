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
  blocking rules (TRAINING_RULES), starting from those values, floored at M_FLOOR.

Blocking: BLOCKING_RULES, each counted on the input first; the rules too costly for this
input are left out (affordable_rules).

Memory: `memory_limit` bounds the whole linking; DuckDB gets DUCKDB_SHARE of it and spills to
a temporary directory, the pairs are read back in batches.

A person appears at most once in each partner's file, so a record keeps at most one
counterpart per other file: the pair both records rank first (« meilleur mutuel »).
"""

import datetime
import math
import re
import shutil
import tempfile
import time
import weakref
from dataclasses import dataclass, field

import splink.comparison_level_library as cll
from splink import Linker, SettingsCreator
from splink.comparison_library import CustomComparison

from toit.linkage.identity import Identity

# The memory of the whole linking (DuckDB, and Python around it: interpreter, Splink, the
# pairs read back). DuckDB gets DUCKDB_SHARE of it and spills the rest to a temporary
# directory: at a million records its working set alone would fill the whole limit.
DEFAULT_MEMORY_LIMIT = "1GB"
DUCKDB_SHARE = 0.7
# Pairs are read back from DuckDB this many at a time, not all at once.
FETCH_BATCH = 100_000
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


def _jaro(column, threshold, m, u):
    return cll.JaroWinklerLevel(column, threshold).configure(m_probability=m, u_probability=u)


def last_name_comparison():
    return CustomComparison(
        output_column_name="last_name",
        comparison_levels=[
            _null("last_key"),
            _level(
                '"last_key_l" = "last_key_r" OR "last_key_l" = "birth_key_r" OR "birth_key_l" = "last_key_r" '
                'OR "birth_key_l" = "birth_key_r"',
                "même nom (d'usage ou de naissance)",
                0.86,
                0.002,
            ),
            _level('"last_core_l" = "last_core_r"', "même nom sans particule", 0.02, 0.0005),
            _level(
                '"last_phon_l" = "last_phon_r" OR "last_phon_l" = "birth_phon_r" OR "birth_phon_l" = "last_phon_r"',
                "même son",
                0.03,
                0.004,
            ),
            _jaro("last_key", 0.95, 0.03, 0.002),
            _level('"last_key_l" = "first_key_r"', "nom et prénom inversés", 0.005, 0.0005),
            _level(
                "\"last_key_l\" LIKE '%' || \"last_core_r\" || '%' "
                "OR \"last_key_r\" LIKE '%' || \"last_core_l\" || '%'",
                "nom composé (l'un contient l'autre)",
                0.01,
                0.002,
            ),
            _jaro("last_key", 0.85, 0.02, 0.01),
            cll.ElseLevel().configure(m_probability=0.015, u_probability=0.98),
        ],
    )


def first_name_comparison():
    return CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            _null("first_key"),
            _level('"first_key_l" = "first_key_r"', "même prénom", 0.86, 0.005),
            _level('"first_head_l" = "first_head_r"', "même premier prénom", 0.03, 0.003),
            _level('"first_phon_l" = "first_phon_r"', "même son", 0.03, 0.006),
            _jaro("first_key", 0.95, 0.03, 0.004),
            _level('"first_key_l" = "last_key_r"', "prénom et nom inversés", 0.005, 0.0005),
            _jaro("first_key", 0.85, 0.02, 0.02),
            cll.ElseLevel().configure(m_probability=0.025, u_probability=0.96),
        ],
    )


def birth_date_comparison():
    return CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            _null("dob"),
            _level('"dob_l" = "dob_r"', "même date de naissance", 0.9, 0.0001),
            _level('"dob_l" = "dob_swapped_r"', "jour et mois inversés", 0.02, 0.00001),
            cll.DamerauLevenshteinLevel("dob", 1).configure(m_probability=0.04, u_probability=0.003),
            cll.DamerauLevenshteinLevel("dob", 2).configure(m_probability=0.01, u_probability=0.03),
            _level('"dob_year_l" = "dob_year_r"', "même année", 0.01, 0.01),
            cll.ElseLevel().configure(m_probability=0.02, u_probability=0.957),
        ],
    )


def postcode_comparison():
    # A digit typed twice or two digits swapped (72100 / 72010) is one edit.
    return CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            _null("postcode"),
            _level('"postcode_l" = "postcode_r"', "même code postal", 0.6, 0.01),
            cll.DamerauLevenshteinLevel("postcode", 1).configure(m_probability=0.1, u_probability=0.05),
            cll.ElseLevel().configure(m_probability=0.3, u_probability=0.94),
        ],
    )


def _place_comparison(column, label, m_exact, u_exact):
    levels = [
        _null(column),
        _level(f'"{column}_l" = "{column}_r"', label, m_exact, u_exact),
        _jaro(column, 0.95, 0.1, 0.001),
        _jaro(column, 0.85, 0.05, 0.01),
    ]
    if column == "street":
        # « 9 » for « 9 rue Archdall »: the number alone still says something.
        levels.append(
            _level(
                "split_part(\"street_l\", ' ', 1) = split_part(\"street_r\", ' ', 1) "
                "AND substr(\"street_l\", 1, 1) BETWEEN '0' AND '9'",
                "même numéro",
                0.05,
                0.01,
            )
        )
    levels.append(cll.ElseLevel().configure(m_probability=1 - m_exact - 0.2, u_probability=1 - u_exact - 0.021))
    return CustomComparison(output_column_name=column, comparison_levels=levels)


# --- blocking ------------------------------------------------------------------------------
#
# A pair is only scored when some rule puts both records in one block. The union of the rules
# must find nearly every true pair, whatever two fields a partner got wrong: every rule asks
# two (or three) fields to agree, and each field has rules without it. A rule on common values
# (« tous les Martin ensemble ») is costly: before scoring, each rule's comparisons are
# counted and a rule above the budget (RULE_BUDGET_PER_RECORD comparisons per record, at least
# RULE_BUDGET_FLOOR) is left out. On a département's files they all run; on a million records
# of the same hundred names, the rules of a name alone and a place drop out, and the rules of
# three fields keep those pairs.


@dataclass(frozen=True)
class BlockingRule:
    """Equalities between a key of the left record and a key of the right one (the same column
    unless written "left=right"; "last_key:3" compares the first three letters), and
    optionally a record without birth date on one side ("l" or "r")."""

    keys: tuple
    no_birth_date: str = ""

    def _sides(self):
        for key in self.keys:
            left, _, right = key.partition("=")
            yield left, right or left

    @staticmethod
    def _expression(key, alias):
        column, _, length = key.partition(":")
        expr = f'{alias}."{column}"'
        return f"substr({expr}, 1, {length})" if length else expr

    def sql(self):
        parts = [f"{self._expression(a, 'l')} = {self._expression(b, 'r')}" for a, b in self._sides()]
        if self.no_birth_date:
            parts.append(f'{self.no_birth_date}."dob" IS NULL')
        return " AND ".join(parts) or "1 = 1"

    def count_sql(self, union_sql, link):
        """Comparisons the rule makes before deduplication, between records of different files
        (link) or of one file (dedupe): the sum, over key values, of the product of counts."""
        sides = []
        for index, alias in enumerate(("l", "r")):
            keys = [self._expression(pair[index], alias) for pair in self._sides()]
            where = " AND ".join(f"{k} IS NOT NULL" for k in keys)
            if self.no_birth_date == alias:
                where += f' AND {alias}."dob" IS NULL'
            columns = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
            sides.append(
                # The keys are this module's constants, never user input.
                f"SELECT source_dataset AS source, {columns}, count(*) AS n FROM ({union_sql}) AS {alias} "  # noqa: S608
                f"WHERE {where} GROUP BY ALL"
            )
        on = " AND ".join(f"a.k{i} = b.k{i}" for i in range(len(self.keys)))
        source = "a.source <> b.source" if link else "a.source = b.source"
        return (
            f"SELECT coalesce(sum(a.n * b.n), 0) FROM ({sides[0]}) AS a JOIN ({sides[1]}) AS b "  # noqa: S608
            f"ON {on} AND {source}"
        )


def _rule(*keys, no_birth_date=""):
    return BlockingRule(tuple(keys), no_birth_date)


# From the narrowest (best evidence) to the broadest. Fields: names (used, birth, phonetic,
# first letters), birth date (and day/month swapped), postcode, commune, street.
BLOCKING_RULES = (
    _rule("first_phon", "dob"),
    _rule("last_phon", "dob"),
    _rule("dob", "postcode"),
    _rule("last_phon", "first_phon", "dob_year"),
    _rule("last_phon", "first_phon", "postcode"),
    # No birth date on one side: the two names, or a first name and a place.
    _rule("last_phon", "first_phon", no_birth_date="l"),
    _rule("last_phon", "first_phon", no_birth_date="r"),
    _rule("first_phon", "postcode", no_birth_date="l"),
    _rule("first_phon", "postcode", no_birth_date="r"),
    _rule("last_phon", "postcode", no_birth_date="l"),
    _rule("last_phon", "postcode", no_birth_date="r"),
    # Day and month swapped.
    _rule("dob=dob_swapped", "last_phon"),
    _rule("dob=dob_swapped", "first_phon"),
    # First and last names typed in each other's box.
    _rule("last_key=first_key", "first_key=last_key", "dob_year"),
    _rule("last_key=first_key", "first_key=last_key", "postcode"),
    _rule("dob", "last_key=first_key"),
    _rule("dob", "first_key=last_key"),
    # Birth name in one file, used name in the other.
    _rule("birth_key=last_key", "first_phon", "dob_year"),
    _rule("last_key=birth_key", "first_phon", "dob_year"),
    _rule("birth_key=last_key", "dob"),
    _rule("last_key=birth_key", "dob"),
    # Address.
    _rule("street", "postcode"),
    _rule("street", "commune"),
    _rule("dob", "commune"),
    _rule("dob", "street"),
    _rule("last_key", "commune"),
    _rule("first_key", "commune"),
    _rule("last_key", "street"),
    _rule("first_key", "street"),
    _rule("last_key=first_key", "commune"),
    _rule("first_key=last_key", "commune"),
    _rule("last_key=first_key", "street"),
    _rule("first_key=last_key", "street"),
    _rule("postcode", "commune", no_birth_date="l"),
    _rule("postcode", "commune", no_birth_date="r"),
    # A name and a place, both names: costly where a few names are everyone's.
    _rule("last_phon", "postcode"),
    _rule("first_phon", "postcode"),
    _rule("last_key=first_key", "postcode"),
    _rule("first_key=last_key", "postcode"),
    _rule("last_phon", "first_phon"),
    # Every field mistyped somewhere: the first letters of the names and of the street, and a place.
    _rule("last_key:3", "postcode"),
    _rule("first_key:3", "postcode"),
    _rule("last_key:3", "first_key:3", "commune"),
    _rule("street:6", "postcode"),
    _rule("street:6", "commune"),
    _rule("dob", "street:6"),
    _rule("dob", "commune:3"),
    _rule("last_key=first_key", "street:6"),
    _rule("first_key=last_key", "street:6"),
    _rule("last_key:3", "street:6"),
    _rule("first_key", "last_key:3"),
    _rule("last_key", "first_key:3"),
    _rule("dob", "postcode:2"),
)
# Pairs that agree on these are mostly the same person: EM learns the other fields' m from
# them. Each rule leaves two fields at least to learn (a rule that fixes all fields but one
# teaches EM that the last one never differs). Past EM_PAIRS, a rule only reads a sample of
# the left records.
TRAINING_RULES = (_rule("dob", "postcode"), _rule("last_phon", "first_phon"))
EM_PAIRS = 3_000_000
# No level is impossible for a true pair: EM may find no match that differs on a field in its
# blocks, the next file will have one.
M_FLOOR = 0.002
RULE_BUDGET_PER_RECORD = 10
RULE_BUDGET_FLOOR = 1_000_000


# Below this many pairs, every pair is scored: planning the rules costs more than that.
ALL_PAIRS_UP_TO = 10_000
ALL_PAIRS = BlockingRule(())


def affordable_rules(db_api, table_names, rules=BLOCKING_RULES, link=True):
    """(kept rules, [(left-out rule, comparisons)]): the rules whose comparison count stays
    within the budget; every pair (ALL_PAIRS) when there are few."""
    sizes = [_count(db_api, name) for name in table_names]
    records = sum(sizes)
    every_pair = sum(a * b for i, a in enumerate(sizes) for b in sizes[i + 1 :]) if link else records * records
    if every_pair <= ALL_PAIRS_UP_TO:
        return [ALL_PAIRS], []
    budget = max(RULE_BUDGET_FLOOR, RULE_BUDGET_PER_RECORD * records)
    if every_pair <= budget:
        return list(rules), []  # no rule can exceed it: not worth counting
    union = " UNION ALL ".join(f"SELECT * FROM {name}" for name in table_names)  # noqa: S608
    kept, left_out = [], []
    for rule in rules:
        count = _scalar(db_api, rule.count_sql(union, link))
        (kept if count <= budget else left_out).append(rule if count <= budget else (rule, count))
    return kept, left_out


def settings(link_type="link_only", *, prior=1e-4, with_address=False, rules=BLOCKING_RULES):
    comparisons = [last_name_comparison(), first_name_comparison(), birth_date_comparison()]
    comparisons.append(postcode_comparison())
    if with_address:
        comparisons.append(_place_comparison("street", "même adresse", 0.6, 0.0005))
        comparisons.append(_place_comparison("commune", "même commune", 0.6, 0.01))
    return SettingsCreator(
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[rule.sql() for rule in rules],
        probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


@dataclass(frozen=True, slots=True)
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
    # Blocking rules left out as too costly on this input, with their comparison counts.
    left_out_rules: list = field(default_factory=list)


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?)B\s*", re.IGNORECASE)


def _megabytes(size):
    """« 2GB », « 1.5 GB », « 800MB », « 2GiB » -> megabytes, read as DuckDB reads them."""
    match = _SIZE.fullmatch(size)
    if not match:
        raise ValueError(f"Limite mémoire illisible : « {size} ». Écrivez par exemple « 2GB » ou « 800MB ».")
    number, unit, binary = match.groups()
    power = "KMGT".find(unit.upper()) + 1 if unit else 0
    return float(number) * (1024 if binary else 1000) ** power / 1e6


def duckdb_memory_limit(memory_limit):
    """DuckDB's share of the linking's memory limit, in whole megabytes."""
    return f"{max(1, int(_megabytes(memory_limit) * DUCKDB_SHARE))}MB"


def _close(connection, directory):
    connection.close()
    shutil.rmtree(directory, ignore_errors=True)


def _duckdb_api(memory_limit):
    """A fresh in-memory DuckDB for one linking of at most `memory_limit` in all (see
    DUCKDB_SHARE). What does not fit goes to a temporary directory, removed with the
    connection (DuckDB's default is « .tmp » in the current directory, left behind)."""
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect()
    # DuckDB takes 80 % of RAM unless told otherwise, on a machine it shares.
    connection.execute(f"SET memory_limit = '{duckdb_memory_limit(memory_limit)}'")
    connection.execute("SET threads = 2")
    directory = tempfile.mkdtemp(prefix="toit-linkage-")
    connection.execute("SET temp_directory = ?", [directory])
    db_api = DuckDBAPI(connection=connection)
    weakref.finalize(db_api, _close, connection, directory)
    return db_api


def _train(linker, db_api, table_names):
    """u by random sampling, m by EM on TRAINING_RULES, m floored at M_FLOOR."""
    linker.training.estimate_u_using_random_sampling(max_pairs=1_000_000, seed=1)
    union = " UNION ALL ".join(f"SELECT * FROM {name}" for name in table_names)  # noqa: S608
    for rule in TRAINING_RULES:
        sql = rule.sql()
        count = _scalar(db_api, rule.count_sql(union, len(table_names) > 1))
        if count > EM_PAIRS:
            sql += f" AND hash(l.unique_id) % {math.ceil(count / EM_PAIRS)} = 0"
        linker.training.estimate_parameters_using_expectation_maximisation(sql, estimate_without_term_frequencies=True)
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if not level.is_null_level and (level.m_probability or 0) < M_FLOOR:
                level.m_probability = M_FLOOR


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
    rules, left_out = affordable_rules(db_api, table_names, link=len(table_names) > 1)
    model = settings(link_type, prior=prior, with_address=with_address, rules=rules)
    # Validation parses every rule with sqlglot again: seconds for a handful of records.
    linker = Linker(inputs, model, log_level="ERROR", validate_settings=False)
    if trained:
        _train(linker, db_api, table_names)
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
    pairs = [
        ScoredPair(left, right, float(p), thresholds.status(float(p)))
        for batch in _batches(db_api, sql, predictions)
        for left, right, p in batch
    ]
    pairs.sort(key=lambda pair: (pair.left, pair.right))
    return LinkResult(pairs, time.perf_counter() - started, candidate_pairs, thresholds, left_out)


def _batches(db_api, sql, predictions):
    """The rows of `sql`, FETCH_BATCH at a time. On DuckDB the result is kept in a table first,
    and Splink's predictions dropped: a million pairs read at once into Python objects, beside
    DuckDB's tables, went past the memory limit."""
    if _is_spark(db_api):
        yield _rows(db_api, sql)
        return
    connection = _connection(db_api)
    connection.execute(f"CREATE OR REPLACE TEMPORARY TABLE toit_links AS {sql}")
    predictions.drop_table_from_database_and_remove_from_cache()
    cursor = connection.execute("SELECT * FROM toit_links")
    # Nothing else runs on the connection until the last batch: with DuckDB 2, a query on the
    # shared connection ends the result being read.
    while batch := cursor.fetchmany(FETCH_BATCH):
        yield batch
    connection.execute("DROP TABLE toit_links")


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
    types = {c: "INTEGER" if c == "dob_year" else "VARCHAR" for c in ROW_COLUMNS}
    connection.execute(f"CREATE OR REPLACE TABLE {name} (" + ", ".join(f"{c} {t}" for c, t in types.items()) + ")")
    append_rows(db_api, name, rows)


def append_rows(db_api, name, rows):
    """Append Identity rows to a DuckDB table made by load_rows. One list per column, unnested
    by DuckDB: row by row (executemany) takes minutes for a hundred thousand rows."""
    columns = [[row.get(c) for row in rows] for c in ROW_COLUMNS]
    if not rows:
        return
    types = [("INTEGER" if c == "dob_year" else "VARCHAR") + "[]" for c in ROW_COLUMNS]
    select = ", ".join(f"unnest(?::{t})" for t in types)
    _connection(db_api).execute(f"INSERT INTO {name} SELECT {select}", columns)


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
