from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from toit.www import landing, pages
from toit.www.auth import password, two_factor
from toit.www.auth.forms import LoginForm

urlpatterns = [
    path("", landing.home, name="home"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("connexion/verification/", two_factor.verify, name="two_factor_verify"),
    path("connexion/double-authentification/", two_factor.setup, name="two_factor_setup"),
    # Issue 10: « mot de passe oublié » and the activation link of new accounts.
    path("mot-de-passe-oublie/", password.ResetRequest.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", password.ResetDone.as_view(), name="password_reset_done"),
    path("mot-de-passe/<uidb64>/<token>/", password.ResetConfirm.as_view(), name="password_reset_confirm"),
    path("mot-de-passe/enregistre/", password.ResetComplete.as_view(), name="password_reset_complete"),
    path("plans/", include("toit.www.plans.urls")),
    path("organisations/", include("toit.www.organisations.urls")),
    path("observatoire/", include("toit.www.observatory.urls")),
    path("pilotage/", include("toit.www.steering.urls")),
    path("prevention/", include("toit.www.eviction.urls")),
    path("imports/", include("toit.www.imports.urls")),
    path("habitat/", include("toit.www.dwellings.urls")),
    path("hebergement/", include("toit.www.accommodation.urls")),
    path("notifications/", include("toit.www.notifications.urls")),
    path("accessibilite/", pages.accessibility, name="accessibility"),
    path("mentions-legales/", pages.legal, name="legal"),
    path("donnees-personnelles/", pages.personal_data, name="personal_data"),
    path("plan-du-site/", pages.sitemap, name="sitemap"),
    path("aide/", pages.help_index, name="help"),
    path("aide/<slug:module>/", pages.help_page, name="help_page"),
    path("acces-prioritaire/", include("toit.www.priority_access.urls")),
]

if settings.PROCONNECT_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
