from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from toit.www.auth import two_factor
from toit.www.auth.forms import LoginForm
from toit.www.plans import views as plan_views

urlpatterns = [
    path("", plan_views.home, name="home"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("connexion/verification/", two_factor.verify, name="two_factor_verify"),
    path("connexion/double-authentification/", two_factor.setup, name="two_factor_setup"),
    path("plans/", include("toit.www.plans.urls")),
    path("organisations/", include("toit.www.organisations.urls")),
    path("observatoire/", include("toit.www.observatory.urls")),
    path("pilotage/", include("toit.www.steering.urls")),
    path("prevention/", include("toit.www.eviction.urls")),
    path("imports/", include("toit.www.imports.urls")),
    path("acces-prioritaire/", include("toit.www.priority_access.urls")),
]

if settings.PROCONNECT_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
