from django.apps import AppConfig


class EvictionConfig(AppConfig):
    name = "toit.eviction"
    verbose_name = "Prévention des expulsions"
