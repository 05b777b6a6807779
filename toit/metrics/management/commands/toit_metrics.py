from django.core.management.base import BaseCommand

from toit.metrics.registry import registry


class Command(BaseCommand):
    help = "Liste les métriques enregistrées (calculables à partir des données de Toit)."

    def handle(self, *args, **options):
        metrics = list(registry)
        if not metrics:
            self.stdout.write("Aucune métrique enregistrée.")
            return
        width = max(len(m.key) for m in metrics)
        for metric in metrics:
            params = f"  [paramètres : {', '.join(sorted(metric.params))}]" if metric.params else ""
            self.stdout.write(f"{metric.key.ljust(width)}  {metric.unit.label:<12} {metric.label}{params}")
        self.stdout.write(f"\n{len(metrics)} métrique(s).")
