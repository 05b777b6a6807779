from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "toit.organisations"
    verbose_name = "Organisations"
