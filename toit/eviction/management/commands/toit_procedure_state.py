from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from toit.eviction.models import Event, PreventionFile, RepaymentPayment, RepaymentPlan
from toit.eviction.procedure_state import recompute

MODELS = {"file": PreventionFile, "event": Event, "plan": RepaymentPlan, "payment": RepaymentPayment}
SHOWN = 20


class Command(BaseCommand):
    help = (
        "Recalcule l'état de procédure de chaque dossier (dernière assignation, audience, réquisition, "
        "clôture) et l'issue de chaque plan d'apurement à partir des événements et des versements, et le "
        "compare aux colonnes enregistrées que lisent les files de travail et les indicateurs. « check » "
        "signale les écarts (code de sortie 1 s'il y en a) ; « fix » les corrige. À lancer après toute "
        "écriture hors des fonctions de Toit (reprise de données, correction en SQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "fix"])

    def handle(self, *args, action, **options):
        with transaction.atomic():
            differences = recompute(MODELS, settings.TOIT_REPAYMENT_MISSED_LIMIT, fix=action == "fix")
        files = len({pk for model, pk, *_ in differences if model == "preventionfile"})
        plans = len({pk for model, pk, *_ in differences if model == "repaymentplan"})
        for model, pk, field, stored, computed in differences[:SHOWN]:
            label = "dossier" if model == "preventionfile" else "plan d'apurement"
            self.stdout.write(f"{label} n° {pk} : {field} enregistré {stored!r}, recalculé {computed!r}")
        if not differences:
            self.stdout.write("État de procédure à jour : aucun écart avec les événements et les versements.")
            return
        summary = f"{files} dossier(s) et {plans} plan(s) d'apurement en écart"
        if action == "fix":
            self.stdout.write(f"{summary} : corrigés.")
            return
        raise CommandError(f"{summary}. Corrigez avec : manage.py toit_procedure_state fix")
