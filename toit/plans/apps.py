from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "toit.plans"
    verbose_name = "Plan d'action"
