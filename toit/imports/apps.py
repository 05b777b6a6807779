from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "toit.imports"
    label = "imports"
    verbose_name = "Imports de fichiers des partenaires"
