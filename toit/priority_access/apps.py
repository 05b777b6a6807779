from django.apps import AppConfig


class PriorityAccessConfig(AppConfig):
    name = "toit.priority_access"
    verbose_name = "Accès prioritaire au logement"
