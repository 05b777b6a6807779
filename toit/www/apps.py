from django.apps import AppConfig, apps

# The admin is in French throughout: third-party apps whose names come untranslated get
# a French name here (their models' names too, where their own translation lacks one).
FRENCH_APP_NAMES = {
    "axes": "Tentatives de connexion",
    "otp_totp": "Double authentification (applications TOTP)",
    "otp_static": "Double authentification (codes de secours)",
    "django_tasks_database": "Tâches en arrière-plan",
    "simple_history": "Historique des modifications",
}
FRENCH_MODEL_NAMES = {
    ("django_tasks_database", "dbtaskresult"): ("résultat de tâche", "résultats de tâches"),
}


class WwwConfig(AppConfig):
    name = "toit.www"
    verbose_name = "Interface web"

    def ready(self):
        for label, name in FRENCH_APP_NAMES.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name
        for (label, model_name), (singular, plural) in FRENCH_MODEL_NAMES.items():
            if label in apps.app_configs:
                model = apps.get_model(label, model_name)
                model._meta.verbose_name, model._meta.verbose_name_plural = singular, plural
