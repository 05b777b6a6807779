from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MetricsConfig(AppConfig):
    name = "toit.metrics"
    verbose_name = "Métriques"

    def ready(self):
        # Each domain package declares its metrics in a `metrics` module.
        autodiscover_modules("metrics")
