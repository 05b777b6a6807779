import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from toit.audit.models import AccessLog


class Command(BaseCommand):
    help = "Purge du journal des accès au-delà de la durée de conservation (TOIT_ACCESS_LOG_DAYS, un an par défaut)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["purge"])
        parser.add_argument("--dry-run", action="store_true", help="compter sans supprimer")

    def handle(self, *args, action, dry_run, **options):
        limit = timezone.now() - datetime.timedelta(days=settings.TOIT_ACCESS_LOG_DAYS)
        old = AccessLog.objects.filter(created_at__lt=limit)
        if dry_run:
            self.stdout.write(f"{old.count()} entrée(s) antérieure(s) au {limit:%d/%m/%Y} seraient supprimées.")
            return
        count = AccessLog.objects.purge_before(limit)
        self.stdout.write(f"{count} entrée(s) antérieure(s) au {limit:%d/%m/%Y} supprimée(s).")
