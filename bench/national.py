"""Benchmark at national scale: several départements in one instance, and the cost of the
row-level security of the nominative tables (issue 14, toit.rowsecurity).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/toit_national .venv/bin/python bench/national.py --build

--build migrates the database and, if it holds no household yet, fills it set-based in SQL:
10 départements × --households households (100 000 by default: 1 000 000 households,
about 1.5 million members, 1 000 000 files, 1.5 million participations, 1.33 million events),
300 synthetic communes and five organisations per département (its préfecture, which takes
part in half the files, and four associations, each opening a quarter of them). The
procedure state columns of the files keep their defaults: the search does not read them. Use a
smaller --households while iterating; a database built at one size is reused as it is.

It then prints, in one run, for a département user (an association agent, and the
préfecture agent who reads twice as many files):

1. the household search page (/prevention/?q=…) p50/p95 through the whole Django stack, with
   row-level security on and off, requests interleaved (on, off, on, off…) so that the
   machine's noise falls on both alike, beside a bare Django view as in bench/eviction.py;
2. the search query alone (search_files, the ids of up to 501 matches) at the database,
   narrowed to the user's département and not narrowed, interleaved the same way;
3. the ratios on/off: the row-level security overhead.

Goal (issue « Eviction prevention »): search p95 <= 100 ms at 100 000 households per
département. Not a timed test: the machine is shared and noisy, read the ratios measured in
the same run. PostgreSQL only (row-level security does not exist on SQLite).
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

DEPARTMENTS = {
    "72": "Sarthe",
    "61": "Orne",
    "53": "Mayenne",
    "49": "Maine-et-Loire",
    "37": "Indre-et-Loire",
    "41": "Loir-et-Cher",
    "28": "Eure-et-Loir",
    "27": "Eure",
    "14": "Calvados",
    "50": "Manche",
}
COMMUNES = 300
ASSOCIATIONS = 4
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # toit.eviction.references


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def line(label, durations, baseline=None, goal=None):
    p50, p95 = percentile(durations, 0.5), percentile(durations, 0.95)
    text = f"{label:<44} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
    if baseline is not None:
        text += f"   (vue nue p95 {percentile(baseline, 0.95):5.1f} ms)"
    if goal is not None:
        text += f"   objectif p95 <= {goal} ms : {'atteint' if p95 <= goal else 'NON ATTEINT'}"
    print(text)
    return p95


def reference_sql(column):
    """A unique file reference (PX-XXXX-XXXX) from an integer column, in SQL."""
    digits = [f"substr('{ALPHABET}', (({column} / {30**i}) %% 30)::int + 1, 1)" for i in range(8)]
    return "'PX-' || " + " || ".join(digits[:4]) + " || '-' || " + " || ".join(digits[4:])


def build(households):
    from django.core.management import call_command
    from django.db import connection

    from toit.eviction.demo_names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, STREETS
    from toit.eviction.models import Household
    from toit.eviction.normalise import person_key

    call_command("migrate", verbosity=0)
    if Household.objects.exists():
        return
    start = time.perf_counter()
    first_names = MALE_FIRST_NAMES + FEMALE_FIRST_NAMES
    pairs = [(last, first, person_key(last, first)) for last in LAST_NAMES for first in first_names]
    with connection.cursor() as cursor:
        for code, name in DEPARTMENTS.items():
            cursor.execute(
                "INSERT INTO territory_department (code, name, region_code) VALUES (%s, %s, '') RETURNING id",
                [code, name],
            )
            department = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO territory_commune (insee_code, name, department_id, postcodes, population) "
                "SELECT %s || lpad(g::text, 3, '0'), 'Commune synthétique ' || %s || '-' || g, %s, '[]', 1000 "
                "FROM generate_series(1, %s) g",
                [code, code, department, COMMUNES],
            )
            organisations = [("PREF" + code, f"Préfecture ({name})", "etat", True)] + [
                (f"ASSO{code}-{k}", f"Association {k} ({name})", "association", False)
                for k in range(1, ASSOCIATIONS + 1)
            ]
            for org_code, org_name, kind, is_prefecture in organisations:
                cursor.execute(
                    "INSERT INTO organisations_organisation (code, name, kind, department_id, is_prefecture, "
                    "is_active, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, true, now(), now())",
                    [org_code, org_name, kind, department, is_prefecture],
                )
            params = {
                "department": department,
                "n": households,
                "streets": STREETS,
                "prefecture": "PREF" + code,
                "associations": [f"ASSO{code}-{k}" for k in range(1, ASSOCIATIONS + 1)],
            }
            # Households, then their files (one each) and members (a reference person, and a
            # spouse for one in two), drawn from the demo's common names.
            cursor.execute(
                "WITH communes AS (SELECT array_agg(id ORDER BY id) AS ids FROM territory_commune "
                "WHERE department_id = %(department)s) "
                "INSERT INTO eviction_household (street, address_complement, commune_id, address_key, sector, "
                "housing_benefit, third_party_payment, phone, email, is_synthetic, created_at, updated_at) "
                "SELECT (g %% 150 + 1) || ' ' || (%(streets)s::text[])[1 + g %% cardinality(%(streets)s::text[])], '', "
                "ids[1 + (g * 7919) %% cardinality(ids)], 'synthetique ' || g, 'parc_prive', '', false, '', '', true, "
                "now(), now() FROM communes, generate_series(1, %(n)s) g",
                params,
            )
            cursor.execute(
                "INSERT INTO eviction_preventionfile (reference, household_id, landlord_kind, opened_on, "
                "opened_by_id, created_at, updated_at, summons_answered, diagnosed_since_summons, "
                "requisition_decided, stage, cancellation_reason, department_id) "
                f"SELECT {reference_sql('h.id')}, h.id, '', date '2008-01-01' + (h.id %% 1800)::int, "
                "(SELECT id FROM organisations_organisation WHERE department_id = %(department)s "
                "AND code = (%(associations)s::text[])[1 + h.id %% 4]), now(), now(), false, false, false, "
                "'ouvert', '', c.department_id "
                "FROM eviction_household h JOIN territory_commune c ON c.id = h.commune_id "
                "WHERE c.department_id = %(department)s",
                params,
            )
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_names (n int, last text, first text, key text)",
        )
        cursor.executemany("INSERT INTO bench_names VALUES (%s, %s, %s, %s)", [(i, *p) for i, p in enumerate(pairs)])
        for relationship, share in (("reference", 1), ("conjoint", 2)):
            cursor.execute(
                "INSERT INTO eviction_householdmember (household_id, last_name, first_name, birth_name, birth_date, "
                "relationship, name_key, birth_name_key, department_id) "
                "SELECT h.id, b.last, b.first, '', date '1940-01-01' + (h.id %% 20000)::int, %s, b.key, '', "
                "c.department_id FROM eviction_household h JOIN bench_names b ON b.n = (h.id * 7907 + %s) %% %s "
                "JOIN territory_commune c ON c.id = h.commune_id "
                "WHERE h.id %% %s = 0",
                [relationship, share, len(pairs), share],
            )
        cursor.execute(
            "INSERT INTO eviction_fileparticipant (file_id, organisation_id, reason, since, statement, motive, "
            "file_opened_on, department_id) SELECT f.id, f.opened_by_id, 'ouverture', now(), '', '', f.opened_on, "
            "f.department_id "
            "FROM eviction_preventionfile f",
            [],
        )
        cursor.execute(
            "INSERT INTO eviction_fileparticipant (file_id, organisation_id, reason, since, statement, motive, "
            "file_opened_on, department_id) SELECT f.id, p.id, 'prefecture', now(), '', '', f.opened_on, "
            "f.department_id "
            "FROM eviction_preventionfile f "
            "JOIN organisations_organisation o ON o.id = f.opened_by_id "
            "JOIN organisations_organisation p ON p.department_id = o.department_id AND p.is_prefecture "
            "WHERE f.id %% 2 = 0",
            [],
        )
        for kind, days, share in (("commandement_payer", 10, 1), ("assignation", 70, 3)):
            cursor.execute(
                "INSERT INTO eviction_event (file_id, kind, date, judgment_outcome, note, truce_ground, "
                "settlement_mode, created_at, hearing_date) "
                "SELECT f.id, %s, f.opened_on + %s, '', '', '', '', now(), "
                "CASE WHEN %s = 'assignation' THEN f.opened_on + %s + 60 END FROM eviction_preventionfile f "
                "WHERE f.id %% %s = 0",
                [kind, days, kind, days, share],
            )
        cursor.execute("ANALYZE")
    print(f"Génération : {time.perf_counter() - start:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="store_true", help="migrer et remplir la base si elle est vide")
    parser.add_argument("--households", type=int, default=100_000, help="ménages par département")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--department", default="72", help="le département de l'utilisateur mesuré")
    parser.add_argument("--explain", action="store_true", help="afficher le plan de la requête de recherche")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log kept in memory
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.db import connection

    if connection.vendor != "postgresql":
        # `make bench` runs every script on the demo database: nothing to measure there.
        print("bench/national.py mesure la sécurité au niveau des lignes : PostgreSQL seulement (DATABASE_URL).")
        return
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import include, path

    from toit.eviction import access
    from toit.eviction.models import HouseholdMember, PreventionFile
    from toit.organisations.enums import Role
    from toit.organisations.models import Membership, Organisation
    from toit.rowsecurity import scope
    from toit.users.models import User
    from toit.www.eviction.search import COUNT_CAP, search_files

    if args.build:
        from django.db import transaction

        with transaction.atomic():  # all or nothing: a half-built database is never reused
            build(args.households)
        with connection.cursor() as cursor:
            # Outside the transaction (VACUUM cannot run in one): the visibility map too, so
            # that index-only scans read no table page, as autovacuum leaves a loaded database.
            cursor.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM territory_department")
        departments = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'eviction_household'")
        households = cursor.fetchone()[0]
    print(
        f"Base : {departments} départements, environ {households} ménages (sécurité au niveau des lignes : "
        f"rôle {settings.TOIT_ROW_SECURITY_ROLE})"
    )
    if not settings.TOIT_ROW_SECURITY:
        raise SystemExit("TOIT_ROW_SECURITY est désactivé : rien à comparer.")

    def bare(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return HttpResponse(str(cursor.fetchone()[0]))

    urls = types.ModuleType("bench_urls")
    urls.urlpatterns = [path("bench/bare/", bare), path("", include("config.urls"))]
    sys.modules["bench_urls"] = urls
    settings.ROOT_URLCONF = "bench_urls"

    rng = random.Random(14)
    code = args.department
    agents = [
        ("agent d'association", f"ASSO{code}-1", f"bench.{code}.association"),
        ("agent de préfecture", f"PREF{code}", f"bench.{code}.prefecture"),
    ]
    summary = []
    for label, org_code, username in agents:
        organisation = Organisation.objects.filter(code=org_code, department__code=code).first()
        if organisation is None:
            raise SystemExit(f"Pas d'organisation {org_code} : construisez la base avec --build.")
        user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@toit.invalid"})
        Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.AGENT})
        client = Client()
        client.force_login(user)
        visible = PreventionFile.objects.visible_to(user)
        names = list(
            HouseholdMember.objects.filter(household__files__in=visible.values("pk")[:5000]).values_list(
                "last_name", flat=True
            )
        )
        queries = [rng.choice(names)[: rng.randint(3, 8)] for _ in range(args.samples)]
        print(f"\n{label} (« {organisation} », département {code}) : {visible.count()} dossiers visibles")

        def get(url, client=client):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} a répondu {response.status_code}")

        # Whole stack: the same request with the setting on and off, alternately.
        get("/bench/bare/")
        get(f"/prevention/?q={queries[0]}")  # warm-up
        on, off, baseline = [], [], []
        for i, q in enumerate(queries):
            for enabled in (True, False) if i % 2 == 0 else (False, True):
                settings.TOIT_ROW_SECURITY = enabled
                start = time.perf_counter()
                get(f"/prevention/?q={q}")
                (on if enabled else off).append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            get("/bench/bare/")
            baseline.append((time.perf_counter() - start) * 1000)
        settings.TOIT_ROW_SECURITY = True
        page_on = line("  page de recherche, sécurité activée", on, baseline, goal=100)
        page_off = line("  page de recherche, sans la sécurité", off, baseline)

        # The search query alone, narrowed and not.
        ids = access.organisation_ids(user)

        def search(q, user=user, ids=ids):
            list(search_files(user, q, organisation_ids=ids).values_list("pk", flat=True)[: COUNT_CAP + 1])

        sql_on, sql_off = [], []
        for i, q in enumerate(queries):
            for narrowed in (True, False) if i % 2 == 0 else (False, True):
                with scope.restricted({code} if narrowed else None):
                    start = time.perf_counter()
                    search(q)
                    (sql_on if narrowed else sql_off).append((time.perf_counter() - start) * 1000)
        query_on = line("  requête de recherche seule, activée", sql_on)
        query_off = line("  requête de recherche seule, sans", sql_off)
        print(
            f"  surcoût de la sécurité au niveau des lignes (p95 activée / sans) : page {page_on / page_off:.2f}, "
            f"requête {query_on / query_off:.2f}"
        )
        summary.append((label, page_on, page_off, query_on, query_off))
        if args.explain:
            sql, params = (
                search_files(user, queries[0], organisation_ids=ids).values_list("pk", flat=True)[: COUNT_CAP + 1]
            ).query.sql_with_params()
            with scope.restricted({code}), connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
