from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class LinkageConfig(AppConfig):
    name = "toit.linkage"
    verbose_name = "Rapprochement des fichiers"

    def ready(self):
        # Each domain package offers its partners' files in a `linkage_sources` module.
        autodiscover_modules("linkage_sources")
