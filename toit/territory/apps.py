from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "toit.territory"
    verbose_name = "Territoire"
