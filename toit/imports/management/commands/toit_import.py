"""manage.py toit_import SOURCE FILE --organisation CODE --user USERNAME [--valid-only|--all-or-nothing]

Checks the file, prints the French error report, then imports in one transaction: by
default all or nothing (nothing when there is an error), with --valid-only the valid rows.
Runs in this process, without the task queue, with its progress on the terminal."""

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from toit.imports import jobs, report
from toit.imports.enums import Decision, JobStatus
from toit.imports.mappings import SOURCE_KINDS
from toit.imports.runner import run_import, run_validation
from toit.organisations.models import Organisation, OrganisationLookupError
from toit.users.models import User

PHASES = {"verification": "Vérification", "controle": "Contrôle", "import": "Import"}


class Progress:
    """Progress on stderr (the command's OutputWrapper): redrawn in place on a terminal, a
    line every 10 % otherwise."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = stream.isatty()
        self.last = (None, -1, 0.0)

    def __call__(self, phase, done, total):
        percent = int(100 * done / total) if total else 0
        last_phase, last_percent, last_time = self.last
        now = time.monotonic()
        if self.tty:
            if phase == last_phase and percent == last_percent and now - last_time < 0.5:
                return
            self.stream.write(f"\r{PHASES.get(phase, phase)} : {percent:3d} %", ending="")
            self.stream.flush()
        elif phase != last_phase or percent // 10 > last_percent // 10:
            self.stream.write(f"{PHASES.get(phase, phase)} : {percent} %")
        self.last = (phase, percent, now)

    def end(self):
        if self.tty and self.last[0] is not None:
            self.stream.write("")
        self.last = (None, -1, 0.0)


class Command(BaseCommand):
    help = "Importe un fichier de partenaire (CSV ou XLSX) : vérification, rapport d'erreurs, puis import."

    def add_arguments(self, parser):
        parser.add_argument("source", choices=sorted(SOURCE_KINDS), help="type de fichier")
        parser.add_argument("file", help="chemin du fichier CSV ou XLSX")
        parser.add_argument("--organisation", required=True, help="code de l'organisation qui envoie le fichier")
        parser.add_argument("--user", help="identifiant de l'agent au nom duquel l'import est fait (obligatoire)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--valid-only", action="store_true", help="importer les lignes valides malgré les erreurs")
        mode.add_argument("--all-or-nothing", action="store_true", help="ne rien importer s'il y a une erreur (défaut)")
        parser.add_argument("--error-report", help="écrire le rapport d'erreurs complet (CSV) dans ce fichier")
        parser.add_argument("--errors-shown", type=int, default=50, help="erreurs affichées (défaut : 50)")

    def handle(self, *args, **options):
        try:
            organisation = Organisation.objects.by_code(options["organisation"])
        except OrganisationLookupError as exc:
            raise CommandError(str(exc)) from None
        user = self._user(organisation, options["user"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        progress = Progress(self.stderr)
        try:
            with path.open("rb") as handle:
                job = jobs.create_job(user, organisation, options["source"], File(handle, name=path.name))
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(_messages(exc))) from None
        self.stdout.write(f"Import n° {job.pk} : {path.name} ({job.source_label}), au nom de {organisation}.")
        job = run_validation(job.pk, progress)
        progress.end()
        self._summary(job, options)
        if job.status != JobStatus.VALIDATED:
            raise CommandError(job.failure or f"Vérification interrompue ({job.get_status_display()}).")
        if job.valid_rows == 0 or (job.error_count and not options["valid_only"]):
            jobs.record_decision(job, user, Decision.NOTHING)
            reason = "aucune ligne valide" if job.valid_rows == 0 else f"{job.error_count} erreur(s)"
            hint = "" if job.valid_rows == 0 else " ; avec --valid-only, les lignes valides seraient importées"
            raise CommandError(f"Rien n'a été importé : {reason}{hint}.")
        decision = Decision.VALID_ONLY if options["valid_only"] else Decision.ALL_OR_NOTHING
        jobs.record_decision(job, user, decision)
        checked_errors = job.error_count
        job = run_import(job.pk, progress)
        progress.end()
        if job.status != JobStatus.DONE:
            raise CommandError(job.failure or f"Import interrompu ({job.get_status_display()}).")
        self.stdout.write(
            f"Importé : {job.imported_rows} ligne(s) ; rattachées à un dossier existant : {job.matched_rows} ; "
            f"à rattacher par un agent : {job.unmatched_rows} ; dossiers ouverts : {job.opened_files} ; "
            f"déjà importées, ignorées : {job.already_imported_rows}."
        )
        if job.error_count > checked_errors:
            self.stdout.write(f"{job.error_count - checked_errors} ligne(s) refusée(s) pendant l'import.")
            self._errors(job, options)

    def _user(self, organisation, username):
        members = jobs.nominative_memberships_of(organisation)
        if not username:
            names = ", ".join(members[:10]) or "aucun"
            raise CommandError(
                f"Indiquez --user : l'import est fait au nom d'un agent de « {organisation} », qui en répond (membres "
                f"qui le peuvent : {names})."
            )
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Utilisateur inconnu ou inactif : « {username} ».")
        return user

    def _summary(self, job, options):
        self.stdout.write(
            f"Encodage détecté : {job.encoding or '—'} ; séparateur : {job.separator_label or '—'} ; "
            f"lignes lues : {job.total_rows} ; valides : {job.valid_rows} ; en erreur : {job.rejected_rows} ; "
            f"déjà importées : {job.already_imported_rows}."
        )
        for note in job.notes:
            self.stdout.write(f"Remarque : {note}")
        if job.error_count:
            self._errors(job, options)

    def _errors(self, job, options):
        self.stdout.write(f"Rapport d'erreurs ({job.error_count}) :")
        shown = options["errors_shown"]
        for index, row in enumerate(report.rows(job)):
            if index >= shown:
                self.stdout.write(f"… et {job.error_count - shown} autre(s) : utilisez --error-report FICHIER.csv.")
                break
            self.stdout.write(f"  {report.describe(row)}")
        if options["error_report"]:
            with open(options["error_report"], "w", encoding="utf-8", newline="") as handle:
                handle.writelines(report.csv_lines(job))
            self.stdout.write(f"Rapport complet écrit dans {options['error_report']}.")


def _messages(exc):
    if isinstance(exc, ValidationError):
        return [m for messages in getattr(exc, "message_dict", {"": exc.messages}).values() for m in messages]
    return [str(exc)]
