from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "toit.api"
    label = "api"
    verbose_name = "API des partenaires"

    def ready(self):
        # Registers the OpenAPI description of the authentication classes.
        from toit.api import schema  # noqa: F401
