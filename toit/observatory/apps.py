from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "toit.observatory"
    label = "observatory"
    verbose_name = "Observatoire"
