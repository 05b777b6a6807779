"""Benchmark of the import of the social housing demand register's extract
(`demandes_logement_social`) into PostgreSQL, check included, against a raw COPY of the
same file into a bare table (issue 17: the national extract, a few million rows, must load
in minutes).

    .venv/bin/python bench/demands_import.py [--rows 1000000] [--database-url postgres://…]
    .venv/bin/python bench/demands_import.py --rows 20000 --row-by-row   # the path before

It reuses bench/imports.py's helpers: its own database (created and dropped), the Sarthe's
communes; then a council that imports, three social landlords, an agent, 10 000 demands
already held by another organisation (the register's former manager), and a synthetic CSV:
French dates, amounts with decimal commas and thin-space thousands separators, priority
grounds on one row in five, allocations (landlord by code or name, channel) on one in four,
1 % of broken rows (impossible date, allocation before filing, unknown ground, missing
name) and 0.1 % of numbers the former manager already holds in the département. It times
the check and the import as `toit_import --valid-only` runs them and prints rows/s, the
ratio to the COPY, the peak memory of this process and the load average.
--row-by-row runs the rows through record_demand one by one (TOIT_IMPORT_SET_BASED off, and
the rolled-back dry run at check time, as before the set-based path).
"""

import argparse
import csv
import datetime
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from imports import (  # noqa: E402
    FIRST_NAMES,
    LAST_NAMES,
    Timings,
    amount,
    drop_database,
    loadavg,
    raw_copy,
    set_up_database,
)

HEADER = [
    "Numéro unique", "Nom", "Prénom", "Nom de naissance", "Date de naissance", "Commune de résidence",
    "Taille du ménage", "Ressources mensuelles", "Date de dépôt", "Date de renouvellement", "Motifs de priorité",
    "Date d'attribution", "Bailleur attributaire", "Filière d'attribution", "Logement PLA-I",
]  # fmt: skip
GROUNDS = ["Sans logement", "Handicap", "Délai anormalement long", "Violences conjugales", "heberge", "expulsion"]
CHANNELS = ["Accord collectif départemental", "contingent", "Droit commun", "Relogement DALO", ""]
LANDLORDS = [("SARTHE-HABITAT", "Sarthe Habitat"), ("MANS-METROPOLE", "Le Mans Métropole Habitat"),
             ("PODELIHA", "Podeliha")]  # fmt: skip
EXISTING = 10_000


def french(day):
    return day.strftime("%d/%m/%Y")


def generate(path, rows, communes, seed=13):
    """The CSV; returns how many rows were broken on purpose and how many reuse a number
    held by another organisation."""
    rng = random.Random(seed)
    broken = taken = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for index in range(rows):
            filed = datetime.date(2004, 1, 1) + datetime.timedelta(days=rng.randrange(2900))
            number = f"072{filed.year % 100:02d}{index:08d}"
            if rng.random() < 0.001:
                number = f"072OLD{rng.randrange(EXISTING):07d}"  # already the former manager's
                taken += 1
            born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(22000))
            grounds = ""
            if rng.random() < 0.2:
                grounds = " ; ".join(rng.sample(GROUNDS, rng.choice((1, 1, 2))))
            allocated = landlord = channel = ""
            if rng.random() < 0.25:
                allocated = french(filed + datetime.timedelta(days=rng.randrange(30, 900)))
                code, name = rng.choice(LANDLORDS)
                landlord = code if rng.random() < 0.5 else name
                channel = rng.choice(CHANNELS)
            renewed = french(filed + datetime.timedelta(days=365)) if rng.random() < 0.4 else ""
            row = [
                number,
                f"{rng.choice(LAST_NAMES)}{'' if index % 3 else chr(65 + index % 26) * 2}",
                rng.choice(FIRST_NAMES),
                "",
                french(born) if rng.random() < 0.8 else born.isoformat(),
                rng.choice(communes),
                str(rng.randrange(1, 8)),
                amount(rng) if rng.random() < 0.9 else "",
                french(filed),
                renewed,
                grounds,
                allocated,
                landlord,
                channel,
                "oui" if allocated and rng.random() < 0.3 else "non",
            ]
            if rng.random() < 0.01:
                broken += 1
                spoil = rng.randrange(4)
                if spoil == 0:
                    row[8] = "31/02/2010"
                elif spoil == 1:  # caught by the model's rule, not by the cell
                    row[11], row[12], row[13] = french(filed - datetime.timedelta(days=40)), LANDLORDS[0][0], ""
                elif spoil == 2:
                    row[10] = "Trop loin du travail"
                else:
                    row[1] = ""
            writer.writerow(row)
    return broken, taken


