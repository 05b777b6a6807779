from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "toit.www"
    verbose_name = "Interface web"
