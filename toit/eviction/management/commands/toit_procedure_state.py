from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery

from toit.eviction.models import (
    Event,
    FileParticipant,
    Household,
    HouseholdMember,
    PreventionFile,
    RepaymentPayment,
    RepaymentPlan,
)
from toit.eviction.procedure_state import recompute

MODELS = {"file": PreventionFile, "event": Event, "plan": RepaymentPlan, "payment": RepaymentPayment}
SHOWN = 20


class Command(BaseCommand):
    help = (
        "Recalcule l'état de procédure de chaque dossier (dernière assignation, audience, réquisition, "
        "clôture) et l'issue de chaque plan d'apurement à partir des événements et des versements, et le "
        "compare aux colonnes enregistrées que lisent les files de travail et les indicateurs ; vérifie aussi "
        "que chaque personne et chaque dossier portent le département de la commune de leur ménage (lu par la "
        "recherche et par la sécurité au niveau des lignes), et que chaque participation porte la date d'ouverture de "
        "son dossier (lue par la recherche). « check » "
        "signale les écarts (code de sortie 1 s'il y en a) ; « fix » les corrige. À lancer après toute "
        "écriture hors des fonctions de Toit (reprise de données, correction en SQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "fix"])

    def handle(self, *args, action, **options):
        with transaction.atomic():
            differences = recompute(MODELS, settings.TOIT_REPAYMENT_MISSED_LIMIT, fix=action == "fix")
            members = len(household_departments(HouseholdMember, fix=action == "fix"))
            differences += household_departments(PreventionFile, fix=action == "fix")
            dates = participant_dates(fix=action == "fix")
        files = len({pk for model, pk, *_ in differences if model == "preventionfile"})
        plans = len({pk for model, pk, *_ in differences if model == "repaymentplan"})
        for model, pk, field, stored, computed in differences[:SHOWN]:
            label = "dossier" if model == "preventionfile" else "plan d'apurement"
            self.stdout.write(f"{label} n° {pk} : {field} enregistré {stored!r}, recalculé {computed!r}")
        for _, pk, field, stored, computed in dates[:SHOWN]:
            self.stdout.write(f"participation n° {pk} : {field} enregistré {stored!r}, recalculé {computed!r}")
        participants = len(dates)
        if not differences and not members and not participants:
            self.stdout.write("État de procédure à jour : aucun écart avec les événements et les versements.")
            return
        summary = (
            f"{files} dossier(s), {plans} plan(s) d'apurement, {members} personne(s) et {participants} "
            "participation(s) en écart"
        )
        if action == "fix":
            self.stdout.write(f"{summary} : corrigés.")
            return
        raise CommandError(f"{summary}. Corrigez avec : manage.py toit_procedure_state fix")


def household_departments(model, fix=False):
    """Rows of `model` (members, files) whose copied département is not their household's
    commune's (a write made outside Toit's functions), as differences (model, pk, field,
    stored, computed); with `fix`, copied again."""
    wrong = model.objects.exclude(department=F("household__commune__department"))
    differences = [
        (model._meta.model_name, pk, "department_id", stored, computed)
        for pk, stored, computed in wrong.values_list("pk", "department_id", "household__commune__department")
    ]
    if fix and differences:
        department = Household.objects.filter(pk=OuterRef("household")).values("commune__department")[:1]
        model.objects.filter(pk__in=wrong.values("pk")).update(department=Subquery(department))
    return differences


def participant_dates(fix=False):
    """Participations whose copied opening date is not their file's (a write made outside
    Toit's functions), as differences (model, pk, field, stored, computed); with `fix`,
    copied again."""
    wrong = FileParticipant.objects.exclude(file_opened_on=F("file__opened_on"))
    differences = [
        ("fileparticipant", pk, "file_opened_on", stored, computed)
        for pk, stored, computed in wrong.values_list("pk", "file_opened_on", "file__opened_on")
    ]
    if fix and differences:
        opened_on = PreventionFile.objects.filter(pk=OuterRef("file")).values("opened_on")[:1]
        FileParticipant.objects.filter(pk__in=wrong.values("pk")).update(file_opened_on=Subquery(opened_on))
    return differences
