"""Prints the load test's figures from locust's CSV: the login phase, then throughput,
p50/p95/p99 and errors per page with every user logged in, against the goal (0 errors,
p95 <= 500 ms for every page)."""

import csv
import json
import sys
from pathlib import Path

GOAL_P95_MS = 500


def main(stats_path, failures_path, logins_path):
    logins = Path(logins_path)
    if not logins.exists():
        print("Les utilisateurs ne se sont pas tous connectés : pas de mesure en régime établi.")
        sys.exit(1)
    print("Connexions (hachage PBKDF2 du mot de passe, coûteux à dessein ; hors objectif des pages) :")
    for name, row in json.loads(logins.read_text()).items():
        print(
            f"  {name:<36} {row['requests']:>6} requêtes, p50 {row['p50']:.0f} ms, p95 {row['p95']:.0f} ms, "
            f"p99 {row['p99']:.0f} ms, {row['failures']} erreur(s)"
        )
    print("Pages, tous les utilisateurs connectés :")
    with open(stats_path, newline="") as f:
        rows = list(csv.DictReader(f))
    print(f"{'page':<38} {'req':>6} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'err':>5}  p95 ≤ {GOAL_P95_MS} ms")
    for row in rows:
        if row["Request Count"] == "0":  # the login pages, counted in the phase before
            continue
        name = row["Name"] if row["Name"] != "Aggregated" else "TOTAL"
        p95 = float(row["95%"] or 0)
        ok = ("oui" if p95 <= GOAL_P95_MS else "NON") if name != "TOTAL" else ""
        print(
            f"{name[:38]:<38} {row['Request Count']:>6} {float(row['Requests/s']):7.1f} "
            f"{row['50%']:>5}ms {row['95%']:>5}ms {row['99%']:>5}ms {row['Failure Count']:>5}  {ok}"
        )
    with open(failures_path, newline="") as f:
        for failure in csv.DictReader(f):
            print(f"erreur : {failure['Name']} — {failure['Error']} ({failure['Occurrences']} fois)")


if __name__ == "__main__":
    main(*sys.argv[1:4])
