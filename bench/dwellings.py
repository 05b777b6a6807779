"""Benchmark of the dwelling register (sheets 2A-2C) at the scale of a large département.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/toit_bench_dwellings \\
        .venv/bin/python bench/dwellings.py --build --dwellings 100000

--build migrates the database and fills it if it holds no register: the Sarthe territory,
the plan, then the synthetic register of toit.dwellings.demo scaled to about --dwellings
dwellings (1 ≈ 356 dwellings over 2008-2012, so 100 000 ≈ scale 281). It then prints, in one
run:

1. the register's address search p50/p95 through the full Django stack (middleware,
   session, template, access log), for a member of the pôle reading the whole
   département, against a bare Django view (same stack, a one-row raw SQL count);
2. every 2A-2C indicator of the plan for every territory (département, plan territories,
   every EPCI and commune) of one year, through the observatory engine, against a raw SQL
   count of the register's cases as the baseline.

Not a timed test: the machine is shared and noisy, read the ratios. Figures measured, and
what was changed after them: docs/habitat-indigne-rules.md (« Mesures de performance »).
"""

import argparse
import os
import random
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("TOIT_REQUIRE_2FA", "false")

DWELLINGS_PER_SCALE = 356  # cases, twins and PST dwellings of toit.dwellings.demo at scale 1


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(func, runs):
    durations = []
    for argument in runs:
        start = time.perf_counter()
        func(argument)
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def report(label, durations, baseline):
    p50, p95 = percentile(durations, 0.5), percentile(durations, 0.95)
    b95 = percentile(baseline, 0.95)
    print(f"{label:<28} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   (bare view p95 {b95:5.1f} ms, ratio {p95 / b95:5.1f})")


def build(target):
    from django.core.management import call_command

    from toit.dwellings import demo
    from toit.dwellings.models import Dwelling
    from toit.plans.models import Plan

    call_command("migrate", verbosity=0)
    if not Plan.objects.exists():
        call_command("toit_territory", "load", str(ROOT / "data/territory/cog-72.json"), verbosity=0)
        call_command("toit_plan", "load", str(ROOT / "plans/pdalpd-sarthe-2008-2012.yaml"), verbosity=0)
    if not Dwelling.objects.exists():
        scale = target / DWELLINGS_PER_SCALE
        start = time.perf_counter()
        result = demo.generate(scale=scale, seed=72)
        print(f"Génération (scale {scale:.1f}) : {time.perf_counter() - start:.0f} s — {result.message}")
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="store_true", help="migrer et remplir la base si elle est vide")
    parser.add_argument("--dwellings", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--year", type=int, default=2010)
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import include, path

    from toit.dwellings.models import Case, Dwelling
    from toit.metrics.periods import Period
    from toit.observatory import engine
    from toit.observatory.territories import all_territories
    from toit.organisations.enums import Role
    from toit.organisations.models import Membership, Organisation
    from toit.plans.models import Indicator, Plan
    from toit.users.models import User

    if args.build:
        build(args.dwellings)
    print(f"Base : {connection.vendor} — {Dwelling.objects.count()} logements, {Case.objects.count()} dossiers")

    def bare(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return HttpResponse(str(cursor.fetchone()[0]))

    urls = types.ModuleType("bench_urls")
    urls.urlpatterns = [path("bench/bare/", bare), path("", include("config.urls"))]
    sys.modules["bench_urls"] = urls
    settings.ROOT_URLCONF = "bench_urls"

    organisation = Organisation.objects.get(
        code="DDE72", department__code="72"
    )  # a member of the pôle for the whole département
    user, _ = User.objects.get_or_create(username="bench.pole", defaults={"email": "bench@toit.invalid"})
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.AGENT})
    client = Client()
    client.force_login(user)

    rng = random.Random(72)
    streets = list(Dwelling.objects.values_list("street", "street_number")[:5000])
    queries = []
    for street, number in (rng.choice(streets) for _ in range(args.samples)):
        words = street.split()
        # What people type: the street's start, sometimes with its number, abbreviated.
        typed = " ".join(words[: rng.randint(2, len(words))]).replace("boulevard", "bd").replace("avenue", "av")
        queries.append(f"{number} {typed}" if rng.random() < 0.5 else typed)

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} a répondu {response.status_code}")

    get("/bench/bare/")
    baseline = timed(lambda _: get("/bench/bare/"), range(args.samples))
    report("recherche au registre", timed(lambda q: get(f"/habitat/?q={q}"), queries), baseline)
    dwelling_ids = list(Dwelling.objects.filter(cases__isnull=False).values_list("pk", flat=True)[:5000])
    pages = [rng.choice(dwelling_ids) for _ in range(args.samples)]
    report("page logement", timed(lambda pk: get(f"/habitat/logements/{pk}/"), pages), baseline)

    plan = Plan.objects.get(code="pdalpd-sarthe-2008-2012")
    indicators = list(
        Indicator.objects.filter(plan=plan, kind="computed", action__code__in=["2A", "2B", "2C"]).order_by("position")
    )
    territories = all_territories(plan)
    period = Period.year(args.year)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM dwellings_case WHERE opened_on BETWEEN %s AND %s", [period.start, period.end]
        )
        cursor.fetchone()
    raw = time.perf_counter() - start
    start = time.perf_counter()
    result = engine.compute(plan, periods=[period], territories=territories, indicators=indicators)
    metrics = time.perf_counter() - start
    print(
        f"{len(indicators)} indicateurs 2A-2C × {len(territories)} territoires, {period.label} : "
        f"{metrics * 1000:7.1f} ms, {result.count} valeurs, {len(result.errors)} erreur(s) "
        f"(comptage SQL brut des dossiers de l'année {raw * 1000:.1f} ms, ratio {metrics / raw:.0f})"
    )


if __name__ == "__main__":
    main()
