from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from toit.priority_access import retention


class Command(BaseCommand):
    help = (
        "Anonymise les fiches de l'accès prioritaire (demandes, recours DALO, contingent, démarche projet, baux "
        "glissants, MOUS) closes depuis la durée de conservation (TOIT_PRIORITY_ACCESS_RETENTION_MONTHS, 24 mois "
        "par défaut) et efface les liens du rapprochement des fichiers vers une fiche anonymisée ou supprimée. "
        "À planifier chaque nuit ; --dry-run montre ce qui serait fait sans rien modifier."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["anonymise"])
        parser.add_argument("--dry-run", action="store_true", help="compter sans rien modifier")
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="durée de conservation en mois après la clôture (défaut : TOIT_PRIORITY_ACCESS_RETENTION_MONTHS = "
            f"{settings.TOIT_PRIORITY_ACCESS_RETENTION_MONTHS})",
        )

    def handle(self, *args, action, dry_run, months, **options):
        if months is not None and months < 1:
            raise CommandError(f"--months {months} : indiquez une durée d'au moins un mois.")
        report = retention.plan(months) if dry_run else retention.anonymise(months=months)
        self.stdout.write(report.describe())
