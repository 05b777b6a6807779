"""Benchmark of the observatory on whatever data the database holds.

    DATABASE_URL=postgres://…/toit .venv/bin/python bench/observatory.py [--quarter 2010T3]

Without DATABASE_URL it uses the demo database (config.settings.dev, var/demo.sqlite3).
Fill a database first, e.g. for PostgreSQL:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/toit_bench
    export DJANGO_SETTINGS_MODULE=config.settings.dev
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py toit_territory load data/territory/cog-72.json
    .venv/bin/python manage.py toit_plan load plans/pdalpd-sarthe-2008-2012.yaml
    .venv/bin/python manage.py toit_demo
    # then the eviction demo generator, with its --scale option, for volume

It prints, in one run:
1. the baseline: a raw SQL `SELECT COUNT(*)` of the largest table the registered metrics'
   domains own (what reading the data once costs);
2. computing every computed indicator of the plan for one quarter and every territory
   (département, plan territories, EPCI, communes), with the number of queries, and its
   ratio to the baseline. When the plan declares no computed indicator yet, every
   registered metric stands in for one, with its default parameters (temporary indicators);
3. building the quarterly report and rendering its PDF and its XLSX.

Everything it writes (snapshots, temporary indicators) is rolled back: the database is
left as it was. Not a timed test: figures depend on the machine and the data.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


class Rollback(Exception):
    pass


def main():
    import django

    django.setup()
    from django.apps import apps
    from django.db import connection, transaction

    from toit.metrics.periods import Period
    from toit.metrics.registry import registry
    from toit.observatory import engine
    from toit.observatory.enums import ReportKind
    from toit.observatory.reports.build import build_report
    from toit.observatory.reports.pdf import render_pdf
    from toit.observatory.reports.xlsx import render_xlsx
    from toit.observatory.territories import all_territories
    from toit.plans.enums import IndicatorKind
    from toit.plans.models import Action, Indicator, Plan

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quarter", default="", help="trimestre calculé (défaut : le 3e trimestre du milieu du plan)")
    args = parser.parse_args()

    plan = Plan.objects.order_by("-first_year", "code").first()
    if plan is None:
        sys.exit("Aucun plan dans cette base : voir en tête de bench/observatory.py comment la remplir.")
    years = plan.period.years()
    quarter = Period.parse(args.quarter) if args.quarter else Period.quarter(years[len(years) // 2].start.year, 3)
    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']}) — plan {plan.code}, {quarter.label}")

    # 1. Baseline: one full scan of the largest table of the metrics' domains.
    domains = {metric.key.split(".", 1)[0] for metric in registry}
    tables = []
    for domain in sorted(domains):
        if apps.is_installed(f"toit.{domain}"):
            config = apps.get_app_config(domain)
            tables += [m._meta.db_table for m in config.get_models()]
    sizes = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # table names come from Django's own models
            sizes[table] = cursor.fetchone()[0]
    largest = max(sizes, key=sizes.get) if sizes else None
    baseline = None
    if largest:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            for _ in range(5):
                cursor.execute(f'SELECT COUNT(*) FROM "{largest}"')
                cursor.fetchone()
            baseline = (time.perf_counter() - started) / 5
        print(f"1. Référence : COUNT(*) de {largest} ({sizes[largest]:,} lignes) : {baseline * 1000:.2f} ms")
    else:
        print("1. Référence : aucune table de domaine à lire (aucune métrique enregistrée ?)")

    try:
        with transaction.atomic():
            indicators = list(Indicator.objects.filter(plan=plan, kind=IndicatorKind.COMPUTED))
            if not indicators:
                action = Action.objects.filter(plan=plan).first()
                usable = list(registry)  # parameters are optional: each metric has defaults
                for position, metric in enumerate(usable):
                    indicators.append(
                        Indicator.objects.create(
                            plan=plan,
                            action=action,
                            code=f"BENCH-{position}",
                            label=metric.label,
                            unit=metric.unit,
                            periodicity="quarter",
                            kind=IndicatorKind.COMPUTED,
                            metric_key=metric.key,
                        )
                    )
                stand_in = len(indicators)
                print(f"   (le plan ne déclare aucun indicateur calculé : {stand_in} métriques en tiennent lieu)")
            territories = all_territories(plan)
            cells = len(indicators) * len(territories)
            queries = []

            def count(execute, sql, params, many, context):
                queries.append(1)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                started = time.perf_counter()
                result = engine.compute(plan, periods=[quarter], territories=territories, indicators=indicators)
                elapsed = time.perf_counter() - started
            print(
                f"2. Calcul : {len(indicators)} indicateurs × {len(territories)} territoires = {cells} valeurs "
                f"en {elapsed:.2f} s ({elapsed / max(cells, 1) * 1000:.2f} ms par valeur, "
                f"{len(queries)} requêtes, {len(result.errors)} anomalie(s))"
            )
            grouped = sum(1 for i in indicators if hasattr(registry.get(i.metric_key).func, "by_commune"))
            print(f"   dont {grouped} métrique(s) calculée(s) en une requête groupée par commune")
            if baseline:
                ratio, per_cell = elapsed / baseline, elapsed / max(cells, 1) / baseline
                print(f"   rapport au COUNT(*) : {ratio:,.0f} × ; par valeur : {per_cell:.2f} ×")

            started = time.perf_counter()
            report = build_report(plan, ReportKind.QUARTERLY, quarter)
            built = time.perf_counter() - started
            started = time.perf_counter()
            pdf = render_pdf(report)
            pdf_time = time.perf_counter() - started
            started = time.perf_counter()
            xlsx = render_xlsx(report)
            xlsx_time = time.perf_counter() - started
            print(
                f"3. Rapport trimestriel : chiffres {built:.2f} s, PDF {pdf_time:.2f} s ({len(pdf) // 1024} Ko), "
                f"XLSX {xlsx_time:.2f} s ({len(xlsx) // 1024} Ko) ; total {built + pdf_time + xlsx_time:.2f} s"
            )
            raise Rollback
    except Rollback:
        print("Base laissée en l'état (tout a été annulé).")


if __name__ == "__main__":
    main()
