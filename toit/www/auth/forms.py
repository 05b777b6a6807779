from django.contrib.auth.forms import AuthenticationForm

from toit.www.forms import DsfrFormMixin


class LoginForm(DsfrFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect. Vérifiez la saisie (majuscules comprises).",
        "inactive": "Ce compte est désactivé. Contactez l'administrateur de Toit de votre organisation.",
    }
