from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from toit.accommodation import demo as accommodation_demo
from toit.demo.accounts import DEMO_PASSWORD, DemoError, create_demo_accounts, demo_accounts
from toit.demo.measurements import create_demo_measurements
from toit.dwellings import demo as dwellings_demo
from toit.eviction import demo as eviction_demo
from toit.observatory import engine
from toit.plans.models import Plan
from toit.territory.models import Department


class Command(BaseCommand):
    help = (
        "Crée les données de démonstration (synthétiques) du département d'un plan chargé : comptes par rôle, "
        "mesures des indicateurs, dossiers. Lancé sur le plan d'un autre département (make demo-second), il "
        "construit un second département de démonstration à côté du premier."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--plan",
            default="pdalpd-sarthe-2008-2012",
            help="code du plan chargé (ex. demo-pdalhpd-orne-2017-2022 pour le second département)",
        )
        parser.add_argument("--seed", type=int, default=72)
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="multiplie les volumes du département synthétique (1 = environ 4 000 signalements sur 2008-2012)",
        )
        parser.add_argument("--list-accounts", action="store_true", help="afficher les comptes sans rien créer")

    def handle(self, *args, plan, seed, scale, list_accounts, **options):
        if list_accounts:
            self._print_accounts()
            return
        if not settings.TOIT_DEMO_ALLOWED:
            raise CommandError(
                "Les données de démonstration sont interdites avec ces réglages (TOIT_DEMO_ALLOWED=False) : "
                "elles ne doivent jamais se mêler à des données réelles."
            )
        try:
            plan_obj = Plan.objects.get(code=plan)
        except Plan.DoesNotExist:
            raise CommandError(
                f"Le plan « {plan} » n'est pas chargé. Lancez d'abord : manage.py toit_plan load plans/{plan}.yaml"
            ) from None
        try:
            created = create_demo_accounts(plan_obj.department_code)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        measurements = create_demo_measurements(plan_obj, seed=seed)
        if scale <= 0:
            raise CommandError("--scale doit être un nombre positif (ex. 1, 0.1 ou 25).")
        try:
            result = eviction_demo.generate(
                plan_department=plan_obj.department_code,
                years=range(plan_obj.first_year, plan_obj.last_year + 1),
                scale=scale,
                seed=seed,
            )
        except eviction_demo.DemoDataError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(result.message)
        domains = []
        for generator in (dwellings_demo, accommodation_demo):
            try:
                generated = generator.generate(
                    plan_department=plan_obj.department_code,
                    years=range(plan_obj.first_year, plan_obj.last_year + 1),
                    scale=scale,
                    seed=seed,
                )
            except generator.DemoDataError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(generated.message)
            domains.append(generated)
        priority_created = self._priority_access(plan_obj, scale, seed)
        if result.created or priority_created or any(generated.created for generated in domains):
            # The dashboard reads snapshots: compute them once for every territory.
            computed = engine.compute(plan_obj, everywhere=True)
            self.stdout.write(f"Indicateurs calculés : {computed.count} valeurs (observatoire).")
        self.stdout.write(
            f"Comptes de démonstration créés : {len(created)} ; mesures synthétiques ajoutées : {measurements}."
        )
        self._print_accounts()

    def _priority_access(self, plan_obj, scale, seed):
        """Sheets 3A-3D (issue 13): partners' files with the same people spelled their own
        way, then a cross-matching run of the département."""
        from toit.linkage.runs import run_cross_matching
        from toit.priority_access import demo as priority_demo

        try:
            created, message = priority_demo.generate(
                plan_department=plan_obj.department_code,
                years=range(plan_obj.first_year, plan_obj.last_year + 1),
                scale=scale,
                seed=seed,
            )
        except priority_demo.DemoDataError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(message)
        if created:
            department = Department.objects.get(code=plan_obj.department_code)
            run = run_cross_matching(department, is_synthetic=True)
            self.stdout.write(
                f"Rapprochement des fichiers : {run.record_count} fiches, {run.links.count()} liens en "
                f"{run.seconds:.1f} s."
            )
        return created

    def _print_accounts(self):
        """The accounts of every département with a loaded plan, the Sarthe's first."""
        codes = sorted(set(Plan.objects.values_list("department_code", flat=True)), key=lambda c: (c != "72", c))
        names = dict(Department.objects.filter(code__in=codes).values_list("code", "name"))
        self.stdout.write(f"  Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
        for department_code in codes or ["72"]:
            if len(codes) > 1:
                self.stdout.write(f"   {names.get(department_code, '')} ({department_code}) :")
            for username, _first, _last, code, role, _staff in demo_accounts(department_code):
                self.stdout.write(f"    {username:<20} {role.label} — {code}")
