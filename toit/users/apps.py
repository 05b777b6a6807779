from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "toit.users"
    verbose_name = "Utilisateurs"
