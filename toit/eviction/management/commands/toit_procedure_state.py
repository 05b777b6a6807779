from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery

from toit.eviction.models import (
    Event,
    FileParticipant,
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
            copies = [d for copy in COPIES for d in copied_columns(*copy, fix=action == "fix")]
        differences += [d for d in copies if d[0] == "preventionfile"]
        members = sum(1 for d in copies if d[0] == "householdmember")
        dates = [d for d in copies if d[0] == "fileparticipant"]
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


# Columns copied from a related row for an index or a policy to read, as (model, column,
# source): the household's commune's département on members and files (row-level security,
# search), the file's opening date and département on participations (the search's walk,
# row-level security).
COPIES = (
    (HouseholdMember, "department", "household__commune__department"),
    (PreventionFile, "department", "household__commune__department"),
    (FileParticipant, "file_opened_on", "file__opened_on"),
    (FileParticipant, "department", "file__department"),
)


def copied_columns(model, column, source, fix=False):
    """Rows of `model` whose copied `column` is not `source` (a lookup through a foreign
    key), left so by a write made outside Toit's functions, as differences (model, pk,
    field, stored, computed); with `fix`, copied again."""
    attname = model._meta.get_field(column).attname
    wrong = model.objects.exclude(**{column: F(source)})
    differences = [
        (model._meta.model_name, pk, attname, stored, computed)
        for pk, stored, computed in wrong.values_list("pk", attname, source)
    ]
    if fix and differences:
        relation, path = source.split("__", 1)
        related = model._meta.get_field(relation).related_model
        value = related.objects.filter(pk=OuterRef(relation)).values(path)[:1]
        model.objects.filter(pk__in=wrong.values("pk")).update(**{column: Subquery(value)})
    return differences
