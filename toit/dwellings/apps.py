from django.apps import AppConfig


class DwellingsConfig(AppConfig):
    name = "toit.dwellings"
    verbose_name = "Logements : habitat indigne, PST et énergie"
