from django.core.management.base import BaseCommand, CommandError

from toit.dwellings import retention


class Command(BaseCommand):
    help = (
        "Anonymise les propriétaires du registre des logements dont aucun dossier n'est ouvert ni aucune "
        "décision « bailleur indélicat » en vigueur depuis la durée de conservation (docs/rgpd.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Dire ce qui serait anonymisé, sans rien modifier.")
        parser.add_argument("--months", type=int, default=None, help="Durée de conservation en mois (défaut : 24).")

    def handle(self, *args, dry_run=False, months=None, **options):
        try:
            report = retention.anonymise(months=months, dry_run=dry_run)
        except ValueError as error:
            raise CommandError(str(error)) from error
        verb = "seraient anonymisés" if dry_run else "anonymisés"
        self.stdout.write(
            f"Sans activité depuis le {report.cutoff:%d/%m/%Y} : {report.owners} propriétaire(s) {verb}, "
            f"{report.cases} dossier(s) et {report.decisions} décision(s) expurgés de leurs textes libres."
        )
