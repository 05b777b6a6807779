from django.apps import AppConfig


class AccommodationConfig(AppConfig):
    name = "toit.accommodation"
    verbose_name = "Hébergement et logement adapté"
