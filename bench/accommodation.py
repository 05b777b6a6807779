"""Benchmark of the 2D-2G indicators at the scale the issue asks for.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/toit_bench_acc
    .venv/bin/python bench/accommodation.py --build --scale 1

--build migrates the database, loads the Sarthe territory and plan if absent, then writes
synthetic structures and stays when there are none: --scale 1 is 500 structures and
1 000 000 stays (2000-2012); the default, 0.05, is 25 structures and 50 000 stays. Rows are
written set-wise (bulk_create in batches), not by the day-by-day demo generator.

It then prints, in one run:
1. the baseline: a raw SQL COUNT(*) of the stays, and a raw count of the stays of the year;
2. every 2D-2G indicator of the plan computed by the observatory engine for one year and
   every territory (département, plan territories, EPCI and communes), with the number of
   queries and the ratio to the baseline.

What the engine writes (snapshots) is rolled back. Not a timed test: read the ratios.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

STRUCTURES_AT_1 = 500
STAYS_AT_1 = 1_000_000
FIRST, LAST = datetime.date(2000, 1, 1), datetime.date(2012, 12, 31)
BATCH = 10_000


class Rollback(Exception):
    pass


def build(scale):
    from django.core.management import call_command
    from django.db import connection, transaction

    from toit.accommodation.enums import EntryOrigin, ExitDestination, FundingBasis, StructureKind
    from toit.accommodation.models import CapacityPeriod, Funding, Resident, Stay, Structure
    from toit.organisations.models import Organisation
    from toit.plans.models import Plan
    from toit.territory.models import Commune, Department

    call_command("migrate", verbosity=0)
    if not Plan.objects.filter(code="pdalpd-sarthe-2008-2012").exists():
        call_command("toit_territory", "load", str(ROOT / "data/territory/cog-72.json"), verbosity=0)
        call_command("toit_plan", "load", str(ROOT / "plans/pdalpd-sarthe-2008-2012.yaml"), verbosity=0)
    if Stay.objects.exists():
        return
    rng = random.Random(72)
    department = Department.objects.get(code="72")
    communes = list(Commune.objects.filter(department=department, population__gt=0).order_by("-population")[:120])
    manager, _ = Organisation.objects.get_or_create(
        code="BENCH-GESTION", defaults={"name": "Gestionnaire (banc d'essai)", "kind": "association"}
    )
    n_structures = max(1, round(STRUCTURES_AT_1 * scale))
    n_stays = max(1, round(STAYS_AT_1 * scale))
    kinds = list(StructureKind)
    start = time.perf_counter()
    with transaction.atomic():
        structures = Structure.objects.bulk_create(
            Structure(
                department=department,
                name=f"Structure {n + 1} (banc d'essai)",
                kind=kinds[n % len(kinds)],
                manager=manager,
                commune=communes[min(len(communes) - 1, int(rng.paretovariate(1.2)) - 1)],
                opened_on=FIRST + datetime.timedelta(days=rng.randint(0, 3000)),
                is_synthetic=True,
            )
            for n in range(n_structures)
        )
        capacities, fundings, places = [], [], {}
        for structure in structures:
            size = rng.randint(8, 60)
            change = structure.opened_on + datetime.timedelta(days=rng.randint(200, 2500))
            capacities.append(
                CapacityPeriod(structure=structure, valid_from=structure.opened_on, valid_until=change, places=size)
            )
            capacities.append(CapacityPeriod(structure=structure, valid_from=change, places=size + rng.randint(-3, 8)))
            fundings.append(
                Funding(
                    structure=structure, basis=FundingBasis.PER_PLACE_DAY, amount=16, valid_from=structure.opened_on
                )
            )
            places[structure.pk] = size
        CapacityPeriod.objects.bulk_create(capacities)
        Funding.objects.bulk_create(fundings)
        # Stays share the volume in proportion to the places; each place chains stays.
        total_places = sum(places.values())
        origins, destinations = list(EntryOrigin), list(ExitDestination)
        residents, stays = [], []
        for structure in structures:
            quota = round(n_stays * places[structure.pk] / total_places)
            span = (LAST - structure.opened_on).days
            mean = max(2, span * places[structure.pk] // max(1, quota))
            made = 0
            while made < quota:
                for _ in range(places[structure.pk]):
                    day = structure.opened_on + datetime.timedelta(days=rng.randint(0, span))
                    length = max(1, int(rng.expovariate(1 / mean)))
                    exit_on = day + datetime.timedelta(days=length)
                    resident = Resident(structure=structure, last_name="BANC", first_name=str(made), is_synthetic=True)
                    residents.append(resident)
                    stays.append(
                        Stay(
                            structure=structure,
                            resident=resident,
                            entry_on=day,
                            origin=rng.choice(origins),
                            exit_on=exit_on if exit_on <= LAST else None,
                            destination=rng.choice(destinations) if exit_on <= LAST else "",
                            is_synthetic=True,
                        )
                    )
                    made += 1
                    if made >= quota:
                        break
                if len(stays) >= BATCH:
                    _flush(Resident, Stay, residents, stays)
        _flush(Resident, Stay, residents, stays)
    print(
        f"Génération : {n_structures} structures, {Stay.objects.count()} séjours en {time.perf_counter() - start:.0f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _flush(Resident, Stay, residents, stays):
    Resident.objects.bulk_create(residents, batch_size=BATCH)
    for stay in stays:
        stay.resident_id = stay.resident.pk
    Stay.objects.bulk_create(stays, batch_size=BATCH)
    residents.clear()
    stays.clear()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="store_true", help="migrer et remplir la base si elle est vide")
    parser.add_argument("--scale", type=float, default=0.05, help="1 = 500 structures et 1 000 000 séjours")
    parser.add_argument("--year", type=int, default=2010)
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from toit.accommodation.models import Stay, Structure
    from toit.metrics.periods import Period
    from toit.observatory import engine
    from toit.observatory.territories import all_territories
    from toit.plans.models import Indicator, Plan

    if args.build:
        build(args.scale)
    plan = Plan.objects.get(code="pdalpd-sarthe-2008-2012")
    period = Period.year(args.year)
    print(f"Base : {connection.vendor} — {Structure.objects.count()} structures, {Stay.objects.count()} séjours")

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM accommodation_stay")
        cursor.fetchone()
    raw_all = time.perf_counter() - start
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM accommodation_stay WHERE entry_on <= %s AND (exit_on IS NULL OR exit_on > %s)",
            [period.end, period.start],
        )
        year_stays = cursor.fetchone()[0]
    raw_year = time.perf_counter() - start
    print(
        f"Référence : COUNT(*) des séjours {raw_all * 1000:.1f} ms ; "
        f"séjours présents en {args.year} ({year_stays}) {raw_year * 1000:.1f} ms"
    )

    indicators = list(
        Indicator.objects.filter(plan=plan, kind="computed", metric_key__startswith="accommodation.").order_by(
            "position"
        )
    )
    territories = all_territories(plan)

    # The metrics alone: each indicator's grouped query (every commune at once, summed along
    # the territory tree by the engine), or one call per territory for a metric without one.
    from toit.metrics.registry import registry

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as metric_queries:
        for indicator in indicators:
            metric = registry.get(indicator.metric_key)
            parts = getattr(metric.func, "by_commune_parts", None)
            grouped = getattr(metric.func, "by_commune", None)
            if parts:
                parts(period, plan.department_code, **indicator.metric_params)
            elif grouped:
                grouped(period, plan.department_code, **indicator.metric_params)
            else:
                for territory in territories:
                    metric.compute(period, territory.scope, **indicator.metric_params)
    metrics_only = time.perf_counter() - start
    print(
        f"Métriques seules (requêtes groupées par commune) : {metrics_only:.2f} s, {len(metric_queries)} requêtes "
        f"(ratio au comptage brut des séjours de l'année : {metrics_only / raw_year:.0f})"
    )
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = engine.compute(plan, periods=[period], territories=territories, indicators=indicators)
            elapsed = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    if result.errors:
        print("Erreurs :", *result.errors[:5], sep="\n  ")
    print(
        f"{len(indicators)} indicateurs 2D-2G × {len(territories)} territoires, année {args.year} : "
        f"{elapsed:.2f} s, {len(queries)} requêtes, {result.count} valeurs enregistrées par le moteur de "
        f"l'observatoire (ratio au comptage brut des séjours de l'année : {elapsed / raw_year:.0f})"
    )
    by_metric = {}
    for snapshot in result.snapshots:
        if snapshot.territory_kind == "departement":
            by_metric[snapshot.indicator.code] = snapshot.value
    print("Département :", ", ".join(f"{code} = {value}" for code, value in by_metric.items()))


if __name__ == "__main__":
    main()
