import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from toit.metrics.periods import PeriodError
from toit.metrics.registry import MetricError
from toit.observatory import engine
from toit.observatory.models import ComputationRun
from toit.observatory.runs import execute_run
from toit.plans.models import Plan


def find_plan(code):
    """The plan named by --plan. Without it, the only plan loaded; with several, the command
    asks which one rather than taking the most recent (one instance serves successive plans
    and several départements, issue 14)."""
    plans = Plan.objects.order_by("department_code", "first_year", "code")
    known = ", ".join(plans.values_list("code", flat=True)) or "aucun"
    if code:
        plan = plans.filter(code=code).first()
        if plan is None:
            raise CommandError(f"Plan « {code} » introuvable (plans chargés : {known}).")
        return plan
    loaded = list(plans[:2])
    if not loaded:
        raise CommandError("Aucun plan chargé : lancez d'abord manage.py toit_plan load <fichier>.")
    if len(loaded) > 1:
        raise CommandError(f"Plusieurs plans sont chargés : précisez lequel avec --plan (plans chargés : {known}).")
    return loaded[0]


class Command(BaseCommand):
    help = "Observatoire : calcule les indicateurs du plan (instantanés datés) ou exporte les données ouvertes."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        compute = sub.add_parser("compute", help="Calcule les indicateurs calculés du plan.")
        compute.add_argument(
            "--period", default="", help="2010T3 (trimestre), 2010 (année) ou 2008-2012 ; par défaut toutes."
        )
        compute.add_argument("--all-territories", action="store_true", help="Aussi chaque EPCI et chaque commune.")
        compute.add_argument("--plan", default="", help="Code du plan (obligatoire si plusieurs plans sont chargés).")
        opendata = sub.add_parser("opendata", help="Écrit les données ouvertes (CSV + datapackage.json).")
        opendata.add_argument("--output", required=True, help="Dossier de destination.")
        opendata.add_argument("--plan", default="")

    def handle(self, *args, **options):
        plan = find_plan(options["plan"])
        if options["action"] == "compute":
            self.compute(plan, options)
        else:
            self.opendata(plan, Path(options["output"]))

    def compute(self, plan, options):
        if options["period"]:
            try:
                engine.parse_period(plan, options["period"])
            except (PeriodError, MetricError) as exc:
                raise CommandError(str(exc)) from None
        run = ComputationRun.objects.create(
            plan=plan,
            period_code=options["period"].strip(),
            all_territories=options["all_territories"],
            reason="manage.py toit_observatory compute",
        )
        started = time.perf_counter()

        def progress(number, total, indicator):
            self.stdout.write(f"  [{number}/{total}] {indicator.code} ({indicator.metric_key})")

        self.stdout.write(f"Calcul des indicateurs de « {plan.title} »…")
        run = execute_run(run.pk, progress=progress)
        for line in filter(None, run.errors.splitlines()):
            self.stderr.write(f"  ! {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.snapshot_count} valeur(s) enregistrée(s) en {time.perf_counter() - started:.1f} s "
                f"(calcul n° {run.pk})."
            )
        )

    def opendata(self, plan, output):
        from toit.observatory.opendata import write_package

        paths = write_package(plan, output)
        for path in paths:
            self.stdout.write(f"Écrit : {path}")
