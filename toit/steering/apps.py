from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "toit.steering"
    label = "steering"
    verbose_name = "Pilotage du plan"
