from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from toit.territory import cog


class Command(BaseCommand):
    help = (
        "Référentiel territorial (département, EPCI, communes) issu du Code officiel géographique, "
        f"via le paquet npm {cog.PACKAGE_NAME}."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{extract,load,import}")
        source_help = (
            "répertoire des données du paquet (par défaut : node_modules/@etalab/decoupage-administratif/data)"
        )

        extract = actions.add_parser(
            "extract", help="extrait un département des données du paquet vers un fichier JSON compact"
        )
        extract.add_argument("department", help="code INSEE du département, par exemple 72")
        extract.add_argument("--source", type=Path, help=source_help)
        extract.add_argument("--output", type=Path, help="fichier à écrire (par défaut : la sortie standard)")

        load = actions.add_parser(
            "load", help="charge en base un fichier produit par « extract » (mise à jour sur place)"
        )
        load.add_argument("file", type=Path, help="fichier JSON, par exemple data/territory/cog-72.json")

        import_ = actions.add_parser(
            "import", help="extrait un département des données du paquet et le charge en base directement"
        )
        import_.add_argument("department", help="code INSEE du département, par exemple 72")
        import_.add_argument("--source", type=Path, help=source_help)

    def handle(self, *args, action, **options):
        try:
            match action:
                case "extract":
                    self.extract(options["department"], options["source"], options["output"])
                case "load":
                    self.report(cog.load_file(options["file"]))
                case "import":
                    document = cog.extract_department(options["department"], options["source"])
                    self.report(cog.load_document(document, origin=f"département {options['department']}"))
        except cog.TerritoryDataError as exc:
            raise CommandError(str(exc)) from exc

    def extract(self, department, source, output):
        document = cog.extract_department(department, source)
        text = cog.dump_document(document)
        summary = (
            f"Département {document['department']['code']} ({document['department']['name']}) : "
            f"{len(document['communes'])} communes, {len(document['epcis'])} EPCI "
            f"({document['source']} {document['package_version'] or 'version inconnue'}, "
            f"COG {document['cog_version'] or 'millésime inconnu'})."
        )
        if output is None:
            self.stdout.write(text, ending="")
            # stdout carries the document, so the summary goes to stderr.
            self.stderr.write(summary, style_func=lambda s: s)
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"{summary}\nÉcrit dans {output}."))

    def report(self, report):
        department = report.department
        self.stdout.write(
            f"Département {department.code} ({department.name}) : {report.departments}.\n"
            f"EPCI : {report.epcis}.\n"
            f"Communes : {report.communes}."
        )
        if report.missing_communes:
            listed = ", ".join(f"{c.insee_code} {c.name}" for c in report.missing_communes)
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.missing_communes)} commune(s) du département en base sont absentes du COG "
                    f"et ont été conservées (d'autres données peuvent y faire référence) : {listed}. "
                    "Vérifiez s'il s'agit de fusions de communes et rattachez les données concernées."
                )
            )
        if report.emptied_epcis:
            listed = ", ".join(f"{e.siren} {e.name}" for e in report.emptied_epcis)
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.emptied_epcis)} EPCI n'ont plus aucune commune en base et ont été "
                    f"conservés : {listed}."
                )
            )
        self.stdout.write(self.style.SUCCESS("Chargement terminé."))