def existing_demands(holder, communes, rng):
    """EXISTING demands of the département held by another organisation, in bulk."""
    from toit.priority_access.models import HousingDemand
    from toit.territory.models import Commune

    department = Commune.objects.get(pk=communes[0]).department_id
    HousingDemand.objects.bulk_create(
        [
            HousingDemand(
                department_id=department,
                holder=holder,
                number=f"072OLD{n:07d}",
                last_name="ANCIEN",
                first_name="Dossier",
                commune_id=rng.choice(communes),
                filed_on=datetime.date(2003, 1, 1),
            )
            for n in range(EXISTING)
        ],
        batch_size=5000,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "TOIT_BENCH_DEMANDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/toit_bench_demands"
        ),
    )
    parser.add_argument("--row-by-row", action="store_true", help="the path before: dry run and record_demand per row")
    parser.add_argument("--statements", action="store_true", help="print each SQL statement over 0.05 s")
    parser.add_argument("--keep", action="store_true", help="keep the database and the file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="toit-bench-demands-"))
    os.environ["TOIT_PRIVATE_MEDIA_ROOT"] = str(workdir / "private")
    set_up_database(args.database_url)
    from django.conf import settings
    from django.core.files import File

    settings.TOIT_PRIVATE_MEDIA_ROOT = workdir / "private"
    from tests.organisations.factories import OrganisationFactory, member_of
    from toit.imports import jobs
    from toit.imports.enums import Decision
    from toit.imports.runner import run_import, run_validation
    from toit.imports.sinks import SINKS
    from toit.organisations.enums import OrganisationKind
    from toit.priority_access.models import HousingDemand
    from toit.territory.models import Commune

    if args.row_by_row:
        settings.TOIT_IMPORT_SET_BASED = False
        SINKS["demandes"].dry_run = True  # the check as it was: every row applied, then rolled back
    rng = random.Random(1)
    commune_ids = list(Commune.objects.values_list("pk", flat=True))
    codes = list(Commune.objects.values_list("insee_code", flat=True))
    sarthe = Commune.objects.get(pk=commune_ids[0]).department
    council = OrganisationFactory(
        code="CG72", name="Conseil général", kind=OrganisationKind.LOCAL_AUTHORITY, department=sarthe
    )
    former = OrganisationFactory(code="AFFIL72", name="Ancien gestionnaire", department=sarthe)
    for code, name in LANDLORDS:
        OrganisationFactory(code=code, name=name, kind=OrganisationKind.SOCIAL_LANDLORD, department=sarthe)
    agent = member_of(council, username="bench")
    existing_demands(former, commune_ids, rng)

    path = workdir / "demandes.csv"
    start = time.perf_counter()
    broken, taken = generate(path, args.rows, codes)
    print(f"Fichier : {args.rows} lignes, {path.stat().st_size / 1e6:.1f} Mo, générées en "
          f"{time.perf_counter() - start:.1f} s ({broken} lignes abîmées exprès, {taken} numéros déjà tenus par "
          "une autre organisation)")  # fmt: skip
    setup_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Chemin : {'ligne à ligne (essai à blanc puis record_demand)' if args.row_by_row else 'ensembliste'}")
    load_before = loadavg()
    copy_seconds, copied = raw_copy(path, len(HEADER))
    print(f"COPY brut dans une table nue : {copy_seconds:.2f} s ({copied} lignes, "
          f"{copied / copy_seconds:,.0f} lignes/s)")  # fmt: skip

    with path.open("rb") as handle:
        job = jobs.create_job(agent, council, "demandes_logement_social", File(handle, name=path.name))
    timings = Timings(args.statements)
    start = time.perf_counter()
    with timings.phase("check"):
        job = run_validation(job.pk)
    checked = time.perf_counter() - start
    assert job.status == "verifie", (job.status, job.failure)
    jobs.record_decision(job, agent, Decision.VALID_ONLY)
    start = time.perf_counter()
    with timings.phase("import"):
        job = run_import(job.pk)
    imported = time.perf_counter() - start
    timings.show()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert job.status == "termine", job.failure
    assert HousingDemand.objects.filter(holder=council).count() == job.imported_rows
    total = checked + imported
    rate = job.total_rows / total
    print(f"Vérification : {checked:.2f} s — {job.total_rows} lignes, {job.valid_rows} valides, "
          f"{job.rejected_rows} en erreur ({job.error_count} erreurs)")  # fmt: skip
    print(f"Import (une transaction) : {imported:.2f} s — {job.imported_rows} demandes")
    print(f"Total : {total:.2f} s, soit {rate:,.0f} lignes/s ; COPY brut {copy_seconds:.2f} s ; "
          f"rapport {total / copy_seconds:.1f} ×")  # fmt: skip
    print(f"Extrapolé à 3 000 000 de lignes : {3_000_000 / rate / 60:.1f} min")
    print(f"Mémoire maximale : {peak:.0f} Mo ({setup_peak:.0f} Mo après la préparation)")
    print(f"Charge moyenne (1, 5, 15 min) : {load_before} au début, {loadavg()} à la fin")
    result = {
        "path": "row" if args.row_by_row else "set",
        "rows": job.total_rows,
        "valid": job.valid_rows,
        "imported": job.imported_rows,
        "rejected": job.rejected_rows,
        "check_seconds": checked,
        "import_seconds": imported,
        "rows_per_second": rate,
        "copy_seconds": copy_seconds,
        "peak_mb": peak,
        "load": os.getloadavg(),
    }
    print("RESULT " + json.dumps(result))
    if not args.keep:
        drop_database(args.database_url)
        path.unlink()


if __name__ == "__main__":
    main()
