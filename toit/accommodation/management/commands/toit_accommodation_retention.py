from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from toit.accommodation import retention


class Command(BaseCommand):
    help = (
        "Anonymise les résidents sortis des structures d'hébergement et les demandes d'admission tranchées "
        "depuis la durée de conservation (TOIT_RETENTION_MONTHS, 24 mois par défaut). À planifier chaque nuit ; "
        "--dry-run montre ce qui serait fait sans rien modifier."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["anonymise"])
        parser.add_argument("--dry-run", action="store_true", help="compter sans rien modifier")
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help=f"durée de conservation en mois (défaut : TOIT_RETENTION_MONTHS = {settings.TOIT_RETENTION_MONTHS})",
        )

    def handle(self, *args, action, dry_run, months, **options):
        if months is not None and months < 1:
            raise CommandError(f"--months {months} : indiquez une durée d'au moins un mois.")
        report = retention.plan(months) if dry_run else retention.anonymise(months=months)
        self.stdout.write(report.describe())
