import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from toit.notifications.digest import send_digests
from toit.notifications.notify import notify_deadlines, notify_reports_waiting


class Command(BaseCommand):
    help = (
        "Notifications quotidiennes : « echeances » prévient les référents des échéances à 15 jours et des "
        "signalements en attente ; « resume » envoie le courriel récapitulatif. « quotidien » fait les deux "
        "(à planifier chaque matin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["echeances", "resume", "quotidien"])
        parser.add_argument("--date", help="Date du jour (aaaa-mm-jj), par défaut aujourd'hui.")

    def handle(self, *args, action, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Date invalide : « {date} ». Format attendu : aaaa-mm-jj.") from None
        if action in ("echeances", "quotidien"):
            deadlines = notify_deadlines(today)
            reports = notify_reports_waiting(today)
            self.stdout.write(f"{deadlines} notification(s) d'échéance, {reports} de signalement en attente.")
        if action in ("resume", "quotidien"):
            self.stdout.write(f"{send_digests()} courriel(s) récapitulatif(s) envoyé(s).")
