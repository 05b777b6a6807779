from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "toit.audit"
    verbose_name = "Traçabilité des accès"
