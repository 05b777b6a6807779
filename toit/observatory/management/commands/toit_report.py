import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from toit.metrics.periods import Period, PeriodError
from toit.observatory import engine
from toit.observatory.enums import ReportKind
from toit.observatory.management.commands.toit_observatory import find_plan
from toit.observatory.reports.build import trend_periods
from toit.observatory.reports.publish import PublicationError, publish_report


class Command(BaseCommand):
    help = "Publie le rapport de suivi trimestriel (--quarter 2010T3) ou annuel (--year 2010) : PDF et XLSX figés."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--quarter", help="Trimestre, ex. 2010T3.")
        which.add_argument("--year", help="Année, ex. 2010.")
        parser.add_argument("--plan", default="", help="Code du plan (obligatoire si plusieurs plans sont chargés).")
        parser.add_argument("--user", default="", help="Identifiant de la personne qui publie (facultatif).")
        parser.add_argument(
            "--no-compute", action="store_true", help="Ne pas recalculer les indicateurs avant de publier."
        )

    def handle(self, *args, **options):
        plan = find_plan(options["plan"])
        kind = ReportKind.QUARTERLY if options["quarter"] else ReportKind.ANNUAL
        code = options["quarter"] or options["year"]
        try:
            period = Period.parse(code)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Utilisateur « {options['user']} » inconnu.")
        started = time.perf_counter()
        steps = 5 if not options["no_compute"] else 4
        counter = [0]

        def progress(message):
            counter[0] += 1
            self.stdout.write(f"[{counter[0]}/{steps}] {message}… ({time.perf_counter() - started:.1f} s)")

        if not options["no_compute"]:
            progress(f"Calcul des indicateurs pour {period.label.lower()}")
            if not plan.covers(period):
                raise CommandError(f"La période {period.code} est hors du plan ({plan.period.label}).")
            # The trend tables read the previous periods too.
            result = engine.compute(plan, periods=sorted({period, *trend_periods(kind, period, plan)}))
            for error in result.errors:
                self.stderr.write(f"  ! {error}")
        try:
            publication = publish_report(plan, kind, period, user=user, progress=progress)
        except (ValueError, PublicationError) as exc:
            raise CommandError(str(exc)) from None
        report = publication.report
        verb = "Publié" if publication.created else "Déjà publié à l'identique"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} : {report} — PDF {len(report.pdf)} octets (sha256 {report.pdf_sha256[:12]}…), "
                f"XLSX {len(report.xlsx)} octets, en {time.perf_counter() - started:.1f} s."
            )
        )
