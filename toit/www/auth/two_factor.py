"""Two-factor authentication (TOTP, django-otp) for every user who may read nominative
data. Setting TOIT_REQUIRE_2FA turns the requirement on (production); the demo and most
tests run without it, and its own tests switch it on."""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from toit.organisations.perms import may_read_nominative
from toit.www.forms import DsfrFormMixin

EXEMPT_URL_NAMES = {
    "login",
    "logout",
    "two_factor_verify",
    "two_factor_setup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def needs_second_factor(user):
    return (
        settings.TOIT_REQUIRE_2FA
        and user.is_authenticated
        and not user.is_verified()
        and (user.is_superuser or may_read_nominative(user))
    )


class RequireTwoFactorMiddleware:
    """After login, a user who may see nominative data goes no further than the second
    factor pages until a TOTP code has been checked for this session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.TOIT_REQUIRE_2FA or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match and match.url_name in EXEMPT_URL_NAMES and not match.namespace:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if request.path.startswith("/api/"):
            # The API answers 401 problem details itself (toit.api.authentication): a
            # redirect to an HTML page means nothing to a partner's software.
            return None
        if not needs_second_factor(request.user):
            return None
        target = "two_factor_verify" if user_has_device(request.user) else "two_factor_setup"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")


class TokenForm(DsfrFormMixin, forms.Form):
    token = forms.CharField(
        label="Code à usage unique",
        help_text="Les 6 chiffres affichés par votre application d'authentification.",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError("Le code ne contient que des chiffres.")
        return token


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            # A new session key once both factors are checked: a key fixed before login
            # (or seen between the two steps) is worth nothing after.
            request.session.cycle_key()
            return redirect(_next_url(request))
        form.add_error("token", "Code incorrect ou expiré. Saisissez le code affiché en ce moment par l'application.")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def _qr_svg(url):
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    # Served as a data: image (allowed by the CSP's img-src) rather than inline markup.
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def may_enrol(request):
    """The first enrolment needs the one-time link an administrator sends (or « mot de passe
    oublié »): used in this browser session, it proves the mailbox, not only the password
    (issue 10). A ProConnect login proves the person through the State's identity provider."""
    from toit.www.auth.password import ENROLMENT_KEY

    return request.session.get(ENROLMENT_KEY) == request.user.pk


def setup(request):
    if user_has_device(request.user):
        return redirect("two_factor_verify")
    if not may_enrol(request):
        return render(request, "registration/two_factor_activation_needed.html", status=403)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Application d'authentification", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.cycle_key()
            from toit.www.auth.password import ENROLMENT_KEY

            request.session.pop(ENROLMENT_KEY, None)
            messages.success(request, "Double authentification activée pour votre compte.")
            return redirect(_next_url(request))
        form.add_error("token", "Code incorrect. Vérifiez l'heure de votre téléphone et saisissez le code actuel.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "qr": _qr_svg(device.config_url), "secret": secret, "next": _next_url(request)},
    )
