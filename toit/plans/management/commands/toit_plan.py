from django.core.management.base import BaseCommand, CommandError

from toit.plans.loader import PlanValidationError, load_file, validate_file


class Command(BaseCommand):
    help = "Valide (check) ou charge (load) un fichier de plan YAML (voir docs/plan-format.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "action", choices=["check", "load"], help="check : valider seulement ; load : valider puis charger"
        )
        parser.add_argument("file", help="chemin du fichier YAML")

    def handle(self, action, file, **options):
        try:
            if action == "check":
                spec, _ = validate_file(file)
                count = sum(len(o.actions) for o in spec.orientations)
                indicators = sum(len(a.indicators) for o in spec.orientations for a in o.actions)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{file} est valide : {len(spec.orientations)} orientations, {count} actions, "
                        f"{indicators} indicateurs, {len(spec.targets)} cibles."
                    )
                )
                return
            report = load_file(file)
        except PlanValidationError as exc:
            raise CommandError(exc.format()) from None
        summary = ", ".join(
            f"{what} : {report.created[what]} créé(s), {report.updated[what]} mis à jour"
            + (f", {report.deleted[what]} supprimé(s)" if report.deleted[what] else "")
            for what in ("organisations", "territoires", "orientations", "actions", "indicateurs")
        )
        lines = report.created["lignes de rapport"]
        reports = (
            f"{lines} lignes de rapport de suivi"
            if lines
            else "rapports de suivi : contenu par défaut (pas de section report)"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Plan « {report.plan.title} » chargé. {summary} ; {report.created['cibles']} cibles ; {reports}."
            )
        )
