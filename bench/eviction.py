"""Benchmark of eviction prevention at the scale of a large département.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/toit_bench .venv/bin/python bench/eviction.py --build --scale 22

--build migrates the database and fills it if it holds no eviction data: the Sarthe
territory, the plan, then the synthetic département of toit.eviction.demo at --scale
(1 ≈ 4 500 households and 14 000 events over 2008-2012; 22 ≈ 100 000 households;
about 73 for 1 000 000 events). It then prints, in one run:

1. household search p50/p95 through the full Django stack (middleware, session, template),
   for the agent of the organisation taking part in most files and for a préfecture agent
   (who sees the most files), against a bare Django view (same stack, a one-row raw SQL
   count) as the baseline; then the search page without a name (the agent's files, most
   recent first), held to the search's goal;
2. the file page p50/p95, same baseline;
3. the work queues page and the landing page (which counts the same queues, held to their
   goal) p50/p95 for the same two agents, same baseline;
4. every 1A-1F metric the plan computes, for one quarter, département-wide, against a raw
   SQL count of that quarter's events as the baseline; and repayment_plans_respected alone.

--replicate N (with --build) then multiplies the generated data N times in SQL
(toit.eviction.demo_replicate: INSERT … SELECT with id offsets, new file references, the
procedure state columns copied with the events they derive from), then VACUUM ANALYZE:
`--build --scale 22 --replicate 10` gives 996 920 households, 3 million events and 2.5 million
members, the same population drawn ten times (same names, addresses and dates: a common
prefix matches ten times more people). On a copy of a scale-22 database the ten copies took
660 s, 2-core machine shared with other jobs (load 6 to 8); from an empty database add the
generation (762 s at scale 22). A database already copied is used as it is. `manage.py
toit_procedure_state check` on the copied million found no difference (4 min 51 s).

Goals (issues « Eviction prevention » and 17), p95: search <= 100 ms, file page <= 100 ms,
work queues <= 150 ms, all metrics of a quarter <= 1 s at 100 000 households (--scale 22);
at 1 000 000 households search <= 150 ms, work queues <= 250 ms, metrics <= 5 s, file page
unchanged. The run applies those of the household count it finds (1 000 000 from 500 000 on).
Not a timed test: the machine is shared and noisy, read the ratios to the baseline measured in
the same run.

Measured on 6 December 2026 (--samples 60 --queue-samples 40), 2-core machine shared with
other jobs, « before » the code of issue 17's fix and « after » it, on the same database:
p50 / p95 in ms, and in brackets the p95's ratio to the bare view's p95 of the same run.

===============================  ===========================  ===========================
99 692 households                before (load 5)              after (load 1 to 3)
===============================  ===========================  ===========================
bare view p95                    12.3                         7.2
work queues, CAF agent           504 / 603 (49)               159 / 176 (24)
work queues, préfecture          572 / 761 (62)               137 / 167 (23)
search, CAF agent / préfecture   278 / 388 ; 216 / 325        163 / 230 ; 152 / 202
file page, CAF / préfecture      178 / 228 ; 192 / 260        103 / 128 ; 134 / 150
18 metrics 1A-1F, 2010T3         314                          252
===============================  ===========================  ===========================

===============================  ===========================  ===========================
996 920 households (×10)         before (load 6 to 7)         after (load 4 to 2)
===============================  ===========================  ===========================
bare view p95                    34.8                         3.9
work queues, CAF agent           1 796 / 2 099 (60)           148 / 166 (43)
work queues, préfecture          2 802 / 3 236 (93)           88 / 99 (25)
search, CAF agent                1 462 / 2 481 (71)           414 / 782 (201)
search, préfecture               1 608 / 3 023 (87)           406 / 734 (189)
file page, CAF / préfecture      804 / 1 101 ; 426 / 513      66 / 70 ; 65 / 69
18 metrics 1A-1F, 2010T3         2 263 (36 × the raw count)   928 (45 × the raw count)
===============================  ===========================  ===========================

At 1 000 000 households the work queues (goal 250 ms), the metrics (5 s) and the file page
(100 ms) hold their goals; the search does not (150 ms). At 100 000 the work queues are at
the goal of 150 ms give or take the load, the metrics well within 1 s; the search and the file
page stay above 100 ms (issue 17 did not change them: before and after differ by the load).
Nor did it change the file page and the metrics at 1 000 000: the « before » run's bare view
was nine times slower.

Then the files carrying their département (rowsecurity/0003: the files' policy, and that of
every table going through a file, no longer goes through the household and its commune).
Measured on 6 December 2026 (evening), same database, the old and the new policy applied in
turn; one run each (--samples 60 --queue-samples 40), load 1.7 to 2.4; p50 / p95 in ms:

===============================  ===========================  ===========================
99 692 households                before (policy by household) after (policy by column)
===============================  ===========================  ===========================
bare view p95                    2.8                          3.9
work queues, CAF agent           100 / 109 (40)               101 / 116 (30)
work queues, préfecture          75 / 100 (36)                68 / 90 (23)
landing page, CAF / préfecture   246 / 251 ; 89 / 95          192 / 214 ; 86 / 89
search, CAF agent / préfecture   47 / 59 ; 48 / 60            52 / 84 ; 48 / 69
file page, CAF / préfecture      52 / 57 ; 53 / 61            57 / 65 ; 57 / 64
===============================  ===========================  ===========================

One run is at the mercy of the load: four alternated rounds, page and SQL time apart, are in
docs/security.md (queues SQL p50 80 -> 47 ms for the CAF, 46 -> 29 ms for the préfecture;
landing page 350 -> 172 ms and 84 -> 59 ms).
At 996 920 households (--replicate 10, --samples 30 --queue-samples 10, load 3 to 4), before
/ after: work queues 335 / 369 -> 524 / 600 (CAF) and 106 / 167 -> 121 / 136 (préfecture),
landing page 2 165 / 2 317 -> 2 573 / 3 066 and 1 228 / 1 352 -> 1 032 / 1 182, search p95
631 -> 608 and 621 -> 737, with a bare view at 3.0 then 10.6 ms: the load, not the policy
(nothing was hashed at that size; the alternated rounds of docs/security.md find the SQL of
the CAF's queues 457 -> 412 ms and of its landing page 3 522 -> 2 534 ms). The CAF's queue page
is over its goal of 250 ms for the reports queue: report_org_date_idx reads its 275 581
reports to find the 151 without a file (355 ms).

The work queues read the ids of a queue first, 101 at most (« plus de 100 »), then the 25
rows shown by id: an exact count read every stale assignation (thousands at a million
households); up to about 250 000 households PostgreSQL hashed every household to check the
files' row-level security of a queue it expected long (then kept from it by a small work_mem
for the ids; since the files carry their département, rowsecurity/0003, nothing is left to
hash there and the queues run without it: docs/security.md); the plans queue read every plan
broken before today first (toit.eviction.models.repayment.in_breaking_order).

Then (same evening) a broad name walked through the files in date order
(toit.www.eviction.search.BroadMatches), the landing page's queue counts with the ids resolved
once and a partial index of the reports to match (eviction/0022). One run each, p50 / p95 in
ms, load 0.9 (100 000) and 1.2 to 1.5 (1 000 000; search from a script, 40 names):

===============================  ===========================  ===========================
                                 99 692 households            996 920 households
===============================  ===========================  ===========================
bare view p95                    3.6                          —
search, CAF agent / préfecture   59 / 101 ; 68 / 96           85 / 131 ; 93 / 247
search without a name (préf.)    52 / 70                      54 to 71 (3 reads)
work queues, CAF / préfecture    121 / 154 ; 100 / 132        116 to 127 ; 87 to 122 (3 reads)
landing page, CAF / préfecture   98 / 125 ; 52 / 68           395 to 413 ; 52 to 53 (3 reads)
file page, CAF / préfecture      72 / 95 ; 85 / 105           —
18 metrics 1A-1F, 2010T3         167                          —
===============================  ===========================  ===========================

Before those changes at 1 000 000: search p95 472-724 ms, search without a name 2.2 s, the
CAF's queue page 430-570 ms (its reports to match read all 275 581 of its reports), landing
page 1.3 to 4.5 s. Left above the goal:
- the search at 1 000 000 for the préfecture: a name shared by 25 000 members (every name of
  this tenfold copy) read cold; the walk costs about 20 / (share of visible files that match)
  files;
- the CAF's landing page at 1 000 000: its recent files are found among the newest events, of
  which the last 105 000 touch 200 of its files in this copied database (a « last activity »
  column on the file would make it an index read);
- the file page at 100 000 (about 30 queries, each planned through the row-level security
  subqueries: its cost does not follow the size of the database).
Within the goal but still reading more than it shows: the queue of an organisation taking
part in few of the queue's files (the CAF: 1 % of the réquisitions) reads about 8 000 of them
to find its 101 (80 ms at 1 000 000).
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


def report(label, durations, baseline, goal=None):
    p50, p95 = percentile(durations, 0.5), percentile(durations, 0.95)
    b95 = percentile(baseline, 0.95)
    verdict = "" if goal is None else f"   objectif p95 <= {goal} ms : {'atteint' if p95 <= goal else 'NON ATTEINT'}"
    print(
        f"{label:<36} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
        f"(vue nue p95 {b95:5.1f} ms, ratio {p95 / b95:5.1f}){verdict}"
    )


# Goals (issues « Eviction prevention » and 17), in ms, by the size of the database: those of
# 1 000 000 households apply from 500 000 on.
GOALS = {
    100_000: {"search": 100, "file": 100, "queues": 150, "metrics": 1000},
    1_000_000: {"search": 150, "file": 100, "queues": 250, "metrics": 5000},
}
# Households per unit of --scale (the demo generator's volumes).
HOUSEHOLDS_PER_SCALE = 4500


def goals_for(households):
    return GOALS[1_000_000] if households >= 500_000 else GOALS[100_000]


def build(scale, replicate=1):
    from django.core.management import call_command

    from toit.eviction import demo
    from toit.eviction.models import Household
    from toit.plans.models import Plan

    call_command("migrate", verbosity=0)
    if not Plan.objects.exists():
        call_command("toit_territory", "load", str(ROOT / "data/territory/cog-72.json"), verbosity=0)
        call_command("toit_plan", "load", str(ROOT / "plans/pdalpd-sarthe-2008-2012.yaml"), verbosity=0)
    if not Household.objects.exists():
        start = time.perf_counter()
        result = demo.generate(scale=scale, seed=72)
        print(f"Génération (scale {scale}) : {time.perf_counter() - start:.0f} s — {result.message}")
        # Fresh statistics and visibility map (index-only scans read no table page), as
        # autovacuum would leave a production database after a bulk load.
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    if replicate > 1:
        # Copies already made (the generated set is about HOUSEHOLDS_PER_SCALE × scale).
        present = Household.objects.count() / (HOUSEHOLDS_PER_SCALE * scale)
        if present >= 1.5:
            print(f"Copies déjà faites : {Household.objects.count()} ménages (×{present:.1f}), pas de nouvelle copie.")
            return
        from django.db import connection

        from toit.eviction.demo_replicate import replicate as copy

        start = time.perf_counter()
        households = copy(
            replicate, progress=lambda k, seconds: print(f"  copie {k}/{replicate - 1} : {seconds:.0f} s", flush=True)
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(f"Copie ×{replicate} : {time.perf_counter() - start:.0f} s — {households} ménages")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="store_true", help="migrer et remplir la base si elle est vide")
    parser.add_argument("--scale", type=float, default=22.0)
    parser.add_argument(
        "--replicate",
        type=int,
        default=1,
        help="avec --build, multiplier en SQL les données générées (10 : environ 1 000 000 de ménages)",
    )
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--queue-samples", type=int, default=40, help="requêtes de la page des files de travail")
    parser.add_argument(
        "--only-queues", action="store_true", help="ne mesurer que les files de travail et la page d'accueil"
    )
    parser.add_argument("--quarter", default="2010T3")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log kept in memory
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.db import connection
    from django.db.models import Count
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import include, path

    from toit.eviction.models import Event, FileParticipant, Household, HouseholdMember, PreventionFile
    from toit.metrics.periods import Period
    from toit.metrics.registry import registry
    from toit.organisations.enums import Role
    from toit.organisations.models import Membership, Organisation
    from toit.plans.models import Indicator, Plan
    from toit.users.models import User

    if args.build:
        build(args.scale, args.replicate)
    households = Household.objects.count()
    goal = goals_for(households)
    print(f"Base : {connection.vendor} — {households} ménages, {Event.objects.count()} événements")

    def bare(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return HttpResponse(str(cursor.fetchone()[0]))

    urls = types.ModuleType("bench_urls")
    urls.urlpatterns = [path("bench/bare/", bare), path("", include("config.urls"))]
    sys.modules["bench_urls"] = urls
    settings.ROOT_URLCONF = "bench_urls"

    # The organisation taking part in most files, as a busy agent would see it, and the
    # préfecture, which joins every file from the assignation on.
    top = (
        FileParticipant.objects.exclude(organisation__is_prefecture=True)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    agents = [("agent départemental", Organisation.objects.get(pk=top["organisation"]), "bench.agent")]
    prefecture = Organisation.objects.prefecture_of("72")
    if prefecture is not None:
        agents.append(("préfecture", prefecture, "bench.prefecture"))
    rng = random.Random(72)
    baseline = None
    for label, organisation, username in agents:
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@toit.invalid"})
        Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.AGENT})
        Membership.objects.filter(user=user).exclude(organisation=organisation).delete()  # this one only
        client = Client()
        client.force_login(user)
        visible = PreventionFile.objects.visible_to(user)
        print(f"{label} (« {organisation} ») : {visible.count()} dossiers visibles")
        names = list(
            HouseholdMember.objects.filter(household__files__in=visible).values_list("last_name", flat=True)[:5000]
        )
        references = list(visible.values_list("reference", flat=True)[:5000])
        queries = [rng.choice(names)[: rng.randint(3, 8)] for _ in range(args.samples)]
        pages = [rng.choice(references) for _ in range(args.samples)]

        def get(url, client=client):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} a répondu {response.status_code}")

        get("/bench/bare/")  # warm-up
        if baseline is None:
            baseline = timed(lambda _, get=get: get("/bench/bare/"), range(args.samples))
        samples = range(args.queue_samples)
        measured = [
            ("recherche de ménage", lambda q: f"/prevention/?q={q}", queries, "search"),
            # Pages every agent opens, with no goal of their own in the issues: the search
            # without a name (their files, the most recent first) is held to the search's;
            # the landing page, which counts the same queues and reads the recently active
            # files, to the queues'.
            ("recherche sans nom", lambda _: "/prevention/", samples, "search"),
            ("page dossier", lambda r: f"/prevention/dossiers/{r}/", pages, "file"),
            ("files de travail", lambda _: "/prevention/a-traiter/", samples, "queues"),
            ("page d'accueil", lambda _: "/", samples, "queues"),
        ]
        for title, url, runs, goal_key in measured:
            if args.only_queues and goal_key != "queues":
                continue
            durations = timed(lambda argument, get=get, url=url: get(url(argument)), runs)
            report(f"{title} ({label})", durations, baseline, goal=goal[goal_key])

    if args.only_queues:
        return
    plan = Plan.objects.get(code="pdalpd-sarthe-2008-2012")  # the plan the bench database is built with
    period = Period.parse(args.quarter)
    keys = sorted(
        {
            (i.metric_key, tuple(sorted(i.metric_params.items())))
            for i in Indicator.objects.filter(plan=plan, kind="computed", metric_key__startswith="eviction.")
        }
    )
    scope = plan.department_scope()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM eviction_event WHERE date BETWEEN %s AND %s", [period.start, period.end])
        cursor.fetchone()
    raw = time.perf_counter() - start
    start = time.perf_counter()
    slowest = []
    for key, params in keys:
        one = time.perf_counter()
        registry.get(key).compute(period, scope, **dict(params))
        slowest.append((time.perf_counter() - one, key))
    metrics = time.perf_counter() - start
    print(
        f"{len(keys)} métriques 1A-1F, {period.label} : {metrics * 1000:7.1f} ms "
        f"(comptage SQL brut des événements du trimestre {raw * 1000:.1f} ms, ratio {metrics / raw:.1f})"
        f"   objectif <= {goal['metrics']} ms : {'atteint' if metrics * 1000 <= goal['metrics'] else 'NON ATTEINT'}"
    )
    respected = sum(t for t, key in slowest if key == "eviction.repayment_plans_respected")
    print(f"  dont eviction.repayment_plans_respected : {respected * 1000:.1f} ms (ratio {respected / raw:.1f})")
    for duration, key in sorted(slowest, reverse=True)[:3]:
        print(f"  plus lente : {key} {duration * 1000:.1f} ms")


if __name__ == "__main__":
    main()
