from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "toit.notifications"
    verbose_name = "Notifications"
