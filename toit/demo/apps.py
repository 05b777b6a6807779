from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "toit.demo"
    verbose_name = "Démonstration"
